package io.esteira.crmsync.config;

import java.util.Map;

import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmConnection;
import io.esteira.crmsync.crm.CrmConnections;
import io.esteira.crmsync.crm.CrmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * At startup, creates the photo property on the contacts of the CRM, and of each tenant's own CRM, when it is missing
 * ({@code esteira.crm.create-property}, HubSpot properties API). Without the scope to do so (HubSpot {@code crm.schemas.contacts.write}) or with the CRM
 * unreachable it only warns: create the property by hand (a single-line text property named as
 * {@code esteira.crm.photo-property}).
 */
class ContactPropertyInitializer implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(ContactPropertyInitializer.class);

	private final CrmClient crm;

	private final CrmProperties settings;

	private final CrmConnections connections;

	ContactPropertyInitializer(CrmClient crm, CrmProperties settings) {
		this(crm, settings, new CrmConnections(Map.of()));
	}

	/** Also in each tenant's own CRM account ({@code esteira.crm.tenants.*}). */
	ContactPropertyInitializer(CrmClient crm, CrmProperties settings, CrmConnections connections) {
		this.crm = crm;
		this.settings = settings;
		this.connections = connections;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (!this.settings.createProperty()) {
			return;
		}
		if (this.settings.adapter() != CrmProperties.Adapter.HUBSPOT || this.settings.hubspot().hasToken()) {
			ensure(this.crm, "the CRM");
		}
		for (String tenant : this.connections.tenants()) {
			this.connections.forTenant(tenant)
				.map(CrmConnection::client)
				.filter((client) -> client != this.crm)
				.ifPresent((client) -> ensure(client, "the CRM of tenant " + tenant));
		}
	}

	private void ensure(CrmClient client, String which) {
		try {
			client.ensureContactProperty(this.settings.photoProperty(), "Esteira photo");
			logger.info("Contact property {} is in {}", this.settings.photoProperty(), which);
		}
		catch (CrmException ex) {
			logger.warn("Could not make sure the contact property {} exists in {} ({}); create it by hand if it is "
					+ "missing (HubSpot: a single-line text property; the token needs crm.schemas.contacts.write to "
					+ "create it)", this.settings.photoProperty(), which, ex.getMessage());
		}
	}

}
