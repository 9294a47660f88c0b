/**
 * The generic webhook adapter of the CRM port, for CRMs Esteira does not speak: each action is a signed JSON POST.
 */
package io.esteira.crmsync.crm.webhook;
