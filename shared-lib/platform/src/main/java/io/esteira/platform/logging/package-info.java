/**
 * Logs without personal data: e-mails, phones and CPFs are masked in every line a service writes.
 */
package io.esteira.platform.logging;
