/**
 * Wiring: settings ({@code esteira.crm.*}), the clock, the outbox relay, and the CRM adapter chosen by configuration
 * behind the pause, the rate limiter and the startup creation of the photo property.
 */
package io.esteira.crmsync.config;
