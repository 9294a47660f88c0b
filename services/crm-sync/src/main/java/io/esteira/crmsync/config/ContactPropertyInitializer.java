package io.esteira.crmsync.config;

import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * At startup, creates the photo property on the CRM's contacts when it is missing ({@code esteira.crm.create-property},
 * HubSpot properties API). Without the scope to do so (HubSpot {@code crm.schemas.contacts.write}) or with the CRM
 * unreachable it only warns: create the property by hand (a single-line text property named as
 * {@code esteira.crm.photo-property}).
 */
class ContactPropertyInitializer implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(ContactPropertyInitializer.class);

	private final CrmClient crm;

	private final CrmProperties settings;

	ContactPropertyInitializer(CrmClient crm, CrmProperties settings) {
		this.crm = crm;
		this.settings = settings;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (!this.settings.createProperty()
				|| (this.settings.adapter() == CrmProperties.Adapter.HUBSPOT && !this.settings.hubspot().hasToken())) {
			return;
		}
		try {
			this.crm.ensureContactProperty(this.settings.photoProperty(), "Esteira photo");
			logger.info("Contact property {} is in the CRM", this.settings.photoProperty());
		}
		catch (CrmException ex) {
			logger.warn("Could not make sure the contact property {} exists ({}); create it by hand if it is missing "
					+ "(HubSpot: a single-line text property; the token needs crm.schemas.contacts.write to create it)",
					this.settings.photoProperty(), ex.getMessage());
		}
	}

}
