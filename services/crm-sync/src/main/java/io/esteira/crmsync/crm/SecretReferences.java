package io.esteira.crmsync.crm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads secrets named by reference, never by value, in settings such as {@code esteira.crm.tenants.<t>.token}:
 * <ul>
 * <li>{@code env:NAME}: the environment variable {@code NAME};</li>
 * <li>{@code file:/path}: the file's content, stripped (a mounted Kubernetes or Docker secret);</li>
 * <li>{@code aws-secretsmanager:<secret-id>}: the secret's {@code SecretString} in AWS Secrets Manager (a name or an
 * ARN; {@link AwsSecretsManager}, the SDK's default credentials chain).</li>
 * </ul>
 * A value read is kept for {@code cacheTtl} (default 5 min), so a rotated secret is seen within that time (at once
 * when the CRM refused the cached key: {@link CrmKey#refused()}) and Secrets Manager is asked at most once per period
 * per secret. A reference that cannot be read throws
 * {@link CrmUnavailableException} ({@code TRANSIENT}: the uploads concerned are retried, not failed at once) and logs
 * why, never a value.
 */
public class SecretReferences {

	private static final Logger logger = LoggerFactory.getLogger(SecretReferences.class);

	private static final String ENV = "env:";

	private static final String FILE = "file:";

	private static final String AWS = "aws-secretsmanager:";

	private final Duration cacheTtl;

	private final Function<String, String> environment;

	private final AwsSecretsManager secretsManager;

	private final Clock clock;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	/**
	 * @param environment the environment variables ({@code System::getenv})
	 * @param secretsManager reads {@code aws-secretsmanager:} references
	 */
	public SecretReferences(Duration cacheTtl, Function<String, String> environment, AwsSecretsManager secretsManager,
			Clock clock) {
		this.cacheTtl = cacheTtl;
		this.environment = environment;
		this.secretsManager = secretsManager;
		this.clock = clock;
	}

	/** Whether {@code value} is a reference this class reads ({@code env:}, {@code file:}, {@code aws-secretsmanager:}). */
	public static boolean isReference(String value) {
		return value != null && (value.startsWith(ENV) || value.startsWith(FILE) || value.startsWith(AWS));
	}

	/**
	 * The secret {@code reference} names as a CRM key: read when asked (and cached), read again after the CRM refused
	 * it; {@code setting} names it in messages.
	 */
	public CrmKey key(String reference, String setting) {
		return new CrmKey() {

			@Override
			public String get() {
				return resolve(reference, setting);
			}

			@Override
			public void refused() {
				forget(reference);
			}

		};
	}

	/** Drops the cached value of {@code reference}: the next {@link #resolve} reads it again. */
	public void forget(String reference) {
		if (this.cache.remove(reference) != null) {
			logger.info("The CRM refused the key read from {}; it is read again at the next request", reference);
		}
	}

	/**
	 * The secret {@code reference} names.
	 * @param setting the setting that holds the reference, for messages
	 * @throws CrmUnavailableException when it cannot be read now (unset variable, missing file, Secrets Manager
	 * unreachable or refusing): what it names may be there later
	 * @throws IllegalArgumentException when {@code reference} is not a reference
	 */
	public String resolve(String reference, String setting) {
		Instant now = this.clock.instant();
		Cached cached = this.cache.get(reference);
		if (cached != null && now.isBefore(cached.until())) {
			return cached.value();
		}
		String value;
		try {
			value = read(reference);
		}
		catch (SecretUnreadableException ex) {
			String message = "the secret of " + setting + " could not be read: " + ex.getMessage();
			logger.warn("{}; the uploads that need it are retried", message);
			throw new CrmUnavailableException(message, null);
		}
		this.cache.put(reference, new Cached(value, now.plus(this.cacheTtl)));
		return value;
	}

	private String read(String reference) {
		if (reference.startsWith(ENV)) {
			String name = reference.substring(ENV.length());
			String value = this.environment.apply(name);
			if (value == null || value.isBlank()) {
				throw new SecretUnreadableException("environment variable " + name + " is not set");
			}
			return value.strip();
		}
		if (reference.startsWith(FILE)) {
			Path path = Path.of(reference.substring(FILE.length()));
			try {
				String value = Files.readString(path, StandardCharsets.UTF_8).strip();
				if (value.isEmpty()) {
					throw new SecretUnreadableException("file " + path + " is empty");
				}
				return value;
			}
			catch (IOException | SecurityException ex) {
				throw new SecretUnreadableException("file " + path + " cannot be read (" + ex.getClass().getSimpleName()
						+ ")");
			}
		}
		if (reference.startsWith(AWS)) {
			String secretId = reference.substring(AWS.length());
			if (this.secretsManager == null) {
				throw new SecretUnreadableException("no AWS Secrets Manager client");
			}
			try {
				return this.secretsManager.secretString(secretId);
			}
			catch (AwsSecretsManager.SecretsManagerException ex) {
				throw new SecretUnreadableException("AWS Secrets Manager secret " + secretId + ": " + ex.getMessage());
			}
		}
		throw new IllegalArgumentException("not a secret reference (env:NAME, file:/path, aws-secretsmanager:ID)");
	}

	private record Cached(String value, Instant until) {
	}

	/** Why a reference could not be read; never carries the value. */
	private static final class SecretUnreadableException extends RuntimeException {

		SecretUnreadableException(String message) {
			super(message, null, false, false);
		}

	}

}
