package io.esteira.crmsync.crm.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmRequestGate;
import io.esteira.crmsync.crm.CrmTask;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.crmsync.crm.PhoneNumber;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookCrmClientTest {

	private static final String SECRET = "whsec-3f9a1c-test";

	private static final String HOOK = "/hooks/crm";

	private static final Instant NOW = Instant.parse("2026-11-22T18:00:00Z");

	private static final String LINK = "https://esteira.example/files/u1/256";

	private final TestHubSpot stand = EsteiraInfrastructure.shared().hubSpot();

	private final WireMockServer receiver = this.stand.server();

	private final RecordingGate gate = new RecordingGate();

	private final WebhookCrmClient client = client(this.receiver.baseUrl() + HOOK);

	@BeforeEach
	void resetReceiver() {
		this.stand.reset();
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(202)));
	}

	@Test
	void propertyUpdateIsASignedJsonPostThatTheReceiverCanVerify() throws Exception {
		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				Map.of("123", LINK));

		assertThat(outcomes).containsExactly(Map.entry("123", new CrmOutcome.Done<>("123")));
		LoggedRequest request = this.receiver.findAll(postRequestedFor(urlPathEqualTo(HOOK))).getFirst();
		String timestamp = request.getHeader("X-Esteira-Timestamp");
		assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));
		// What a receiver does: recompute the HMAC over "timestamp.body" with the shared secret.
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String expected = "sha256=" + HexFormat.of()
			.formatHex(mac.doFinal((timestamp + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
		assertThat(MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				request.getHeader("X-Esteira-Signature").getBytes(StandardCharsets.US_ASCII)))
			.isTrue();
		assertThat(request.getBodyAsString()).doesNotContain(SECRET);
		this.receiver.verify(postRequestedFor(urlPathEqualTo(HOOK))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"type":"contact.property.updated","sentAt":"2026-11-22T18:00:00Z","contact":"123",
					 "property":"esteira_photo_url","value":"https://esteira.example/files/u1/256"}""", true, true)));
	}

	@Test
	void photoClearingAsksTheReceiverToClearOnlyWhileThePropertyHoldsTheErasedLink() {
		Map<String, CrmOutcome<Boolean>> outcomes = this.client.clearContactProperty("esteira_photo_url",
				Map.of("123", LINK));

		assertThat(outcomes).containsExactly(Map.entry("123", new CrmOutcome.Done<>(true)));
		this.receiver.verify(1, postRequestedFor(urlPathEqualTo(HOOK)).withRequestBody(equalToJson("""
				{"type":"contact.property.cleared","contact":"123","property":"esteira_photo_url",
				 "ifValue":"https://esteira.example/files/u1/256"}""", true, true)));
	}

	@Test
	void tamperedBodyNoLongerMatchesTheSignature() {
		this.client.updateContactProperty("esteira_photo_url", Map.of("123", LINK));

		LoggedRequest request = this.receiver.findAll(postRequestedFor(urlPathEqualTo(HOOK))).getFirst();
		String timestamp = request.getHeader("X-Esteira-Timestamp");
		String tampered = request.getBodyAsString().replace("u1", "u2");

		assertThat(WebhookCrmClient.signature(SECRET.getBytes(StandardCharsets.UTF_8), timestamp, tampered))
			.isNotEqualTo(request.getHeader("X-Esteira-Signature"));
		assertThat(WebhookCrmClient.signature(SECRET.getBytes(StandardCharsets.UTF_8), timestamp,
				request.getBodyAsString()))
			.isEqualTo(request.getHeader("X-Esteira-Signature"));
	}

	@Test
	void aBatchIsOneSignedPostPerItemEachThroughTheGate() {
		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				values("123", "456", "789"));

		assertThat(outcomes).containsExactly(Map.entry("123", new CrmOutcome.Done<>("123")),
				Map.entry("456", new CrmOutcome.Done<>("456")), Map.entry("789", new CrmOutcome.Done<>("789")));
		List<LoggedRequest> requests = this.receiver.findAll(postRequestedFor(urlPathEqualTo(HOOK)));
		assertThat(requests).hasSize(3)
			.allSatisfy((request) -> assertThat(request.getHeader("X-Esteira-Signature")).startsWith("sha256="));
		assertThat(requests).extracting((request) -> request.getHeader("X-Esteira-Delivery"))
			.doesNotHaveDuplicates();
		assertThat(this.gate.kinds).containsExactly(CrmRequestGate.Kind.STANDARD, CrmRequestGate.Kind.STANDARD,
				CrmRequestGate.Kind.STANDARD);
	}

	@Test
	void retriesOfTheSameNoteCarryTheSameDeliveryId() {
		CrmNote note = new CrmNote("123", "Customer photo", NOW, "esteira0001");

		CrmOutcome<String> first = this.client.createNotes(List.of(note)).get("esteira0001");
		CrmOutcome<String> second = this.client.createNotes(List.of(note)).get("esteira0001");

		assertThat(first).isInstanceOf(CrmOutcome.Done.class).isEqualTo(second);
		String deliveryId = ((CrmOutcome.Done<String>) first).value();
		assertThat(this.receiver.findAll(postRequestedFor(urlPathEqualTo(HOOK))))
			.extracting((request) -> request.getHeader("X-Esteira-Delivery"))
			.containsExactly(deliveryId, deliveryId);
	}

	@Test
	void taskKeepsTheIdTheReceiverAnswers() {
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1)
			.willReturn(aResponse().withStatus(201)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"id\":\"T-42\"}")));

		Map<String, CrmOutcome<String>> outcomes = this.client.createTasks(List.of(new CrmTask("123", "77",
				"New customer photo", "See " + LINK, NOW, "esteira0001")));

		assertThat(outcomes).containsExactly(Map.entry("esteira0001", new CrmOutcome.Done<>("T-42")));
		this.receiver.verify(postRequestedFor(urlPathEqualTo(HOOK)).withRequestBody(equalToJson("""
				{"type":"task.created","contact":"123","owner":"77","subject":"New customer photo",
				 "body":"See https://esteira.example/files/u1/256","dueAt":"2026-11-22T18:00:00Z"}""", true, true)));
	}

	@Test
	void serverErrorOnOneItemLeavesThatItemUnavailableAndTheOthersDone() {
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1)
			.withRequestBody(containing("\"contact\":\"456\""))
			.willReturn(aResponse().withStatus(503)));

		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				values("123", "456", "789"));

		assertThat(outcomes.get("123")).isEqualTo(new CrmOutcome.Done<>("123"));
		assertThat(outcomes.get("789")).isEqualTo(new CrmOutcome.Done<>("789"));
		assertThat(outcomes.get("456")).isInstanceOfSatisfying(CrmOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.failure().reason()).isEqualTo(CrmUnavailableException.Reason.TRANSIENT);
			assertThat(unavailable.failure()).hasMessageContaining("503");
		});
		assertThat(this.gate.failures).singleElement()
			.satisfies((failure) -> assertThat(failure).hasMessageContaining("503"));
	}

	@Test
	void rejectionOfOneItemRefusesOnlyThatItem() {
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1)
			.withRequestBody(containing("\"contact\":\"456\""))
			.willReturn(aResponse().withStatus(422)));

		Map<String, CrmOutcome<String>> outcomes = this.client.updateContactProperty("esteira_photo_url",
				values("123", "456"));

		assertThat(outcomes).containsExactly(Map.entry("123", new CrmOutcome.Done<>("123")), Map.entry("456",
				new CrmOutcome.Refused<>("the CRM webhook rejected contact.property.updated (422)")));
	}

	@Test
	void rateLimitFailsTheWholeBatch() {
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1)
			.withRequestBody(containing("\"contact\":\"456\""))
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "4")));

		CrmUnavailableException limited = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("esteira_photo_url", values("123", "456", "789")));

		assertThat(limited.reason()).isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED);
		assertThat(limited.retryAfter()).contains(Duration.ofSeconds(4));
		assertThat(this.gate.failures).containsExactly(limited);
		// Nothing more is sent once the receiver said to slow down.
		assertThat(this.receiver.findAll(postRequestedFor(urlPathEqualTo(HOOK)))).hasSize(2);
	}

	@Test
	void refusedSignatureFailsTheWholeBatch() {
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).atPriority(1).willReturn(aResponse().withStatus(401)));

		CrmUnavailableException refused = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.createNotes(List.of(new CrmNote("123", "n", NOW, "m1"))));

		assertThat(refused.reason()).isEqualTo(CrmUnavailableException.Reason.CREDENTIALS_REFUSED);
		assertThat(refused.pausesTheConsumer()).isTrue();
		assertThat(refused).hasMessageContaining("esteira.crm.webhook.secret");
	}

	@Test
	void unconfiguredWebhookLeavesEveryItemUnavailableAndSendsNothing() {
		WebhookCrmClient unconfigured = client(" ");

		Map<String, CrmOutcome<String>> outcomes = unconfigured.updateContactProperty("esteira_photo_url",
				values("123", "456"));

		assertThat(outcomes).hasSize(2).allSatisfy((contact, outcome) -> assertThat(outcome)
			.isInstanceOfSatisfying(CrmOutcome.Unavailable.class, (unavailable) -> assertThat(unavailable.failure())
				.hasMessageContaining("esteira.crm.webhook.url")));
		assertThat(this.receiver.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(this.gate.kinds).isEmpty();
	}

	@Test
	void lookupsHandTheReferenceToTheReceiverWithoutACall() {
		PhoneNumber phone = new PhoneNumber("+5511987654321", "55", "11987654321");

		assertThat(this.client.findContacts(List.of("123")))
			.containsExactly(Map.entry("123", new CrmContact("123", null)));
		assertThat(this.client.findContactsByEmail(List.of(" Ana@Example.com ")))
			.containsExactly(Map.entry("ana@example.com", new CrmContact("email:ana@example.com", null)));
		assertThat(this.client.findContactsByPhone(List.of(phone)))
			.containsExactly(Map.entry(phone, List.of(new CrmContact("phone:+5511987654321", null))));
		assertThat(this.client.findTask("m1")).isEmpty();
		assertThat(this.receiver.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	private WebhookCrmClient client(String url) {
		return WebhookCrmClient.create(RestClient.builder(), url, SECRET, Duration.ofSeconds(1), Duration.ofSeconds(2),
				Clock.fixed(NOW, ZoneOffset.UTC), this.gate);
	}

	/** The same link for each contact, in this order. */
	private static Map<String, String> values(String... contactIds) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String contactId : contactIds) {
			values.put(contactId, LINK);
		}
		return values;
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
