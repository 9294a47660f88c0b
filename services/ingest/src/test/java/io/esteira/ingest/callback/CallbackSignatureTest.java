package io.esteira.ingest.callback;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.esteira.ingest.config.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackSignatureTest {

	private static final String CLIENT_A = "secret-of-client-a";

	private static final String CLIENT_B = "secret-of-client-b";

	private static final Instant SENT = Instant.parse("2026-12-06T10:00:00Z");

	private static final byte[] BODY = "{\"uploadId\":\"1\",\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);

	private static final Duration WINDOW = CallbackSignature.DEFAULT_TOLERANCE;

	@Test
	void aCallbackVerifiesWithItsClientsSecretWithinTheWindow() {
		String header = CallbackSignature.sign(Secret.of(CLIENT_A), SENT, BODY);

		assertThat(header).matches("t=1796551200,v1=[0-9a-f]{64}");
		assertThat(CallbackSignature.verify(CLIENT_A, header, BODY, SENT, WINDOW)).isTrue();
		assertThat(CallbackSignature.verify(CLIENT_A, header, BODY, SENT.plus(WINDOW), WINDOW)).isTrue();
		assertThat(CallbackSignature.verify(CLIENT_A, header, BODY, SENT.minusSeconds(30), WINDOW)).isTrue();
	}

	@Test
	void aCallbackReplayedOutsideTheWindowIsDetected() {
		String header = CallbackSignature.sign(Secret.of(CLIENT_A), SENT, BODY);

		assertThat(CallbackSignature.verify(CLIENT_A, header, BODY, SENT.plus(WINDOW).plusSeconds(1), WINDOW)).isFalse();
		assertThat(CallbackSignature.verify(CLIENT_A, header, BODY, SENT.plus(Duration.ofDays(1)), WINDOW)).isFalse();
		// moving the timestamp forward breaks the signature
		String moved = header.replace("t=" + SENT.getEpochSecond(), "t=" + SENT.plus(Duration.ofDays(1)).getEpochSecond());
		assertThat(CallbackSignature.verify(CLIENT_A, moved, BODY, SENT.plus(Duration.ofDays(1)), WINDOW)).isFalse();
	}

	@Test
	void aCallbackSignedWithClientAsSecretDoesNotVerifyWithClientBs() {
		String header = CallbackSignature.sign(Secret.of(CLIENT_A), SENT, BODY);

		assertThat(CallbackSignature.verify(CLIENT_B, header, BODY, SENT, WINDOW)).isFalse();
		assertThat(CallbackSignature.sign(Secret.of(CLIENT_B), SENT, BODY)).isNotEqualTo(header);
	}

	@Test
	void aChangedBodyOrAMalformedHeaderDoesNotVerify() {
		String header = CallbackSignature.sign(Secret.of(CLIENT_A), SENT, BODY);
		byte[] changed = "{\"uploadId\":\"1\",\"status\":\"FAILED\"}".getBytes(StandardCharsets.UTF_8);

		assertThat(CallbackSignature.verify(CLIENT_A, header, changed, SENT, WINDOW)).isFalse();
		for (String malformed : new String[] { null, "", "sha256=abc", "t=,v1=", "t=abc,v1=00", "v1=" + "0".repeat(64),
				"t=" + SENT.getEpochSecond(), "t=" + SENT.getEpochSecond() + ",v1=zz", "t=99999999999999999999,v1=00" }) {
			assertThat(CallbackSignature.verify(CLIENT_A, malformed, BODY, SENT, WINDOW)).as(malformed).isFalse();
		}
		assertThat(CallbackSignature.verify("", header, BODY, SENT, WINDOW)).isFalse();
	}

	@Test
	void anyMatchingV1SignatureVerifiesSoSecretsCanBeRotated() {
		String header = CallbackSignature.sign(Secret.of(CLIENT_A), SENT, BODY);
		String withAnother = header + ",v1=" + "ab".repeat(32);

		assertThat(CallbackSignature.verify(CLIENT_A, withAnother, BODY, SENT, WINDOW)).isTrue();
	}

	@Test
	void theSignedPayloadIsTheTimestampADotAndTheBody() throws Exception {
		// what the README's openssl example computes
		String header = CallbackSignature.sign(Secret.of(CLIENT_A), SENT, BODY);
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(new javax.crypto.spec.SecretKeySpec(CLIENT_A.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String expected = java.util.HexFormat.of()
			.formatHex(mac.doFinal((SENT.getEpochSecond() + "." + new String(BODY, StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8)));

		assertThat(header).endsWith(",v1=" + expected);
	}

}
