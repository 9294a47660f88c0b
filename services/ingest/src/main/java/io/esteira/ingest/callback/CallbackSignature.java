package io.esteira.ingest.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import io.esteira.ingest.config.Secret;

/**
 * The {@value #HEADER} header of a callback, as Stripe signs its webhooks: {@code t=<unix seconds>,v1=<hex>}, where
 * the hex is HMAC-SHA256, keyed with the client's secret, of {@code "<t>.<raw body>"} (the timestamp, a dot, the body
 * bytes exactly as received). Each attempt is signed when it is sent, so a retry carries a fresh timestamp. A receiver
 * accepts a callback only if a {@code v1} matches (compared in constant time) and {@code t} is within the replay window
 * ({@link #DEFAULT_TOLERANCE}, 5 minutes) of its own clock — a callback captured and sent again later is refused —
 * and drops repeats by {@code X-Esteira-Delivery}. {@link #verify} is the reference check the README's examples
 * mirror.
 */
public final class CallbackSignature {

	public static final String HEADER = "X-Esteira-Signature";

	/** The replay window receivers should use: how far {@code t} may be from their clock. */
	public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

	private static final HexFormat HEX = HexFormat.of();

	private CallbackSignature() {
	}

	/** The header value for {@code body} sent at {@code now}: {@code t=<seconds>,v1=<hex>}. */
	public static String sign(Secret secret, Instant now, byte[] body) {
		long timestamp = now.getEpochSecond();
		return "t=" + timestamp + ",v1=" + HEX.formatHex(secret.hmacSha256(signedPayload(timestamp, body)));
	}

	/**
	 * The receiver's check: the header is well-formed, one of its {@code v1} signatures is the HMAC of
	 * {@code "<t>.<body>"} with {@code secret}, and {@code t} is at most {@code tolerance} away from {@code now}.
	 * @param secret the client's secret, as configured for it in ingest (UTF-8 bytes)
	 * @param header the {@value #HEADER} value, {@code null} if there was none
	 * @param body the request body exactly as received
	 */
	public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
		if (header == null || secret == null || secret.isEmpty()) {
			return false;
		}
		Long timestamp = null;
		for (String part : header.split(",")) {
			if (part.strip().startsWith("t=")) {
				timestamp = parseSeconds(part.strip().substring(2));
			}
		}
		if (timestamp == null || Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
			return false;
		}
		byte[] expected = Secret.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), signedPayload(timestamp, body));
		for (String part : header.split(",")) {
			String candidate = part.strip();
			if (candidate.startsWith("v1=") && MessageDigest.isEqual(expected, parseHex(candidate.substring(3)))) {
				return true;
			}
		}
		return false;
	}

	private static byte[] signedPayload(long timestamp, byte[] body) {
		byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
		byte[] payload = new byte[prefix.length + body.length];
		System.arraycopy(prefix, 0, payload, 0, prefix.length);
		System.arraycopy(body, 0, payload, prefix.length, body.length);
		return payload;
	}

	private static Long parseSeconds(String text) {
		if (text.isEmpty() || text.length() > 12 || !text.chars().allMatch(Character::isDigit)) {
			return null;
		}
		return Long.parseLong(text);
	}

	private static byte[] parseHex(String text) {
		try {
			return HEX.parseHex(text);
		}
		catch (IllegalArgumentException ex) {
			return new byte[0];
		}
	}

}
