package io.esteira.crmsync.config;

import java.time.Clock;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.esteira.crmsync.crm.CrmAvailability;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class CrmAdapterSelectionTest {

	private final TestHubSpot stand = EsteiraInfrastructure.shared().hubSpot();

	private final WireMockServer server = this.stand.server();

	@BeforeEach
	void reset() {
		this.stand.reset();
		this.server.stubFor(post(urlPathEqualTo("/hooks/crm")).willReturn(aResponse().withStatus(204)));
	}

	@Test
	void webhookAdapterIsChosenByConfiguration() {
		CrmClient crm = client(Map.of("esteira.crm.adapter", "webhook", "esteira.crm.webhook.url",
				this.server.baseUrl() + "/hooks/crm", "esteira.crm.webhook.secret", "s3cret"));

		crm.updateContactProperty("123", "esteira_photo_url", "https://esteira.example/files/u/256");

		assertThat(this.server.findAll(postRequestedFor(urlPathEqualTo("/hooks/crm")))).singleElement()
			.satisfies((request) -> assertThat(request.getHeader("X-Esteira-Signature")).startsWith("sha256="));
		assertThat(this.server.findAll(patchRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void hubSpotAdapterIsTheDefault() {
		CrmClient crm = client(Map.of("esteira.crm.hubspot.base-url", this.server.baseUrl(),
				"esteira.crm.hubspot.token", "t"));

		crm.updateContactProperty("123", "esteira_photo_url", "https://esteira.example/files/u/256");

		assertThat(this.server.findAll(patchRequestedFor(urlPathEqualTo("/crm/v3/objects/contacts/123")))).hasSize(1);
		assertThat(this.server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	private static CrmClient client(Map<String, String> properties) {
		CrmProperties crm = new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("esteira.crm",
				CrmProperties.class);
		CrmSyncConfiguration configuration = new CrmSyncConfiguration();
		Clock clock = Clock.systemUTC();
		return configuration.crmClient(RestClient.builder(), crm, configuration.crmRateLimiter(crm),
				new CrmAvailability(clock, new SimpleMeterRegistry()), clock);
	}

}
