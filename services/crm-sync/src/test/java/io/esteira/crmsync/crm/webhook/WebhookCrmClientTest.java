package io.esteira.crmsync.crm.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookCrmClientTest {

	private static final String SECRET = "whsec-3f9a1c-test";

	private static final String HOOK = "/hooks/crm";

	private static final Instant NOW = Instant.parse("2026-11-22T18:00:00Z");

	private final TestHubSpot stand = EsteiraInfrastructure.shared().hubSpot();

	private final WireMockServer receiver = this.stand.server();

	private final WebhookCrmClient client = WebhookCrmClient.create(RestClient.builder(),
			this.receiver.baseUrl() + HOOK, SECRET, Duration.ofSeconds(1), Duration.ofSeconds(2),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@BeforeEach
	void resetReceiver() {
		this.stand.reset();
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(202)));
	}

	@Test
	void propertyUpdateIsASignedJsonPostThatTheReceiverCanVerify() throws Exception {
		this.client.updateContactProperty("123", "esteira_photo_url", "https://esteira.example/files/u1/256");

		LoggedRequest request = this.receiver.findAll(postRequestedFor(urlPathEqualTo(HOOK))).getFirst();
		String timestamp = request.getHeader("X-Esteira-Timestamp");
		assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));
		// What a receiver does: recompute the HMAC over "timestamp.body" with the shared secret.
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String expected = "sha256="
				+ HexFormat.of().formatHex(mac.doFinal((timestamp + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
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
	void tamperedBodyNoLongerMatchesTheSignature() {
		this.client.updateContactProperty("123", "esteira_photo_url", "https://esteira.example/files/u1/256");

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
	void retriesOfTheSameNoteCarryTheSameDeliveryId() {
		CrmNote note = new CrmNote("123", "Customer photo", NOW, "esteira0001");

		String first = this.client.createNote(note);
		String second = this.client.createNote(note);

		assertThat(first).isEqualTo(second);
		assertThat(this.receiver.findAll(postRequestedFor(urlPathEqualTo(HOOK))))
			.extracting((request) -> request.getHeader("X-Esteira-Delivery"))
			.containsExactly(first, first);
	}

	@Test
	void receiversAnswersMapToThePortsFailures() {
		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "4")));
		CrmUnavailableException limited = catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("123", "p", "v"));
		assertThat(limited.reason()).isEqualTo(CrmUnavailableException.Reason.RATE_LIMITED);
		assertThat(limited.retryAfter()).contains(Duration.ofSeconds(4));

		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(401)));
		assertThat(catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("123", "p", "v")).reason())
			.isEqualTo(CrmUnavailableException.Reason.CREDENTIALS_REFUSED);

		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(422)));
		assertThatExceptionOfType(CrmRejectedException.class)
			.isThrownBy(() -> this.client.updateContactProperty("123", "p", "v"));

		this.receiver.stubFor(post(urlPathEqualTo(HOOK)).willReturn(aResponse().withStatus(502)));
		assertThat(catchThrowableOfType(CrmUnavailableException.class,
				() -> this.client.updateContactProperty("123", "p", "v")).reason())
			.isEqualTo(CrmUnavailableException.Reason.TRANSIENT);
	}

}
