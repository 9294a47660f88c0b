package io.esteira.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.esteira.contracts.event.Tenants;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API keys accepted by a service ({@code esteira.security.api-keys}). No key is accepted by default.
 *
 * @param apiKeys the keys, by hash
 */
@ConfigurationProperties("esteira.security")
public record ApiKeyProperties(@DefaultValue List<ApiKey> apiKeys) {

	/**
	 * One client's key.
	 *
	 * @param name who holds it (shown in logs and audit, never the key; {@link #toString()} leaves the hash out)
	 * @param sha256 lowercase hex SHA-256 of the key ({@code printf %s "$KEY" | sha256sum})
	 * @param scopes what it may do, e.g. {@code uploads:write}, {@code uploads:read}, {@code invoices:read}
	 * @param tenant the tenant its holder belongs to ({@link Tenants#PATTERN}; default none, which is
	 * {@link Tenants#DEFAULT})
	 * @param customerDocument the one customer (CNPJ/CPF, punctuation optional) its holder is restricted to: it sees
	 * only that customer's rows and cannot upload (default none)
	 */
	public record ApiKey(String name, String sha256, @DefaultValue Set<String> scopes, String tenant,
			String customerDocument) {

		@ConstructorBinding
		public ApiKey {
			if (tenant != null && !tenant.isBlank() && !Tenants.isValid(tenant)) {
				throw new IllegalArgumentException(
						"API key " + name + ": tenant must match " + Tenants.PATTERN + ", was '" + tenant + "'");
			}
		}

		/** A key without tenant nor customer document. */
		public ApiKey(String name, String sha256, Set<String> scopes) {
			this(name, sha256, scopes, null, null);
		}

		/** Who calls with this key. */
		public EsteiraPrincipal principal() {
			return new EsteiraPrincipal(this.name, this.tenant, this.customerDocument, this.scopes);
		}

		/** Never the hash: a hash of a short or reused key can be reversed by guessing. */
		@Override
		public String toString() {
			return "ApiKey[name=" + this.name + ", sha256=" + ((this.sha256 != null) ? "(set)" : "(none)")
					+ ", scopes=" + this.scopes + ", tenant=" + this.tenant + ", customerDocument="
					+ ((this.customerDocument != null) ? "(set)" : "(none)") + "]";
		}

	}

	/** Lowercase hex SHA-256 of a key: the form {@link ApiKey#sha256()} expects. */
	public static String sha256(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

}
