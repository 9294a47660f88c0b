/**
 * The CRM port: what Esteira asks of a CRM, and the two ways a request can fail (rejected for good, or unavailable
 * for now). Adapters live in sub-packages.
 */
package io.esteira.crmsync.crm;
