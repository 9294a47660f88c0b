package io.esteira.ingest.config;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret setting (a signing key): bound from a string ({@link #of}), used only to compute HMACs, and never shown —
 * {@link #toString} is {@code (redacted)}, so a settings record that holds one can be logged, printed by the actuator
 * or put in an exception message without leaking it. An empty or blank value is {@link #NONE}.
 */
public final class Secret {

	/** No secret configured. */
	public static final Secret NONE = new Secret(new byte[0]);

	private static final String HMAC_SHA256 = "HmacSHA256";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final byte[] value;

	private Secret(byte[] value) {
		this.value = value;
	}

	/** The secret's UTF-8 bytes, exactly as given; {@link #NONE} for {@code null} or blank. */
	public static Secret of(String value) {
		return (value == null || value.isBlank()) ? NONE : new Secret(value.getBytes(StandardCharsets.UTF_8));
	}

	/** A random 256-bit secret, for when none is configured and only this process needs to know it. */
	public static Secret random() {
		byte[] value = new byte[32];
		RANDOM.nextBytes(value);
		return new Secret(value);
	}

	public boolean isEmpty() {
		return this.value.length == 0;
	}

	/** HMAC-SHA256 of {@code data} keyed with this secret. */
	public byte[] hmacSha256(byte[] data) {
		if (isEmpty()) {
			throw new IllegalStateException("No secret is configured");
		}
		return hmacSha256(this.value, data);
	}

	/** HMAC-SHA256 of {@code data} keyed with {@code key}: the one place ingest computes one. */
	public static byte[] hmacSha256(byte[] key, byte[] data) {
		try {
			Mac mac = Mac.getInstance(HMAC_SHA256);
			mac.init(new SecretKeySpec(key, HMAC_SHA256));
			return mac.doFinal(data);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return isEmpty() ? "(none)" : "(redacted)";
	}

}
