/**
 * The HubSpot adapter of the CRM port: CRM v3 objects API over Spring's {@code RestClient}, bearer token auth.
 */
package io.esteira.crmsync.crm.hubspot;
