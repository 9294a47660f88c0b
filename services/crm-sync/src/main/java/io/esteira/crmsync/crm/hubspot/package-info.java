/**
 * The HubSpot adapter of the CRM port: CRM v3 objects API over Spring's {@code RestClient}, bearer token auth.
 * A named interface of the {@code crm} module: {@code config} creates the adapter its settings choose.
 */
@NamedInterface("hubspot")
package io.esteira.crmsync.crm.hubspot;

import org.springframework.modulith.NamedInterface;
