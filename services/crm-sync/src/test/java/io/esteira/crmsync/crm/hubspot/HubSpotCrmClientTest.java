package io.esteira.crmsync.crm.hubspot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.esteira.crmsync.crm.CrmException;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HubSpotCrmClientTest {

	private static final String TOKEN = "pat-na1-unit-7d1f0c9e-secret";

	private static final String CONTACT = "/crm/v3/objects/contacts/123";

	private final TestHubSpot testHubSpot = EsteiraInfrastructure.shared().hubSpot();

	private final WireMockServer hubSpot = this.testHubSpot.server();

	private final HubSpotCrmClient client = clientWithReadTimeout(Duration.ofSeconds(2));

	@BeforeEach
	void resetHubSpot() {
		this.testHubSpot.reset();
	}

	@Test
	void updateSendsThePropertyWithTheBearerToken() {
		this.client.updateContactProperty("123", "esteira_photo_url", "https://esteira.example/files/u1/256");

		this.hubSpot.verify(1, patchRequestedFor(urlPathEqualTo(CONTACT))
			.withHeader("Authorization", equalTo("Bearer " + TOKEN))
			.withRequestBody(
					equalToJson("{\"properties\":{\"esteira_photo_url\":\"https://esteira.example/files/u1/256\"}}")));
	}

	@Test
	void unknownContactIsRejectedForReview() {
		stub(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"status\":\"error\",\"message\":\"resource not found\",\"category\":\"OBJECT_NOT_FOUND\"}"));

		assertThatExceptionOfType(CrmRejectedException.class)
			.isThrownBy(() -> this.client.updateContactProperty("123", "esteira_photo_url", "x"))
			.withMessage("contact 123 not found in HubSpot");
	}

	@Test
	void invalidPropertyIsRejectedWithHubSpotsExplanation() {
		stub(aResponse().withStatus(400)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"status\":\"error\",\"message\":\"Property values were not valid\","
					+ "\"category\":\"VALIDATION_ERROR\"}"));

		assertThatExceptionOfType(CrmRejectedException.class)
			.isThrownBy(() -> this.client.updateContactProperty("123", "esteira_photo_url", "x"))
			.withMessage("HubSpot rejected the update of contact 123 (400): Property values were not valid");
	}

	@Test
	void rateLimitIsRetryableAndKeepsRetryAfter() {
		stub(aResponse().withStatus(429)
			.withHeader("Content-Type", "application/json")
			.withHeader("Retry-After", "7")
			.withBody("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
					+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("123", "esteira_photo_url", "x"));

		assertThat(failure).hasMessageContaining("rate limit").hasMessageContaining("TEN_SECONDLY_ROLLING");
		assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503, 401, 403 })
	void serverErrorsAndRefusedTokensAreRetryable(int status) {
		stub(aResponse().withStatus(status).withBody("<html>oops</html>"));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> this.client.updateContactProperty("123", "esteira_photo_url", "x"))
			.withMessageContaining(Integer.toString(status));
	}

	@Test
	void slowAnswerIsRetryable() {
		stub(aResponse().withStatus(200).withFixedDelay(1_500));
		HubSpotCrmClient impatient = clientWithReadTimeout(Duration.ofMillis(200));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> impatient.updateContactProperty("123", "esteira_photo_url", "x"))
			.withMessageStartingWith("HubSpot could not be reached to update contact 123");
	}

	@Test
	void unreachableHubSpotIsRetryable() {
		HubSpotCrmClient unreachable = HubSpotCrmClient.create(RestClient.builder(), "http://127.0.0.1:1", TOKEN,
				Duration.ofMillis(500), Duration.ofSeconds(1));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> unreachable.updateContactProperty("123", "esteira_photo_url", "x"));
	}

	@Test
	void contactIdThatIsNotAHubSpotIdIsRejectedWithoutACall() {
		assertThatExceptionOfType(CrmRejectedException.class)
			.isThrownBy(() -> this.client.updateContactProperty("../owners/1", "esteira_photo_url", "x"))
			.withMessage("'../owners/1' is not a HubSpot contact id");
		assertThat(this.hubSpot.findAll(patchRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void missingTokenIsRetryableAndSendsNothing() {
		HubSpotCrmClient tokenless = HubSpotCrmClient.create(RestClient.builder(), this.hubSpot.baseUrl(), "",
				Duration.ofSeconds(1), Duration.ofSeconds(1));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> tokenless.updateContactProperty("123", "esteira_photo_url", "x"))
			.withMessageContaining("no HubSpot token");
		assertThat(this.hubSpot.findAll(patchRequestedFor(anyUrl()))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 401, 404, 409, 429, 500, 503 })
	void tokenIsInNoFailureEvenWhenHubSpotEchoesIt(int status) {
		stub(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withHeader("Retry-After", "{{request.headers.Authorization}}")
			.withBody("{\"message\":\"bad {{request.headers.Authorization}}\","
					+ "\"policyName\":\"{{request.headers.Authorization}}\"}"));

		CrmException failure = catchThrowableOfType(CrmException.class,
				() -> this.client.updateContactProperty("123", "esteira_photo_url", "x"));

		assertThat(failure).isNotNull();
		assertThat(this.hubSpot.findAll(patchRequestedFor(anyUrl())).getFirst().getHeader("Authorization"))
			.isEqualTo("Bearer " + TOKEN);
		assertThat(messagesOf(failure)).isNotEmpty().noneMatch((message) -> message.contains(TOKEN));
	}

	private void stub(ResponseDefinitionBuilder response) {
		this.hubSpot.stubFor(patch(urlPathEqualTo(CONTACT)).willReturn(response));
	}

	private HubSpotCrmClient clientWithReadTimeout(Duration readTimeout) {
		return HubSpotCrmClient.create(RestClient.builder(), this.hubSpot.baseUrl(), TOKEN, Duration.ofSeconds(1),
				readTimeout);
	}

	private static List<String> messagesOf(Throwable failure) {
		List<String> messages = new ArrayList<>();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			messages.add(String.valueOf(current.getMessage()));
			messages.add(current.toString());
		}
		return messages;
	}

}
