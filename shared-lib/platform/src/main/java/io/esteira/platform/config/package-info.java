/**
 * The platform's own wiring: the settings every service binds the same way, and the clock.
 */
package io.esteira.platform.config;
