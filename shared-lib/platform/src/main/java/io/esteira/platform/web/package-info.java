/**
 * Errors of every service's REST API as RFC 9457 problem details: {@link io.esteira.platform.web.ProblemException}
 * for a service's own error kinds, and {@link io.esteira.platform.web.ProblemDetailsAdvice} that gives every
 * problem (Spring MVC's too) a stable {@code type} under {@value io.esteira.platform.web.ProblemException#TYPE_BASE}.
 */
package io.esteira.platform.web;
