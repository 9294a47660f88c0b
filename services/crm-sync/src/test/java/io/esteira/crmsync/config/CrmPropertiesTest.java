package io.esteira.crmsync.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import io.esteira.contracts.event.PipelineNames;
import io.esteira.platform.retry.RetryPolicies;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CrmPropertiesTest {

	private final ValidatorFactory validation = Validation.buildDefaultValidatorFactory();

	@AfterEach
	void closeValidation() {
		this.validation.close();
	}

	@Test
	void defaultsPointAtHubSpotsCurrentApiAndTheLocalIngest() {
		CrmProperties crm = bind(Map.of());

		assertThat(crm.publicBaseUrl()).isEqualTo("http://localhost:8080");
		assertThat(crm.photoProperty()).isEqualTo("esteira_photo_url");
		assertThat(crm.hubspot().baseUrl()).isEqualTo("https://api.hubapi.com");
		assertThat(crm.hubspot().apiVersion()).isEqualTo("2026-09");
		assertThat(crm.hubspot().hasToken()).isFalse();
		assertThat(crm.hubspot().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(crm.hubspot().readTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void defaultsSuitAHubSpotStarterAccountSharedByEveryInstance() {
		CrmProperties crm = bind(Map.of());

		assertThat(crm.adapter()).isEqualTo(CrmProperties.Adapter.HUBSPOT);
		assertThat(crm.createProperty()).isTrue();
		CrmProperties.RateLimit limit = crm.rateLimit();
		assertThat(limit.key()).isEqualTo("hubspot");
		assertThat(limit.requests()).isEqualTo(100);
		assertThat(limit.burst()).isEqualTo(10);
		assertThat(limit.period()).isEqualTo(Duration.ofSeconds(10));
		assertThat(limit.margin()).isEqualTo(Duration.ofSeconds(1));
		assertThat(limit.daily()).isEqualTo(250_000);
		assertThat(limit.searchRequestsPerSecond()).isEqualTo(4);
		assertThat(limit.maxWait()).isEqualTo(Duration.ofSeconds(10));
		assertThat(limit.dailyResetZone()).isEqualTo(ZoneId.of("UTC"));
		assertThat(crm.batch().window()).isEqualTo(Duration.ofMillis(300));
		assertThat(crm.batch().maxEvents()).isEqualTo(100);
		assertThat(crm.batch().lateAfter()).isEqualTo(Duration.ofSeconds(2));
		assertThat(crm.batch().lateMaxWindow()).isEqualTo(Duration.ofSeconds(10));
		assertThat(new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("esteira.retry",
				RetryPolicies.class).forStep(PipelineNames.Steps.CRM_SYNC).maxAttempts()).isEqualTo(5);
		assertThat(crm.retry().credentialsPause()).isEqualTo(Duration.ofMinutes(5));
		assertThat(crm.retry().outageAfter()).isEqualTo(5);
		assertThat(crm.retry().outagePause()).isEqualTo(Duration.ofSeconds(30));
		assertThat(crm.retry().outageMaxPause()).isEqualTo(Duration.ofMinutes(5));
		assertThat(crm.task().enabled()).isTrue();
		assertThat(crm.task().body()).contains("{link}");
		assertThat(crm.note().enabled()).isTrue();
	}

	@Test
	void rateLimitAndBatchesAreConfigurable() {
		CrmProperties crm = bind(Map.of("esteira.crm.rate-limit.requests", "190", "esteira.crm.rate-limit.burst",
				"20", "esteira.crm.rate-limit.search-requests-per-second", "5", "esteira.crm.rate-limit.max-wait",
				"3s", "esteira.crm.rate-limit.daily-reset-zone", "America/Sao_Paulo", "esteira.crm.batch.window",
				"1s", "esteira.crm.batch.max-events", "50", "esteira.crm.hubspot.api-version", "2027-03"));

		assertThat(crm.rateLimit().requests()).isEqualTo(190);
		assertThat(crm.rateLimit().burst()).isEqualTo(20);
		assertThat(crm.rateLimit().searchRequestsPerSecond()).isEqualTo(5);
		assertThat(crm.rateLimit().maxWait()).isEqualTo(Duration.ofSeconds(3));
		assertThat(crm.rateLimit().dailyResetZone()).isEqualTo(ZoneId.of("America/Sao_Paulo"));
		assertThat(crm.batch().window()).isEqualTo(Duration.ofSeconds(1));
		assertThat(crm.batch().maxEvents()).isEqualTo(50);
		assertThat(crm.hubspot().apiVersion()).isEqualTo("2027-03");
	}

	@Test
	void apiVersionMustBeADateVersion() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("esteira.crm.hubspot.api-version", "v3")))
			.havingRootCause()
			.isInstanceOf(BindValidationException.class)
			.withMessageContaining("hubspot.apiVersion");
	}

	@Test
	void batchOfMoreThanAThousandEventsIsRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("esteira.crm.batch.max-events", "5000")))
			.havingRootCause()
			.isInstanceOf(BindValidationException.class);
	}

	@Test
	void webhookSecretIsNeverPrinted() {
		CrmProperties crm = bind(Map.of("esteira.crm.adapter", "webhook", "esteira.crm.webhook.url",
				"https://crm.example/hooks", "esteira.crm.webhook.secret", "whsec-very-secret"));

		assertThat(crm.adapter()).isEqualTo(CrmProperties.Adapter.WEBHOOK);
		assertThat(crm.toString()).contains("https://crm.example/hooks").doesNotContain("whsec-very-secret");
	}

	@Test
	void webhookUrlPrintsNoCredentialsItCarries() {
		CrmProperties crm = bind(Map.of("esteira.crm.adapter", "webhook", "esteira.crm.webhook.url",
				"https://esteira:pa55word@crm.example/hooks?token=tok-very-secret", "esteira.crm.webhook.secret",
				"whsec-very-secret"));

		assertThat(crm.toString()).contains("https://(hidden)@crm.example/hooks?(hidden)")
			.doesNotContain("pa55word")
			.doesNotContain("tok-very-secret")
			.doesNotContain("whsec-very-secret");
		// The adapter itself still gets the whole URL.
		assertThat(crm.webhook().url()).endsWith("?token=tok-very-secret");
	}

	@Test
	void messagesLongerThan64KAreNoImageEventsByDefault() {
		assertThat(bind(Map.of()).batch().maxMessageChars()).isEqualTo(65_536);
		assertThat(bind(Map.of("esteira.crm.batch.max-message-chars", "131072")).batch().maxMessageChars())
			.isEqualTo(131_072);
	}

	@Test
	void toStringNeverPrintsTheToken() {
		CrmProperties crm = bind(Map.of("esteira.crm.hubspot.token", "pat-na1-very-secret"));

		assertThat(crm.hubspot().hasToken()).isTrue();
		assertThat(crm.toString()).contains("https://api.hubapi.com")
			.contains("2026-09")
			.contains("token=(set)")
			.doesNotContain("pat-na1-very-secret");
		assertThat(crm.hubspot().toString()).doesNotContain("pat-na1-very-secret");
	}

	@Test
	void aTenantsConnectionNamesItsKeyByReferenceAndDefaultsToTheGlobalSettings() {
		CrmProperties crm = bind(Map.of("esteira.crm.tenants.acme.token", "aws-secretsmanager:esteira/hubspot/acme",
				"esteira.crm.tenants.acme.portal-id", "4455667", "esteira.crm.tenants.acme.rate-limit.requests", "190"));

		assertThat(crm.tenants()).containsOnlyKeys("acme");
		CrmProperties.Tenant acme = crm.tenants().get("acme");
		assertThat(acme.token()).isEqualTo("aws-secretsmanager:esteira/hubspot/acme");
		assertThat(acme.baseUrl()).isNull();
		assertThat(acme.portalId()).isEqualTo("4455667");
		assertThat(acme.rateLimit().requests()).isEqualTo(190);
		assertThat(bind(Map.of()).tenants()).isEmpty();
		assertThat(bind(Map.of()).secrets().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void aTenantsKeyWrittenAsAValueIsRefusedAtStartUpWithoutRepeatingIt() {
		CrmProperties crm = bind(Map.of("esteira.crm.tenants.acme.token", "pat-na1-acme-in-clear"));

		assertThatIllegalStateException().isThrownBy(() -> CrmSyncConfiguration.checkTenants(crm))
			.withMessage("esteira.crm.tenants.acme.token must be a secret reference (env:NAME, file:/path or "
					+ "aws-secretsmanager:<secret-id>), not the key itself");
		assertThat(crm.toString()).doesNotContain("pat-na1-acme-in-clear");
	}

	/** Binds and validates as Spring Boot does for {@code @Validated} properties. */
	private CrmProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("esteira.crm",
				Bindable.of(CrmProperties.class),
				new ValidationBindHandler(new SpringValidatorAdapter(this.validation.getValidator())));
	}

}
