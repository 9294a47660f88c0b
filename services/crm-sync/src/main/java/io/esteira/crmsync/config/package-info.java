/**
 * Wiring: settings ({@code esteira.crm.*}), the clock, the outbox relay and the HubSpot adapter behind the CRM port.
 */
package io.esteira.crmsync.config;
