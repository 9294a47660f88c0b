/**
 * The generic webhook adapter of the CRM port, for CRMs Esteira does not speak: each action is a signed JSON POST.
 * A named interface of the {@code crm} module: {@code config} creates the adapter its settings choose.
 */
@NamedInterface("webhook")
package io.esteira.crmsync.crm.webhook;

import org.springframework.modulith.NamedInterface;
