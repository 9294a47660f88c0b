package io.esteira.crmsync.config;

import java.util.Map;

import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The start-up check of the photo property, the CRM client mocked (the HubSpot requests it makes, against a stand-in:
 * {@code HubSpotCrmClientTest}).
 */
class ContactPropertyInitializerTest {

	private final CrmClient crm = mock(CrmClient.class);

	@Test
	void withATokenThePropertyIsMadeSureOfAtStartUp() {
		initializer(Map.of("esteira.crm.hubspot.token", "pat-na1-test", "esteira.crm.photo-property", "foto_url"))
			.onApplicationEvent(null);

		verify(this.crm).ensureContactProperty("foto_url", "Esteira photo");
	}

	@Test
	void withoutATokenOrWhenSwitchedOffNothingIsAsked() {
		initializer(Map.of()).onApplicationEvent(null);
		initializer(Map.of("esteira.crm.hubspot.token", "pat-na1-test", "esteira.crm.create-property", "false"))
			.onApplicationEvent(null);

		verify(this.crm, never()).ensureContactProperty(anyString(), anyString());
	}

	@Test
	void aCrmThatCannotBeReachedOrRefusesOnlyWarnsAndTheServiceStarts() {
		willThrow(new CrmUnavailableException("HubSpot answered 403 to the creation of contact property foto_url",
				null))
			.given(this.crm)
			.ensureContactProperty(anyString(), anyString());

		assertThatNoException().isThrownBy(() -> initializer(Map.of("esteira.crm.hubspot.token", "pat-na1-test"))
			.onApplicationEvent(null));
	}

	private ContactPropertyInitializer initializer(Map<String, String> properties) {
		CrmProperties settings = new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("esteira.crm",
				CrmProperties.class);
		return new ContactPropertyInitializer(this.crm, settings);
	}

}
