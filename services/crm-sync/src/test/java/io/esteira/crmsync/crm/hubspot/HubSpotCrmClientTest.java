package io.esteira.crmsync.crm.hubspot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmException;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmTask;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.crmsync.crm.PhoneNumber;
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
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HubSpotCrmClientTest {

	private static final String TOKEN = "pat-na1-unit-7d1f0c9e-secret";

	private static final String CONTACT = "/crm/v3/objects/contacts/123";

	private static final String SEARCH = "/crm/v3/objects/contacts/search";

	private static final String PROPERTY = "/crm/v3/properties/contacts/esteira_photo_url";

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


	@Test
	void contactIsReadWithItsOwner() {
		this.hubSpot.stubFor(get(urlPathEqualTo(CONTACT)).willReturn(json(200,
				"{\"id\":\"123\",\"properties\":{\"hubspot_owner_id\":\"77\",\"hs_object_id\":\"123\"},"
						+ "\"archived\":false}")));

		assertThat(this.client.findContact("123")).contains(new CrmContact("123", "77"));
		this.hubSpot.verify(1, getRequestedFor(urlPathEqualTo(CONTACT)).withQueryParam("properties",
				equalTo("hubspot_owner_id")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
	}

	@Test
	void unknownContactIsEmptyNotAnError() {
		this.hubSpot.stubFor(get(urlPathEqualTo(CONTACT)).willReturn(json(404,
				"{\"status\":\"error\",\"message\":\"resource not found\",\"category\":\"OBJECT_NOT_FOUND\"}")));

		assertThat(this.client.findContact("123")).isEmpty();
	}

	@Test
	void emailSearchIsAnExactMatchOnTheEmailProperty() {
		this.hubSpot.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(json(200, "{\"total\":2,\"results\":["
				+ "{\"id\":\"101\",\"properties\":{\"email\":\"ana@example.com\",\"hubspot_owner_id\":\"7\"}},"
				+ "{\"id\":\"102\",\"properties\":{\"email\":\"ana@example.com\",\"hubspot_owner_id\":null}}]}")));

		List<CrmContact> found = this.client.findContactsByEmail(" ana@example.com ");

		assertThat(found).containsExactly(new CrmContact("101", "7"), new CrmContact("102", null));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("""
				{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"ana@example.com"}]}],
				 "properties":["email","hubspot_owner_id"],"limit":10}""")));
	}

	@Test
	void phoneSearchLooksInEveryPhonePropertyWithTheRightFormat() {
		this.hubSpot.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(json(200, "{\"total\":0,\"results\":[]}")));

		assertThat(this.client.findContactsByPhone(new PhoneNumber("+5511987654321", "55", "11987654321"))).isEmpty();

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("""
				{"filterGroups":[
				  {"filters":[{"propertyName":"phone","operator":"EQ","value":"+5511987654321"}]},
				  {"filters":[{"propertyName":"mobilephone","operator":"EQ","value":"+5511987654321"}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_phone_number","operator":"IN",
				               "values":["11987654321","1187654321"]}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_mobile_number","operator":"IN",
				               "values":["11987654321","1187654321"]}]}],
				 "properties":["phone","mobilephone","hubspot_owner_id"],"limit":10}""")));
	}

	@Test
	void landlineIsSearchedWithoutALegacyVariant() {
		this.hubSpot.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(json(200, "{\"total\":0,\"results\":[]}")));

		this.client.findContactsByPhone(new PhoneNumber("+552134567890", "55", "2134567890"));

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("""
				{"filterGroups":[
				  {"filters":[{"propertyName":"phone","operator":"EQ","value":"+552134567890"}]},
				  {"filters":[{"propertyName":"mobilephone","operator":"EQ","value":"+552134567890"}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_phone_number","operator":"EQ",
				               "value":"2134567890"}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_mobile_number","operator":"EQ",
				               "value":"2134567890"}]}]}""", true, true)));
	}

	@Test
	void taskIsForTheOwnerDueNowAndAssociatedWithTheContactByType204() {
		this.hubSpot.stubFor(post(urlPathEqualTo("/crm/v3/objects/tasks")).willReturn(json(201,
				"{\"id\":\"9001\",\"properties\":{\"hs_task_subject\":\"New customer photo\"}}")));
		Instant due = Instant.parse("2026-11-22T18:00:00Z");

		String id = this.client.createTask(new CrmTask("123", "77", "New customer photo", "See {link}", due, "m1"));

		assertThat(id).isEqualTo("9001");
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo("/crm/v3/objects/tasks")).withRequestBody(equalToJson("""
				{"properties":{"hs_timestamp":"2026-11-22T18:00:00Z","hs_task_subject":"New customer photo",
				  "hs_task_body":"See {link}","hs_task_status":"NOT_STARTED","hs_task_type":"TODO",
				  "hubspot_owner_id":"77"},
				 "associations":[{"to":{"id":"123"},
				   "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":204}]}]}""")));
	}

	@Test
	void noteIsAssociatedWithTheContactByType202() {
		this.hubSpot.stubFor(post(urlPathEqualTo("/crm/v3/objects/notes")).willReturn(json(201, "{\"id\":\"8001\"}")));
		Instant at = Instant.parse("2026-11-22T18:00:00Z");

		assertThat(this.client.createNote(new CrmNote("123", "Photo: https://x/files/u/256", at, "m1")))
			.isEqualTo("8001");
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo("/crm/v3/objects/notes")).withRequestBody(equalToJson("""
				{"properties":{"hs_timestamp":"2026-11-22T18:00:00Z","hs_note_body":"Photo: https://x/files/u/256"},
				 "associations":[{"to":{"id":"123"},
				   "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}]}""")));
	}

	@Test
	void taskIsFoundAgainByItsMarker() {
		this.hubSpot.stubFor(post(urlPathEqualTo("/crm/v3/objects/tasks/search")).willReturn(json(200,
				"{\"total\":1,\"results\":[{\"id\":\"9001\",\"properties\":{\"hs_task_body\":\"x (Esteira ref m1)\"}}]}")));

		assertThat(this.client.findTask("m1")).contains("9001");
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo("/crm/v3/objects/tasks/search")).withRequestBody(
				equalToJson("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_task_body\","
						+ "\"operator\":\"CONTAINS_TOKEN\",\"value\":\"m1\"}]}]}", true, true)));
	}

	@Test
	void dailyLimitIsToldApartFromTheTenSecondWindow() {
		stub(json(429, "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
				+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}"));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("123", "esteira_photo_url", "x"));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.DAILY_LIMIT);
		assertThat(failure.pausesTheConsumer()).isTrue();
	}

	@Test
	void refusedTokenIsACredentialsProblemThatPausesTheConsumer() {
		stub(json(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
				+ "\"category\":\"INVALID_AUTHENTICATION\"}"));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("123", "esteira_photo_url", "x"));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.CREDENTIALS_REFUSED);
		assertThat(failure.pausesTheConsumer()).isTrue();
	}

	@Test
	void missingPropertyIsCreatedThroughThePropertiesApi() {
		this.hubSpot.stubFor(get(urlPathEqualTo(PROPERTY)).willReturn(json(404, "{\"status\":\"error\"}")));
		this.hubSpot.stubFor(post(urlPathEqualTo("/crm/v3/properties/contacts")).willReturn(json(201,
				"{\"name\":\"esteira_photo_url\"}")));

		this.client.ensureContactProperty("esteira_photo_url", "Esteira photo");

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo("/crm/v3/properties/contacts")).withRequestBody(
				equalToJson("{\"name\":\"esteira_photo_url\",\"label\":\"Esteira photo\",\"type\":\"string\","
						+ "\"fieldType\":\"text\",\"groupName\":\"contactinformation\"}", true, true)));
	}

	@Test
	void existingPropertyIsLeftAlone() {
		this.hubSpot.stubFor(get(urlPathEqualTo(PROPERTY)).willReturn(json(200,
				"{\"name\":\"esteira_photo_url\",\"type\":\"string\"}")));

		this.client.ensureContactProperty("esteira_photo_url", "Esteira photo");

		assertThat(this.hubSpot.findAll(postRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void tokenWithoutTheSchemaScopeCannotCreateTheProperty() {
		this.hubSpot.stubFor(get(urlPathEqualTo(PROPERTY)).willReturn(json(404, "{\"status\":\"error\"}")));
		this.hubSpot.stubFor(post(urlPathEqualTo("/crm/v3/properties/contacts")).willReturn(json(403,
				"{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
						+ "\"category\":\"MISSING_SCOPES\"}")));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> this.client.ensureContactProperty("esteira_photo_url", "Esteira photo"))
			.withMessageContaining("403")
			.withMessageContaining("scopes");
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
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
