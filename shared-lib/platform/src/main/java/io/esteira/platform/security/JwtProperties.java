package io.esteira.platform.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bearer tokens (JWTs) accepted beside API keys ({@code esteira.security.jwt.*}) by the chain
 * {@link ApiKeySecurity#apiChain} builds. Off unless {@code issuer-uri} or {@code jwk-set-uri} is set. Only tokens
 * signed with an asymmetric algorithm (RS, PS or ES 256/384/512) by a key of the issuer's JWK set are accepted;
 * {@code alg: none} and HMAC are refused.
 *
 * @param issuerUri the issuer's URI: its JWK set is found through its OpenID configuration
 * ({@code <issuer-uri>/.well-known/openid-configuration}) at the first token, and tokens must carry it as {@code iss}
 * (default none)
 * @param jwkSetUri the issuer's JWK set, when it is not found through {@code issuer-uri} (default none)
 * @param issuer the {@code iss} tokens must carry (default {@code issuer-uri}; required with {@code jwk-set-uri})
 * @param audiences when set, a token's {@code aud} must hold at least one of them (default none: not checked)
 * @param clockSkew how far {@code exp} and {@code nbf} may be off this replica's clock (default {@code 60s})
 * @param jwkSetTimeout connect and read timeout when fetching the JWK set or the OpenID configuration (default
 * {@code 5s})
 * @param scopeClaim the claim holding the scopes, a space-separated string or an array; {@code scp} is read when it is
 * absent (default {@code scope})
 * @param scopePrefix a prefix taken off the scopes that start with it, e.g. Cognito's resource server identifier
 * ({@code esteira/} turns {@code esteira/uploads:read} into {@code uploads:read}; default none)
 * @param tenantClaim the claim naming the caller's tenant (default {@code tenant})
 * @param customerDocumentClaim the claim naming the one customer (CNPJ/CPF) the caller is restricted to (default
 * {@code customer_document})
 * @param principalClaim the claim naming the client, its {@link EsteiraPrincipal#name()} (default {@code sub})
 */
@ConfigurationProperties("esteira.security.jwt")
public record JwtProperties(String issuerUri, String jwkSetUri, String issuer, @DefaultValue List<String> audiences,
		@DefaultValue("60s") Duration clockSkew, @DefaultValue("5s") Duration jwkSetTimeout,
		@DefaultValue("scope") String scopeClaim, String scopePrefix, @DefaultValue("tenant") String tenantClaim,
		@DefaultValue("customer_document") String customerDocumentClaim, @DefaultValue("sub") String principalClaim) {

	public JwtProperties {
		audiences = List.copyOf(audiences);
		if (hasText(jwkSetUri) && !hasText(issuerUri) && !hasText(issuer)) {
			throw new IllegalArgumentException("esteira.security.jwt.jwk-set-uri needs esteira.security.jwt.issuer: "
					+ "the iss every token must carry");
		}
		if (clockSkew.isNegative() || jwkSetTimeout.isNegative() || jwkSetTimeout.isZero()) {
			throw new IllegalArgumentException(
					"esteira.security.jwt.clock-skew must not be negative and jwk-set-timeout must be positive");
		}
	}

	/** Whether bearer tokens are accepted: an issuer URI or a JWK set URI is set. */
	public boolean enabled() {
		return hasText(this.issuerUri) || hasText(this.jwkSetUri);
	}

	/** The {@code iss} tokens must carry: {@code issuer}, else {@code issuer-uri}. */
	public String expectedIssuer() {
		return hasText(this.issuer) ? this.issuer : this.issuerUri;
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
