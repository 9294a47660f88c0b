package io.esteira.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.esteira.contracts.event.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.convert.converter.Converter;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.client.RestTemplate;

/**
 * Bearer tokens in the chain {@link ApiKeySecurity#apiChain} builds, when {@link JwtProperties} enables them: Spring
 * Security's OAuth2 resource server validates the JWT (signature by a key of the issuer's JWK set, asymmetric
 * algorithms only; {@code exp} required, {@code exp}/{@code nbf} within the clock skew; {@code iss}; {@code aud} when
 * audiences are set) and {@link #principal(Jwt)} makes the same {@link EsteiraPrincipal} and {@code SCOPE_<scope>}
 * authorities an API key gets. A token that fails any of this is a failed authentication, reason
 * {@code invalid-token}: logged without the token, counted, answered {@code 401} {@code invalid-token}.
 */
final class BearerTokens implements Converter<Jwt, AbstractAuthenticationToken> {

	/** RSA, RSA-PSS and ECDSA: never {@code none}, never HMAC (a shared secret, or a public key used as one). */
	static final Set<SignatureAlgorithm> ALGORITHMS = Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
			SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512,
			SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512);

	/** How long a client waits before trying again when the identity provider did not answer. */
	static final long RETRY_AFTER_SECONDS = 5;

	/**
	 * Token types that are not access tokens: an ID token (OpenID Connect) proves a login to the client that asked for
	 * it, and must not call the API. Keycloak marks them {@code typ: ID}, Cognito {@code token_use: id}; RFC 9068 access
	 * tokens have the header {@code typ: at+jwt}.
	 */
	static final Set<String> ACCESS_TOKEN_HEADER_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");

	private static final Logger logger = LoggerFactory.getLogger(BearerTokens.class);

	/** The scope claim of Entra ID and some others, read when the configured one is absent. */
	static final String SCP = "scp";

	private final JwtProperties settings;

	BearerTokens(JwtProperties settings) {
		this.settings = settings;
	}

	/** Adds the resource server to the chain; {@code limits} records an invalid token. */
	void configure(HttpSecurity http, ApiRequestLimits limits) throws Exception {
		AuthenticationEntryPoint invalid = (request, response, ex) -> {
			limits.failed(request, ApiRequestLimits.Failure.INVALID_TOKEN);
			SecurityProblems.invalidToken(request, response);
		};
		// A token that could not be checked, because the identity provider's keys could not be fetched, is not the
		// caller's failure: 503 with Retry-After, not counted against its address.
		AuthenticationFailureHandler failure = (request, response, ex) -> {
			if (ex instanceof AuthenticationServiceException) {
				logger.warn("A bearer token could not be checked: the identity provider did not answer ({})",
						ex.getMessage());
				SecurityProblems.identityProviderUnavailable(request, response, RETRY_AFTER_SECONDS);
			}
			else {
				invalid.commence(request, response, ex);
			}
		};
		http.oauth2ResourceServer((server) -> server.authenticationEntryPoint(invalid)
			.jwt((jwt) -> jwt.decoder(decoder()).jwtAuthenticationConverter(this))
			.withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
				@Override
				public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
					filter.setAuthenticationFailureHandler(failure);
					return filter;
				}
			}));
	}

	/**
	 * The decoder: the issuer's configuration and JWK set are fetched at the first token, not at startup, so an
	 * identity provider that is down does not stop the service; the JWK set is cached, and fetched again for an
	 * unknown key id. While the identity provider cannot be reached, decoding fails with a {@link JwtException} that
	 * is not a {@link BadJwtException}: the token could not be checked, which is not the caller's failure.
	 */
	JwtDecoder decoder() {
		AtomicReference<JwtDecoder> built = new AtomicReference<>();
		return (token) -> {
			JwtDecoder decoder = built.get();
			if (decoder == null) {
				try {
					built.compareAndSet(null, build());
				}
				catch (RuntimeException ex) {
					throw new JwtException("The identity provider's configuration could not be fetched", ex);
				}
				decoder = built.get();
			}
			return decoder.decode(token);
		};
	}

	private JwtDecoder build() {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(this.settings.jwkSetTimeout());
		requests.setReadTimeout(this.settings.jwkSetTimeout());
		RestTemplate rest = new RestTemplate(requests);
		String jwkSetUri = this.settings.jwkSetUri();
		NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder = (jwkSetUri != null && !jwkSetUri.isBlank())
				? NimbusJwtDecoder.withJwkSetUri(jwkSetUri) : NimbusJwtDecoder.withIssuerLocation(this.settings.issuerUri());
		NimbusJwtDecoder decoder = builder.restOperations(rest)
			.jwsAlgorithms((algorithms) -> {
				algorithms.clear();
				algorithms.addAll(ALGORITHMS);
			})
			.build();
		decoder.setJwtValidator(validator());
		return decoder;
	}

	private OAuth2TokenValidator<Jwt> validator() {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		JwtTimestampValidator time = new JwtTimestampValidator(this.settings.clockSkew());
		time.setAllowEmptyExpiryClaim(false);
		validators.add(time);
		validators.add(new JwtIssuerValidator(this.settings.expectedIssuer()));
		validators.add(BearerTokens::accessTokenOnly);
		List<String> audiences = this.settings.audiences();
		if (!audiences.isEmpty()) {
			validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
					(audience) -> audience != null && audience.stream().anyMatch(audiences::contains)));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	/** Refuses ID tokens and any token whose header {@code typ} is not an access token's. */
	static OAuth2TokenValidatorResult accessTokenOnly(Jwt jwt) {
		Object headerType = jwt.getHeaders().get("typ");
		boolean idToken = "id".equalsIgnoreCase(String.valueOf(jwt.getClaims().get("token_use")))
				|| "id".equalsIgnoreCase(String.valueOf(jwt.getClaims().get("typ")));
		boolean otherType = headerType != null
				&& !ACCESS_TOKEN_HEADER_TYPES.contains(String.valueOf(headerType).toLowerCase(Locale.ROOT));
		return (idToken || otherType) ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
				"The token is not an access token (an ID token or another type)", null))
				: OAuth2TokenValidatorResult.success();
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		return principal(jwt).authenticated();
	}

	/** The caller a valid token names; a token without the principal claim is invalid. */
	EsteiraPrincipal principal(Jwt jwt) {
		String name = text(jwt, this.settings.principalClaim());
		if (name == null) {
			throw new InvalidBearerTokenException("The token has no " + this.settings.principalClaim() + " claim");
		}
		String tenant = text(jwt, this.settings.tenantClaim());
		if (tenant != null && !Tenants.isValid(tenant)) {
			throw new InvalidBearerTokenException("The token's " + this.settings.tenantClaim()
					+ " claim is not a tenant id (" + Tenants.PATTERN + ")");
		}
		return new EsteiraPrincipal(name, tenant, text(jwt, this.settings.customerDocumentClaim()), scopes(jwt));
	}

	/** A space-separated string or an array, in the scope claim or else in {@code scp}; the prefix taken off. */
	private Set<String> scopes(Jwt jwt) {
		Object claim = jwt.hasClaim(this.settings.scopeClaim()) ? jwt.getClaims().get(this.settings.scopeClaim())
				: jwt.getClaims().get(SCP);
		Set<String> scopes = new LinkedHashSet<>();
		if (claim instanceof String spaced) {
			scopes.addAll(List.of(spaced.strip().split("\\s+")));
		}
		else if (claim instanceof Collection<?> listed) {
			listed.stream()
				.filter(String.class::isInstance)
				.map((scope) -> ((String) scope).strip())
				.forEach(scopes::add);
		}
		String prefix = this.settings.scopePrefix();
		return scopes.stream()
			.map((scope) -> (prefix != null && !prefix.isEmpty() && scope.startsWith(prefix))
					? scope.substring(prefix.length()) : scope)
			.filter((scope) -> !scope.isEmpty())
			.collect(Collectors.toSet());
	}

	private static String text(Jwt jwt, String claim) {
		Object value = jwt.getClaims().get(claim);
		return (value instanceof String text && !text.isBlank()) ? text : null;
	}

}
