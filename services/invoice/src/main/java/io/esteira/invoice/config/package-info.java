/**
 * Wiring: the service's settings, the clock, the outbox relay, API-key security and the one place that turns
 * exceptions into RFC 9457 problem details.
 */
package io.esteira.invoice.config;
