package io.esteira.crmsync.crm;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.esteira.contracts.event.Tenants;

/**
 * The CRM connection of each tenant ({@code esteira.crm.tenants.<tenant>.*}; the default tenant's is the global
 * {@code esteira.crm.hubspot.*} or webhook one unless {@code esteira.crm.tenants.default} is set). A tenant without a
 * connection has no CRM: its uploads need review, and nothing is sent anywhere.
 */
public class CrmConnections {

	private final Map<String, CrmConnection> byTenant;

	public CrmConnections(Map<String, CrmConnection> byTenant) {
		this.byTenant = Map.copyOf(byTenant);
	}

	/** The tenant's connection, empty when it has none. */
	public Optional<CrmConnection> forTenant(String tenant) {
		return Optional.ofNullable(this.byTenant.get(Tenants.orDefault(tenant)));
	}

	/** The tenants with a connection. */
	public Set<String> tenants() {
		return this.byTenant.keySet();
	}

}
