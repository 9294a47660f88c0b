package io.esteira.crmsync.config;

import java.time.Duration;
import java.util.Map;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.platform.retry.RetryPolicies;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class CrmPropertiesTest {

	@Test
	void defaultsPointAtHubSpotAndTheLocalIngest() {
		CrmProperties crm = bind(Map.of());

		assertThat(crm.publicBaseUrl()).isEqualTo("http://localhost:8080");
		assertThat(crm.photoProperty()).isEqualTo("esteira_photo_url");
		assertThat(crm.hubspot().baseUrl()).isEqualTo("https://api.hubapi.com");
		assertThat(crm.hubspot().hasToken()).isFalse();
		assertThat(crm.hubspot().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(crm.hubspot().readTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void defaultsSuitOneInstanceOnAHubSpotStarterAccount() {
		CrmProperties crm = bind(Map.of());

		assertThat(crm.adapter()).isEqualTo(CrmProperties.Adapter.HUBSPOT);
		assertThat(crm.createProperty()).isTrue();
		assertThat(crm.rateLimit().requests()).isEqualTo(100);
		assertThat(crm.rateLimit().period()).isEqualTo(Duration.ofSeconds(10));
		assertThat(crm.rateLimit().dailyResetZone()).isEqualTo(java.time.ZoneId.of("UTC"));
		assertThat(new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("esteira.retry",
				RetryPolicies.class).forStep(PipelineNames.Steps.CRM_SYNC).maxAttempts()).isEqualTo(5);
		assertThat(crm.retry().credentialsPause()).isEqualTo(Duration.ofMinutes(5));
		assertThat(crm.task().enabled()).isTrue();
		assertThat(crm.task().body()).contains("{link}");
		assertThat(crm.note().enabled()).isTrue();
	}

	@Test
	void webhookSecretIsNeverPrinted() {
		CrmProperties crm = bind(Map.of("esteira.crm.adapter", "webhook", "esteira.crm.webhook.url",
				"https://crm.example/hooks", "esteira.crm.webhook.secret", "whsec-very-secret"));

		assertThat(crm.adapter()).isEqualTo(CrmProperties.Adapter.WEBHOOK);
		assertThat(crm.toString()).contains("https://crm.example/hooks").doesNotContain("whsec-very-secret");
	}

	@Test
	void toStringNeverPrintsTheToken() {
		CrmProperties crm = bind(Map.of("esteira.crm.hubspot.token", "pat-na1-very-secret"));

		assertThat(crm.hubspot().hasToken()).isTrue();
		assertThat(crm.toString()).contains("https://api.hubapi.com").doesNotContain("pat-na1-very-secret");
		assertThat(crm.hubspot().toString()).doesNotContain("pat-na1-very-secret");
	}

	private static CrmProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("esteira.crm",
				CrmProperties.class);
	}

}
