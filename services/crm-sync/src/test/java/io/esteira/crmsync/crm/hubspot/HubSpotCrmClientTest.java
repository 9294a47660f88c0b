package io.esteira.crmsync.crm.hubspot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmException;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmRequestGate;
import io.esteira.crmsync.crm.CrmTask;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.crmsync.crm.PhoneNumber;
import io.esteira.crmsync.crm.SecretReferences;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HubSpotCrmClientTest {

	private static final String TOKEN = "pat-na1-unit-7d1f0c9e-secret";

	private static final String OBJECTS = "/crm/objects/" + TestHubSpot.API_VERSION;

	private static final String READ = OBJECTS + "/contacts/batch/read";

	private static final String UPDATE = OBJECTS + "/contacts/batch/update";

	private static final String TASKS = OBJECTS + "/tasks/batch/create";

	private static final String NOTES = OBJECTS + "/notes/batch/create";

	private static final String SEARCH = OBJECTS + "/contacts/search";

	private static final String PROPERTIES = "/crm/properties/" + TestHubSpot.API_VERSION + "/contacts";

	private static final String PROPERTY = PROPERTIES + "/esteira_photo_url";

	private static final String LINK = "https://esteira.example/files/u1/256";

	private static final PhoneNumber MOBILE = new PhoneNumber("+5511987654321", "55", "11987654321");

	private static final PhoneNumber LANDLINE = new PhoneNumber("+552134567890", "55", "2134567890");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final TestHubSpot testHubSpot = EsteiraInfrastructure.shared().hubSpot();

	private final WireMockServer hubSpot = this.testHubSpot.server();

	private final RecordingGate gate = new RecordingGate();

	private final HubSpotCrmClient client = client(TestHubSpot.API_VERSION, Duration.ofSeconds(2), this.gate);

	@BeforeEach
	void resetHubSpot() {
		this.testHubSpot.reset();
	}

	// Reading contacts

	@Test
	void contactsAreReadInOneBatchWithTheirOwners() {
		Map<String, CrmContact> found = this.client.findContacts(List.of("123", "456", "123", "../owners/1"));

		assertThat(found).containsExactly(Map.entry("123", new CrmContact("123", TestHubSpot.OWNER)),
				Map.entry("456", new CrmContact("456", TestHubSpot.OWNER)));
		// Duplicates are asked once, and what cannot be a HubSpot id never reaches HubSpot.
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(READ))
			.withHeader("Authorization", equalTo("Bearer " + TOKEN))
			.withRequestBody(equalToJson("""
					{"properties":["hubspot_owner_id"],"inputs":[{"id":"123"},{"id":"456"}]}""")));
	}

	@Test
	void contactMissingFromABatchIsAbsentNotAnError() {
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1).willReturn(json(207, """
				{"status":"COMPLETE",
				 "results":[{"id":"123","properties":{"hubspot_owner_id":"7"}}],
				 "numErrors":1,
				 "errors":[{"status":"error","category":"OBJECT_NOT_FOUND",
				   "message":"Could not get some CONTACT objects, they may be deleted or not exist.",
				   "context":{"ids":["456"]}}]}""")));

		assertThat(this.client.findContacts(List.of("123", "456")))
			.containsExactly(Map.entry("123", new CrmContact("123", "7")));
	}

	@Test
	void contactsAreReadByEmailAsTheirIdProperty() {
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1).willReturn(json(200, """
				{"status":"COMPLETE","results":[
				  {"id":"101","properties":{"email":"Ana@Example.com","hubspot_owner_id":"7"}},
				  {"id":"102","properties":{"email":"caio@example.com","hubspot_owner_id":""}}]}""")));

		Map<String, CrmContact> found = this.client
			.findContactsByEmail(List.of(" Ana@Example.com ", "bob@example.com", "caio@example.com"));

		assertThat(found).containsExactly(Map.entry("ana@example.com", new CrmContact("101", "7")),
				Map.entry("caio@example.com", new CrmContact("102", null)));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(READ)).withRequestBody(equalToJson("""
				{"idProperty":"email","properties":["email","hubspot_owner_id"],
				 "inputs":[{"id":"ana@example.com"},{"id":"bob@example.com"},{"id":"caio@example.com"}]}""")));
	}

	// Searching by phone

	@Test
	void severalNumbersAreSearchedInOneRequestAndMatchedBackPerNumber() {
		PhoneNumber unknown = new PhoneNumber("+14155550123", "1", "4155550123");
		this.hubSpot.stubFor(post(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(json(200, """
				{"total":3,"results":[
				  {"id":"201","properties":{"phone":"+5511987654321","hubspot_owner_id":"7"}},
				  {"id":"202","properties":{"hs_searchable_calculated_phone_number":"2134567890"}},
				  {"id":"203","properties":{"hs_searchable_calculated_mobile_number":"1187654321",
				                            "hubspot_owner_id":"8"}}]}""")));

		Map<PhoneNumber, List<CrmContact>> found = this.client
			.findContactsByPhone(List.of(MOBILE, LANDLINE, unknown, MOBILE));

		assertThat(found).containsOnlyKeys(MOBILE, LANDLINE);
		// The mobile also as written before the ninth digit.
		assertThat(found.get(MOBILE)).containsExactly(new CrmContact("201", "7"), new CrmContact("203", "8"));
		assertThat(found.get(LANDLINE)).containsExactly(new CrmContact("202", null));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("""
				{"filterGroups":[
				  {"filters":[{"propertyName":"phone","operator":"IN",
				               "values":["+5511987654321","+552134567890","+14155550123"]}]},
				  {"filters":[{"propertyName":"mobilephone","operator":"IN",
				               "values":["+5511987654321","+552134567890","+14155550123"]}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_phone_number","operator":"IN",
				               "values":["11987654321","1187654321","2134567890","4155550123"]}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_mobile_number","operator":"IN",
				               "values":["11987654321","1187654321","2134567890","4155550123"]}]}],
				 "properties":["phone","mobilephone","hs_searchable_calculated_phone_number",
				               "hs_searchable_calculated_mobile_number","hubspot_owner_id"],
				 "limit":100}""")));
		assertThat(this.gate.kinds).containsExactly(CrmRequestGate.Kind.SEARCH);
	}

	@Test
	void oneMobileIsSearchedInEveryPhonePropertyWithTheRightFormat() {
		assertThat(this.client.findContactsByPhone(List.of(MOBILE))).isEmpty();

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("""
				{"filterGroups":[
				  {"filters":[{"propertyName":"phone","operator":"EQ","value":"+5511987654321"}]},
				  {"filters":[{"propertyName":"mobilephone","operator":"EQ","value":"+5511987654321"}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_phone_number","operator":"IN",
				               "values":["11987654321","1187654321"]}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_mobile_number","operator":"IN",
				               "values":["11987654321","1187654321"]}]}]}""", false, true)));
	}

	@Test
	void landlineIsSearchedWithoutALegacyVariant() {
		this.client.findContactsByPhone(List.of(LANDLINE));

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("""
				{"filterGroups":[
				  {"filters":[{"propertyName":"phone","operator":"EQ","value":"+552134567890"}]},
				  {"filters":[{"propertyName":"mobilephone","operator":"EQ","value":"+552134567890"}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_phone_number","operator":"EQ",
				               "value":"2134567890"}]},
				  {"filters":[{"propertyName":"hs_searchable_calculated_mobile_number","operator":"EQ",
				               "value":"2134567890"}]}]}""", false, true)));
	}

	@Test
	void everyRequestPassesTheGateOnceWithItsKind() {
		List<PhoneNumber> thirty = IntStream.range(0, 30)
			.mapToObj((i) -> new PhoneNumber("+55213456" + (7000 + i), "55", "213456" + (7000 + i)))
			.toList();

		this.client.findContacts(List.of("123"));
		this.client.findContactsByPhone(thirty);
		this.client.findTask("esteira0001");
		this.client.findNote("esteira0001");
		this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK));
		this.client.ensureContactProperty("esteira_photo_url", "Esteira photo");

		// 25 numbers per search: 30 take two.
		assertThat(this.gate.kinds).containsExactly(CrmRequestGate.Kind.STANDARD, CrmRequestGate.Kind.SEARCH,
				CrmRequestGate.Kind.SEARCH, CrmRequestGate.Kind.SEARCH, CrmRequestGate.Kind.SEARCH,
				CrmRequestGate.Kind.STANDARD, CrmRequestGate.Kind.STANDARD);
		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).hasSize(this.gate.kinds.size());
	}

	@Test
	void refusalOfTheGateSendsNothing() {
		CrmRequestGate closed = new CrmRequestGate() {

			@Override
			public void beforeRequest(Kind kind) {
				throw new CrmUnavailableException(CrmUnavailableException.Reason.THROTTLED,
						"no request token of the shared CRM rate limit within 10000 ms", Duration.ofSeconds(12), null);
			}

		};
		HubSpotCrmClient throttled = client(TestHubSpot.API_VERSION, Duration.ofSeconds(2), closed);

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> throttled.updateContactProperty("esteira_photo_url", Map.of("123", LINK)));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.THROTTLED);
		assertThat(failure.countsAsAttempt()).isFalse();
		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	// Updating contacts

	@Test
	void updateIsOneBatchWithTheBearerToken() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("123", LINK);
		values.put("456", "https://esteira.example/files/u2/256");

		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url", values);

		assertThat(outcomes).containsExactly(Map.entry("123", new CrmOutcome.Done<>("123")),
				Map.entry("456", new CrmOutcome.Done<>("456")));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(UPDATE))
			.withHeader("Authorization", equalTo("Bearer " + TOKEN))
			.withRequestBody(equalToJson("""
					{"inputs":[
					  {"id":"123","properties":{"esteira_photo_url":"https://esteira.example/files/u1/256"}},
					  {"id":"456","properties":{"esteira_photo_url":"https://esteira.example/files/u2/256"}}]}""")));
	}

	@Test
	void clearingReadsThePropertyAndClearsOnlyTheContactsThatStillHoldTheLink() {
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1).willReturn(json(200, """
				{"status":"COMPLETE","results":[
				  {"id":"123","properties":{"esteira_photo_url":"https://esteira.example/files/u1/256"}},
				  {"id":"456","properties":{"esteira_photo_url":"https://esteira.example/files/newer/256"}}]}""")));
		Map<String, String> expected = new LinkedHashMap<>();
		expected.put("123", LINK);
		expected.put("456", "https://esteira.example/files/u2/256");
		expected.put("789", "https://esteira.example/files/u3/256");

		Map<String, CrmOutcome<Boolean>> outcomes = this.client.clearContactProperty("esteira_photo_url", expected);

		assertThat(outcomes).containsOnly(Map.entry("123", new CrmOutcome.Done<>(true)),
				Map.entry("456", new CrmOutcome.Done<>(false)), Map.entry("789", new CrmOutcome.Done<>(false)));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(READ)).withRequestBody(equalToJson("""
				{"properties":["esteira_photo_url"],"inputs":[{"id":"123"},{"id":"456"},{"id":"789"}]}""")));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(equalToJson("""
				{"inputs":[{"id":"123","properties":{"esteira_photo_url":""}}]}""")));
	}

	@Test
	void oneFailedItemOfABatchUpdateHasItsOwnOutcome() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1).willReturn(json(207, """
				{"status":"COMPLETE",
				 "results":[{"id":"123","properties":{}}],
				 "numErrors":2,
				 "errors":[
				   {"status":"error","category":"VALIDATION_ERROR",
				    "message":"Property values were not valid: esteira_photo_url must be a https link",
				    "context":{"ids":["456"]}},
				   {"status":"error","category":"RATE_LIMITS","message":"Too many updates of this record",
				    "context":{"ids":["789"]}}]}""")));

		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				Map.of("123", LINK, "456", "x", "789", LINK));

		assertThat(outcomes).hasSize(3).containsEntry("123", new CrmOutcome.Done<>("123"));
		assertThat(outcomes.get("456")).isEqualTo(new CrmOutcome.Refused<>("HubSpot refused the update of a contact "
				+ "(VALIDATION_ERROR): Property values were not valid: esteira_photo_url must be a https link"));
		assertThat(outcomes.get("789")).isInstanceOfSatisfying(CrmOutcome.Unavailable.class,
				(unavailable) -> assertThat(unavailable.failure().reason())
					.isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED));
	}

	@Test
	void itemHubSpotSaysNothingOfMayBeTriedAgain() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1)
			.willReturn(json(207, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"123\"}],\"errors\":[]}")));

		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				Map.of("123", LINK, "456", LINK));

		assertThat(outcomes.get("123")).isEqualTo(new CrmOutcome.Done<>("123"));
		assertThat(outcomes.get("456")).isInstanceOfSatisfying(CrmOutcome.Unavailable.class,
				(unavailable) -> assertThat(unavailable.failure().reason())
					.isEqualTo(CrmUnavailableException.Reason.TRANSIENT));
	}

	@Test
	void invalidPropertyRefusesEveryItemWithHubSpotsExplanation() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1).willReturn(json(400,
				"{\"status\":\"error\",\"message\":\"Property values were not valid\","
						+ "\"category\":\"VALIDATION_ERROR\"}")));

		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				Map.of("123", "x", "456", "y"));

		CrmOutcome<String> refused = new CrmOutcome.Refused<>(
				"HubSpot rejected the update of 2 contacts (400): Property values were not valid");
		assertThat(outcomes).containsOnly(Map.entry("123", refused), Map.entry("456", refused));
	}

	@Test
	void contactIdThatIsNotAHubSpotIdIsRefusedWithoutACall() {
		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				Map.of("../owners/1", "x"));

		assertThat(outcomes).containsExactly(
				Map.entry("../owners/1", new CrmOutcome.Refused<>("'../owners/1' is not a HubSpot contact id")));
		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(this.gate.kinds).isEmpty();
	}

	// Whole-request failures

	@Test
	void rateLimitOnAWholeBatchIsThrownAndToldToTheGate() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1).willReturn(json(429, """
				{"status":"error","message":"You have reached your ten_secondly_rolling limit.",
				 "errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}""").withHeader("Retry-After", "7")));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK, "456", LINK)));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED);
		assertThat(failure.countsAsAttempt()).isTrue();
		assertThat(failure).hasMessageContaining("rate limit").hasMessageContaining("TEN_SECONDLY_ROLLING");
		assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
		assertThat(this.gate.failures).containsExactly(failure);
	}

	@Test
	void rateLimitWithoutRetryAfterLeavesTheWaitToTheRetryPolicy() {
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1).willReturn(json(429,
				"{\"status\":\"error\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}")));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.findContacts(List.of("123")));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED);
		assertThat(failure.retryAfter()).isEmpty();
	}

	@Test
	void dailyLimitIsToldApartFromTheTenSecondWindow() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1).willReturn(json(429,
				"{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
						+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}")));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK)));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.DAILY_LIMIT);
		assertThat(failure.pausesTheConsumer()).isTrue();
		assertThat(this.gate.failures).containsExactly(failure);
	}

	@Test
	void refusedKeyIsACredentialsProblemThatPausesTheConsumer() {
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1).willReturn(json(401,
				"{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
						+ "\"category\":\"INVALID_AUTHENTICATION\"}")));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.findContacts(List.of("123")));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.CREDENTIALS_REFUSED);
		assertThat(failure.pausesTheConsumer()).isTrue();
		assertThat(failure).hasMessageContaining("401").hasMessageContaining("esteira.crm.hubspot.token");
		assertThat(this.gate.failures).containsExactly(failure);
	}

	@Test
	void aKeyRotatedInTheVaultIsReadAgainRightAfterHubSpotRefusedTheCachedOne(@TempDir Path folder) throws IOException {
		Path mounted = folder.resolve("hubspot-token");
		Files.writeString(mounted, "pat-na1-revoked");
		// An hour of cache: only the refusal can make the client read the file again.
		SecretReferences secrets = new SecretReferences(Duration.ofHours(1), (name) -> null, null, Clock.systemUTC());
		HubSpotCrmClient rotating = HubSpotCrmClient.create(RestClient.builder(), this.hubSpot.baseUrl(),
				secrets.key("file:" + mounted, "esteira.crm.tenants.acme.token"), "esteira.crm.tenants.acme.token",
				TestHubSpot.API_VERSION, Duration.ofSeconds(1), Duration.ofSeconds(2), this.gate);
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1)
			.withHeader("Authorization", equalTo("Bearer pat-na1-revoked"))
			.willReturn(json(401, "{\"status\":\"error\",\"category\":\"INVALID_AUTHENTICATION\"}")));
		catchThrowableOfType(CrmUnavailableException.class, () -> rotating.findContacts(List.of("123")));

		Files.writeString(mounted, "pat-na1-rotated");
		assertThat(rotating.findContacts(List.of("123"))).containsKey("123");

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(READ)).withHeader("Authorization",
				equalTo("Bearer pat-na1-rotated")));
	}

	@Test
	void missingScopeIsRetryableAndSaysSo() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1).willReturn(json(403,
				"{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
						+ "\"category\":\"MISSING_SCOPES\"}")));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK)));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.TRANSIENT);
		assertThat(failure).hasMessageContaining("403").hasMessageContaining("scopes");
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503, 504 })
	void serverErrorsAreRetryable(int status) {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1)
			.willReturn(aResponse().withStatus(status).withBody("<html>oops</html>")));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK)));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.TRANSIENT);
		assertThat(failure.countsAsAttempt()).isTrue();
		assertThat(failure).hasMessage("HubSpot answered " + status + " to the update of 1 contact");
		assertThat(this.gate.failures).containsExactly(failure);
	}

	@Test
	void slowAnswerIsRetryable() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1)
			.willReturn(json(200, "{\"status\":\"COMPLETE\",\"results\":[]}").withFixedDelay(1_500)));
		HubSpotCrmClient impatient = client(TestHubSpot.API_VERSION, Duration.ofMillis(200), this.gate);

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> impatient.updateContactProperty("esteira_photo_url", Map.of("123", LINK)));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.TRANSIENT);
		assertThat(failure).hasMessageStartingWith("HubSpot could not be reached to update contacts");
		assertThat(this.gate.failures).containsExactly(failure);
	}

	@Test
	void resetConnectionIsRetryable() {
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.findContacts(List.of("123")));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.TRANSIENT);
		assertThat(failure).hasMessageStartingWith("HubSpot could not be reached to read contacts");
	}

	@Test
	void unreachableHubSpotIsRetryable() {
		HubSpotCrmClient unreachable = HubSpotCrmClient.create(RestClient.builder(), "http://127.0.0.1:1", TOKEN,
				TestHubSpot.API_VERSION, Duration.ofMillis(500), Duration.ofSeconds(1), this.gate);

		CrmUnavailableException failure = catchThrowableOfType(CrmUnavailableException.class,
				() -> unreachable.updateContactProperty("esteira_photo_url", Map.of("123", LINK)));

		assertThat(failure.reason()).isEqualTo(CrmUnavailableException.Reason.TRANSIENT);
		assertThat(this.gate.failures).containsExactly(failure);
	}

	@Test
	void missingKeyIsRetryableAndSendsNothing() {
		HubSpotCrmClient keyless = HubSpotCrmClient.create(RestClient.builder(), this.hubSpot.baseUrl(), " ",
				TestHubSpot.API_VERSION, Duration.ofSeconds(1), Duration.ofSeconds(1), this.gate);

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> keyless.updateContactProperty("esteira_photo_url", Map.of("123", LINK)))
			.withMessageContaining("no HubSpot key");
		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(this.gate.kinds).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 401, 404, 409, 429, 500, 503 })
	void tokenIsInNoFailureEvenWhenHubSpotEchoesIt(int status) {
		ResponseDefinitionBuilder echo = json(status, "{\"message\":\"bad {{request.headers.Authorization}}\","
				+ "\"policyName\":\"{{request.headers.Authorization}}\"}")
			.withHeader("Retry-After", "{{request.headers.Authorization}}");
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1).willReturn(echo));
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1).willReturn(echo));

		List<String> texts = new ArrayList<>();
		try {
			this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK))
				.values()
				.forEach((outcome) -> texts.add(textOf(outcome)));
		}
		catch (CrmException ex) {
			texts.addAll(messagesOf(ex));
		}
		texts.addAll(messagesOf(catchThrowableOfType(CrmException.class,
				() -> this.client.findContacts(List.of("123")))));

		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(UPDATE))).getFirst()
			.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
		assertThat(texts).isNotEmpty().noneMatch((text) -> text.contains(TOKEN));
	}

	@Test
	void tokenIsInNoItemRefusalEvenWhenHubSpotEchoesIt() {
		this.hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).atPriority(1).willReturn(json(207, """
				{"status":"COMPLETE","results":[],"errors":[{"status":"error","category":"VALIDATION_ERROR",
				 "message":"bad {{request.headers.Authorization}}","context":{"ids":["123"]}}]}""")));

		CrmOutcome<String> outcome = this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK))
			.get("123");

		assertThat(outcome).isInstanceOf(CrmOutcome.Refused.class);
		assertThat(textOf(outcome)).contains("[token]").doesNotContain(TOKEN);
	}

	// Tasks and notes

	@Test
	void tasksAreCreatedInOneBatchForTheirOwnersAssociatedByType204() {
		Instant due = Instant.parse("2026-11-22T18:00:00Z");

		Map<String, CrmOutcome<String>> outcomes = this.client.createTasks(List.of(
				new CrmTask("123", "77", "New customer photo", "See x (Esteira ref m1)", due, "m1"),
				new CrmTask("456", null, "New customer photo", "See y (Esteira ref m2)", due, "m2")));

		assertThat(outcomes).containsOnlyKeys("m1", "m2")
			.allSatisfy((marker, outcome) -> assertThat(outcome).isInstanceOf(CrmOutcome.Done.class));
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(TASKS)).withRequestBody(equalToJson("""
				{"inputs":[
				  {"properties":{"hs_timestamp":"2026-11-22T18:00:00Z","hs_task_subject":"New customer photo",
				     "hs_task_body":"See x (Esteira ref m1)","hs_task_status":"NOT_STARTED","hs_task_type":"TODO",
				     "hubspot_owner_id":"77"},
				   "associations":[{"to":{"id":"123"},
				     "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":204}]}],
				   "objectWriteTraceId":"m1"},
				  {"properties":{"hs_timestamp":"2026-11-22T18:00:00Z","hs_task_subject":"New customer photo",
				     "hs_task_body":"See y (Esteira ref m2)","hs_task_status":"NOT_STARTED","hs_task_type":"TODO"},
				   "associations":[{"to":{"id":"456"},
				     "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":204}]}],
				   "objectWriteTraceId":"m2"}]}""")));
	}

	@Test
	void notesAreCreatedInOneBatchAssociatedByType202() {
		Instant at = Instant.parse("2026-11-22T18:00:00Z");

		Map<String, CrmOutcome<String>> outcomes = this.client
			.createNotes(List.of(new CrmNote("123", "Photo: https://x/files/u/256 (Esteira ref m1)", at, "m1")));

		assertThat(outcomes).containsOnlyKeys("m1");
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(NOTES)).withRequestBody(equalToJson("""
				{"inputs":[
				  {"properties":{"hs_timestamp":"2026-11-22T18:00:00Z",
				     "hs_note_body":"Photo: https://x/files/u/256 (Esteira ref m1)"},
				   "associations":[{"to":{"id":"123"},
				     "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}],
				   "objectWriteTraceId":"m1"}]}""")));
	}

	@Test
	void createdTasksAreMatchedToTheirMarkersInWhateverOrderHubSpotAnswers() {
		this.hubSpot.stubFor(post(urlPathEqualTo(TASKS)).atPriority(1).willReturn(json(201, """
				{"status":"COMPLETE","results":[
				  {"id":"9003","properties":{"hs_task_body":"z"},"objectWriteTraceId":"m3"},
				  {"id":"9001","properties":{"hs_task_body":"x"},"objectWriteTraceId":"m1"},
				  {"id":"9002","properties":{"hs_task_body":"y"},"objectWriteTraceId":"m2"}]}""")));

		Map<String, CrmOutcome<String>> outcomes = this.client.createTasks(List.of(aTask("123", "m1"),
				aTask("456", "m2"), aTask("789", "m3")));

		assertThat(outcomes).containsOnly(Map.entry("m1", new CrmOutcome.Done<>("9001")),
				Map.entry("m2", new CrmOutcome.Done<>("9002")), Map.entry("m3", new CrmOutcome.Done<>("9003")));
	}

	@Test
	void createdNotesWithoutTraceIdsAreMatchedByTheMarkerInTheirBody() {
		this.hubSpot.stubFor(post(urlPathEqualTo(NOTES)).atPriority(1).willReturn(json(201, """
				{"status":"COMPLETE","results":[
				  {"id":"8002","properties":{"hs_note_body":"Customer photo (Esteira ref esteira0002)"}},
				  {"id":"8001","properties":{"hs_note_body":"Customer photo (Esteira ref esteira0001)"}}]}""")));
		Instant at = Instant.parse("2026-11-22T18:00:00Z");

		Map<String, CrmOutcome<String>> outcomes = this.client.createNotes(List.of(
				new CrmNote("123", "Customer photo (Esteira ref esteira0001)", at, "esteira0001"),
				new CrmNote("456", "Customer photo (Esteira ref esteira0002)", at, "esteira0002")));

		assertThat(outcomes).containsOnly(Map.entry("esteira0001", new CrmOutcome.Done<>("8001")),
				Map.entry("esteira0002", new CrmOutcome.Done<>("8002")));
	}

	@Test
	void oneFailedItemOfABatchCreationHasItsOwnOutcome() {
		this.hubSpot.stubFor(post(urlPathEqualTo(TASKS)).atPriority(1).willReturn(json(207, """
				{"status":"COMPLETE",
				 "results":[{"id":"9001","properties":{"hs_task_body":"x"},"objectWriteTraceId":"m1"}],
				 "numErrors":1,
				 "errors":[{"status":"error","category":"VALIDATION_ERROR",
				   "message":"One or more associations are invalid","context":{"objectWriteTraceId":["m2"]}}]}""")));

		Map<String, CrmOutcome<String>> outcomes = this.client.createTasks(List.of(aTask("123", "m1"),
				aTask("999", "m2")));

		assertThat(outcomes).containsOnly(Map.entry("m1", new CrmOutcome.Done<>("9001")), Map.entry("m2",
				new CrmOutcome.Refused<>("HubSpot refused the creation of a task (VALIDATION_ERROR): "
						+ "One or more associations are invalid")));
	}

	@Test
	void moreThanAHundredTasksAreSplitIntoBatchesOfAHundred() {
		List<CrmTask> tasks = IntStream.range(0, 150)
			.mapToObj((i) -> aTask(Integer.toString(1000 + i), "esteira%04d".formatted(i)))
			.toList();

		Map<String, CrmOutcome<String>> outcomes = this.client.createTasks(tasks);

		assertThat(outcomes).hasSize(150)
			.allSatisfy((marker, outcome) -> assertThat(outcome).isInstanceOf(CrmOutcome.Done.class));
		assertThat(this.hubSpot.findAll(postRequestedFor(urlPathEqualTo(TASKS))))
			.extracting((request) -> JSON.readTree(request.getBodyAsString()).get("inputs").size())
			.containsExactly(100, 50);
		assertThat(this.gate.kinds).hasSize(2);
	}

	@Test
	void taskIsFoundAgainByItsMarker() {
		this.hubSpot.stubFor(post(urlPathEqualTo(OBJECTS + "/tasks/search")).atPriority(1).willReturn(json(200,
				"{\"total\":1,\"results\":[{\"id\":\"9001\",\"properties\":{\"hs_task_body\":\"x (Esteira ref m1)\"}}]}")));

		assertThat(this.client.findTask("m1")).contains("9001");
		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(OBJECTS + "/tasks/search")).withRequestBody(
				equalToJson("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_task_body\","
						+ "\"operator\":\"CONTAINS_TOKEN\",\"value\":\"m1\"}]}]}", true, true)));
		assertThat(this.gate.kinds).containsExactly(CrmRequestGate.Kind.SEARCH);
	}

	// The contact property

	@Test
	void existingPropertyIsLeftAlone() {
		this.client.ensureContactProperty("esteira_photo_url", "Esteira photo");

		this.hubSpot.verify(1, getRequestedFor(urlPathEqualTo(PROPERTY)));
		assertThat(this.hubSpot.findAll(postRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void missingPropertyIsCreatedThroughThePropertiesApi() {
		this.hubSpot.stubFor(get(urlPathEqualTo(PROPERTY)).atPriority(1).willReturn(json(404, "{\"status\":\"error\"}")));
		this.hubSpot.stubFor(post(urlPathEqualTo(PROPERTIES)).atPriority(1)
			.willReturn(json(201, "{\"name\":\"esteira_photo_url\"}")));

		this.client.ensureContactProperty("esteira_photo_url", "Esteira photo");

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(PROPERTIES)).withRequestBody(
				equalToJson("{\"name\":\"esteira_photo_url\",\"label\":\"Esteira photo\",\"type\":\"string\","
						+ "\"fieldType\":\"text\",\"groupName\":\"contactinformation\"}", true, true)));
	}

	@Test
	void propertyCreatedMeanwhileByAnotherInstanceIsWhatWeWanted() {
		this.hubSpot.stubFor(get(urlPathEqualTo(PROPERTY)).atPriority(1).willReturn(json(404, "{\"status\":\"error\"}")));
		this.hubSpot.stubFor(post(urlPathEqualTo(PROPERTIES)).atPriority(1).willReturn(json(409,
				"{\"status\":\"error\",\"message\":\"Property named 'esteira_photo_url' already exists.\","
						+ "\"category\":\"OBJECT_ALREADY_EXISTS\"}")));

		this.client.ensureContactProperty("esteira_photo_url", "Esteira photo");

		this.hubSpot.verify(1, postRequestedFor(urlPathEqualTo(PROPERTIES)));
	}

	@Test
	void keyWithoutTheSchemaScopeCannotCreateTheProperty() {
		this.hubSpot.stubFor(get(urlPathEqualTo(PROPERTY)).atPriority(1).willReturn(json(404, "{\"status\":\"error\"}")));
		this.hubSpot.stubFor(post(urlPathEqualTo(PROPERTIES)).atPriority(1).willReturn(json(403,
				"{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
						+ "\"category\":\"MISSING_SCOPES\"}")));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> this.client.ensureContactProperty("esteira_photo_url", "Esteira photo"))
			.withMessageContaining("403")
			.withMessageContaining("scopes");
	}

	@Test
	void propertyNameThatHubSpotWouldNotAcceptIsRejectedWithoutACall() {
		assertThatExceptionOfType(CrmRejectedException.class)
			.isThrownBy(() -> this.client.ensureContactProperty("../owners", "x"));
		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	// The API version

	@Test
	void configuredApiVersionIsInEveryPath() {
		HubSpotCrmClient later = client("2027-03", Duration.ofSeconds(2), this.gate);

		later.findContacts(List.of("123"));
		later.updateContactProperty("esteira_photo_url", Map.of("123", LINK));
		later.createNotes(List.of(new CrmNote("123", "n (Esteira ref m1)", Instant.EPOCH, "m1")));
		later.findTask("m1");
		later.ensureContactProperty("esteira_photo_url", "Esteira photo");

		assertThat(this.hubSpot.findAll(anyRequestedFor(anyUrl()))).extracting((request) -> request.getUrl())
			.containsExactly("/crm/objects/2027-03/contacts/batch/read", "/crm/objects/2027-03/contacts/batch/update",
					"/crm/objects/2027-03/notes/batch/create", "/crm/objects/2027-03/tasks/search",
					"/crm/properties/2027-03/contacts/esteira_photo_url");
	}

	@Test
	void apiVersionIsADate() {
		assertThatIllegalArgumentException().isThrownBy(() -> new HubSpotCrmClient.Paths("v3"))
			.withMessageContaining("2026-09");
		assertThatIllegalArgumentException().isThrownBy(() -> new HubSpotCrmClient.Paths(null));
	}

	private static CrmTask aTask(String contactId, String marker) {
		return new CrmTask(contactId, "77", "New customer photo", "See the photo (Esteira ref " + marker + ")",
				Instant.parse("2026-11-22T18:00:00Z"), marker);
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	private HubSpotCrmClient client(String apiVersion, Duration readTimeout, CrmRequestGate gate) {
		return HubSpotCrmClient.create(RestClient.builder(), this.hubSpot.baseUrl(), TOKEN, apiVersion,
				Duration.ofSeconds(1), readTimeout, gate);
	}

	private static String textOf(CrmOutcome<String> outcome) {
		return switch (outcome) {
			case CrmOutcome.Done<String> done -> done.value();
			case CrmOutcome.Refused<String> refused -> refused.reason();
			case CrmOutcome.Unavailable<String> unavailable -> String.join(" ", messagesOf(unavailable.failure()));
		};
	}

	private static List<String> messagesOf(Throwable failure) {
		List<String> messages = new ArrayList<>();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			messages.add(String.valueOf(current.getMessage()));
			messages.add(current.toString());
		}
		return messages;
	}

	/** A gate that lets every request through and remembers what it saw. */
	private static final class RecordingGate implements CrmRequestGate {

		private final List<Kind> kinds = new CopyOnWriteArrayList<>();

		private final List<CrmUnavailableException> failures = new CopyOnWriteArrayList<>();

		@Override
		public void beforeRequest(Kind kind) {
			this.kinds.add(kind);
		}

		@Override
		public CrmUnavailableException onUnavailable(CrmUnavailableException failure) {
			this.failures.add(failure);
			return failure;
		}

	}

}
