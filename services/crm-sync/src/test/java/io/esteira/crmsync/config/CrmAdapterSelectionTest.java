package io.esteira.crmsync.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmRequestGate;
import io.esteira.crmsync.crm.SecretReferences;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

class CrmAdapterSelectionTest {

	private static final String LINK = "https://esteira.example/files/u/256";

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

		Map<String, CrmOutcome<String>> outcomes = crm.updateContactProperty("esteira_photo_url",
				Map.of("123", LINK));

		assertThat(outcomes).containsExactly(Map.entry("123", new CrmOutcome.Done<>("123")));
		assertThat(this.server.findAll(postRequestedFor(urlPathEqualTo("/hooks/crm")))).singleElement()
			.satisfies((request) -> assertThat(request.getHeader("X-Esteira-Signature")).startsWith("sha256="));
		assertThat(this.server.findAll(anyRequestedFor(urlPathMatching("/crm/.*")))).isEmpty();
	}

	@Test
	void hubSpotAdapterIsTheDefaultOnTheDefaultApiVersion() {
		CrmClient crm = client(Map.of("esteira.crm.hubspot.base-url", this.server.baseUrl(),
				"esteira.crm.hubspot.token", "t"));

		crm.updateContactProperty("esteira_photo_url", Map.of("123", LINK));

		assertThat(this.server.findAll(anyRequestedFor(anyUrl()))).singleElement()
			.satisfies((request) -> assertThat(request.getUrl())
				.isEqualTo("/crm/objects/" + TestHubSpot.API_VERSION + "/contacts/batch/update"));
	}

	@Test
	void hubSpotApiVersionComesFromTheConfiguration() {
		CrmClient crm = client(Map.of("esteira.crm.hubspot.base-url", this.server.baseUrl(),
				"esteira.crm.hubspot.token", "t", "esteira.crm.hubspot.api-version", "2027-03"));

		crm.findContacts(List.of("123"));

		assertThat(this.server.findAll(anyRequestedFor(anyUrl()))).singleElement()
			.satisfies((request) -> assertThat(request.getUrl()).isEqualTo("/crm/objects/2027-03/contacts/batch/read"));
	}

	private static CrmClient client(Map<String, String> properties) {
		CrmProperties crm = new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("esteira.crm",
				CrmProperties.class);
		return new CrmSyncConfiguration().crmClient(RestClient.builder(), crm, CrmRequestGate.OPEN,
				Clock.systemUTC(), new SecretReferences(Duration.ofMinutes(5), System::getenv, null, Clock.systemUTC()));
	}

}
