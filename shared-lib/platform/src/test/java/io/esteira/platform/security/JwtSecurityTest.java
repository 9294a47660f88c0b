package io.esteira.platform.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Bearer tokens beside API keys in the chain {@link ApiKeySecurity#apiChain} builds, against a real JWK set served over
 * HTTP on localhost (the identity provider: an RSA and an EC key) and tokens signed with Nimbus. The tenant and
 * customer document come from Cognito-style claim names ({@code custom:tenant}, {@code custom:customer_document}).
 * One context for the class: each refused request comes from an address of its own, so the failed-authentication
 * limit (3 a minute) is reached only where a test means it.
 */
@SpringJUnitWebConfig(JwtSecurityTest.Application.class)
@ExtendWith(OutputCaptureExtension.class)
class JwtSecurityTest {

	static final String ISSUER = "https://idp.example.test/realms/esteira";

	static final String AUDIENCE = "esteira-api";

	static final String READER_KEY = "reader-key-9e04b7";

	static final RSAKey RSA = generateRsa("k1");

	static final ECKey EC = generateEc("e1");

	/** A key the identity provider never published, with the same key id as its RSA key. */
	static final RSAKey IMPOSTOR_SAME_KID = generateRsa("k1");

	/** A key of another identity provider's JWK set. */
	static final RSAKey OTHER_JWKS_KEY = generateRsa("other-k7");

	static final HttpServer IDENTITY_PROVIDER = identityProvider();

	static final String BASE = "http://127.0.0.1:" + IDENTITY_PROVIDER.getAddress().getPort();

	/** Each refused request's remote address: a new one every time. */
	static final AtomicInteger addresses = new AtomicInteger();

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private MeterRegistry meters;

	private MockMvc mvc;

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context)
			.addFilters(this.context.getBean("springSecurityFilterChain", Filter.class))
			.build();
	}

	@AfterAll
	static void stopIdentityProvider() {
		IDENTITY_PROVIDER.stop(0);
	}

	@Test
	void anAccessTokenTypedAsRfc9068SaysIsAccepted() throws Exception {
		callWithToken(signTyped("at+jwt"), "/api/things").andExpect(status().isOk());
	}

	@Test
	void aValidTokenReachesAProtectedRouteAsItsSubjectWithItsScopesTenantAndCustomerDocument() throws Exception {
		String token = rs256((claims) -> claims.subject("client-a")
			.claim("scope", "uploads:read invoices:read")
			.claim("custom:tenant", "acme")
			.claim("custom:customer_document", "11222333000181"));

		callWithToken(token, "/api/me").andExpect(status().isOk())
			.andExpect(content().string("client-a|acme|11222333000181|[invoices:read, uploads:read]"));
	}

	@Test
	void aTokensTenantAndSubjectAreInTheLoggingContextWhileItsRequestIsServed() throws Exception {
		String token = rs256((claims) -> claims.subject("client-log").claim("scope", "uploads:read")
			.claim("custom:tenant", "acme"));

		callWithToken(token, "/api/log-context").andExpect(status().isOk())
			.andExpect(content().string("acme/client-log"));
	}

	@Test
	void anEs256TokenWithScopesAsAnArrayIsAccepted() throws Exception {
		String token = sign(EC, JWSAlgorithm.ES256, claims((claims) -> claims.subject("client-ec")
			.claim("scope", List.of("uploads:read"))));

		callWithToken(token, "/api/me").andExpect(status().isOk())
			.andExpect(content().string("client-ec|null|null|[uploads:read]"));
	}

	@Test
	void aTokenExpiredWithinTheClockSkewIsStillAccepted() throws Exception {
		String token = rs256((claims) -> claims.subject("client-skew")
			.issueTime(Date.from(Instant.now().minusSeconds(330)))
			.expirationTime(Date.from(Instant.now().minusSeconds(30))));

		callWithToken(token, "/api/things").andExpect(status().isOk());
	}

	@Test
	void aTokenWithoutTheScopeARouteNeedsIsForbidden() throws Exception {
		String token = rs256((claims) -> claims.subject("client-b").claim("scope", "invoices:read"));

		callWithToken(token, "/api/things").andExpect(status().isForbidden())
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/insufficient-scope"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedTokens")
	void aTokenThatIsNotValidIsRefusedWith401ProblemDetails(String why, String token) throws Exception {
		double before = count(ApiRequestLimits.FAILURES, "reason", "invalid-token");

		callWithToken(token, "/api/things", newAddress()).andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/invalid-token"))
			.andExpect(jsonPath("$.status").value(401))
			.andExpect(jsonPath("$.instance").value("/api/things"));
		assertThat(count(ApiRequestLimits.FAILURES, "reason", "invalid-token")).isEqualTo(before + 1);
	}

	static Stream<Arguments> refusedTokens() {
		Instant now = Instant.now();
		String valid = rs256((claims) -> claims.subject("client-t"));
		return Stream.of(
				Arguments.of("expired",
						rs256((claims) -> claims.issueTime(Date.from(now.minusSeconds(900)))
							.expirationTime(Date.from(now.minusSeconds(300))))),
				Arguments.of("not yet valid", rs256((claims) -> claims.notBeforeTime(Date.from(now.plusSeconds(300))))),
				Arguments.of("without exp", rs256((claims) -> claims.expirationTime(null))),
				Arguments.of("wrong issuer",
						rs256((claims) -> claims.issuer("https://evil.example.test/realms/esteira"))),
				Arguments.of("wrong audience", rs256((claims) -> claims.audience("another-api"))),
				Arguments.of("no audience", rs256((claims) -> claims.audience((String) null))),
				Arguments.of("tampered payload", tampered(valid)),
				Arguments.of("alg none", new PlainJWT(claims((claims) -> claims.subject("client-t"))).serialize()),
				Arguments.of("HS256 signed with the public key's bytes", hs256WithPublicKey()),
				Arguments.of("a key of another JWK set (unknown kid)",
						sign(OTHER_JWKS_KEY, JWSAlgorithm.RS256, claims((claims) -> claims.subject("client-t")))),
				Arguments.of("a key of another JWK set with the same kid",
						sign(IMPOSTOR_SAME_KID, JWSAlgorithm.RS256, claims((claims) -> claims.subject("client-t")))),
				Arguments.of("no subject", rs256((claims) -> claims.subject(null))),
				Arguments.of("a tenant that is not a tenant id", rs256((claims) -> claims.claim("custom:tenant", "Acme Corp"))),
				Arguments.of("a Cognito ID token", rs256((claims) -> claims.claim("token_use", "id"))),
				Arguments.of("a Keycloak ID token", rs256((claims) -> claims.claim("typ", "ID"))),
				Arguments.of("a header type that is not an access token's", signTyped("logout+jwt")),
				Arguments.of("not a JWT at all", "not-a-jwt"),
				Arguments.of("a JWT header only", valid.substring(0, valid.indexOf('.'))));
	}

	@Test
	void anInvalidTokenIsLoggedWithoutTheTokenAndCounted(CapturedOutput output) throws Exception {
		String token = tampered(rs256((claims) -> claims.subject("client-log")));
		String address = newAddress();

		callWithToken(token, "/api/things", address).andExpect(status().isUnauthorized());

		assertThat(output.getAll())
			.contains("Failed authentication from " + address + ": GET /api/things (invalid-token)")
			.doesNotContain(token)
			.doesNotContain(token.substring(token.lastIndexOf('.') + 1))
			.doesNotContain(token.substring(0, token.indexOf('.')));
	}

	@Test
	void anAddressThatSentTooManyInvalidTokensIsAnswered429EvenWithAValidOne() throws Exception {
		String address = newAddress();
		for (int i = 0; i < 3; i++) {
			callWithToken("not-a-jwt-" + i, "/api/things", address).andExpect(status().isUnauthorized());
		}

		callWithToken(rs256((claims) -> claims.subject("client-c")), "/api/things", address)
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/rate-limited"));
		call(READER_KEY, "/api/things", address).andExpect(status().isTooManyRequests());
	}

	@Test
	void aTokenClientOverItsRequestLimitIsAnswered429() throws Exception {
		String token = rs256((claims) -> claims.subject("client-busy"));
		for (int i = 0; i < 3; i++) {
			callWithToken(token, "/api/things").andExpect(status().isOk());
		}

		callWithToken(token, "/api/things").andExpect(status().isTooManyRequests())
			.andExpect(header().exists(HttpHeaders.RETRY_AFTER))
			.andExpect(jsonPath("$.detail").value("Too many requests from this client; try again in 20 s."));
	}

	@Test
	void apiKeysStillWorkBesideTokensAndCarryTheirTenantAndCustomerDocument() throws Exception {
		call(READER_KEY, "/api/me", "127.0.0.1").andExpect(status().isOk())
			.andExpect(content().string("reader|acme|11222333000181|[uploads:read]"));
		call("unknown-key", "/api/things", newAddress()).andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/missing-api-key"));
		call(null, "/api/things", newAddress()).andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/missing-api-key"));
	}

	@Test
	void aRequestWithATokenIsAuthenticatedByTheTokenAloneNotByItsApiKey() throws Exception {
		String noScopes = rs256((claims) -> claims.subject("client-d").claim("scope", ""));

		this.mvc
			.perform(get("/api/things").header(HttpHeaders.AUTHORIZATION, "Bearer " + noScopes)
				.header(ApiKeyAuthenticationFilter.HEADER, READER_KEY))
			.andExpect(status().isForbidden());
	}

	@Test
	void theIssuerUriFindsTheJwkSetThroughItsOpenIdConfiguration() {
		String issuer = BASE + "/realms/esteira";
		JwtProperties settings = settings(Map.of("issuer-uri", issuer));
		JwtDecoder decoder = new BearerTokens(settings).decoder();

		Jwt jwt = decoder.decode(sign(RSA, JWSAlgorithm.RS256, claims((claims) -> claims.issuer(issuer))));

		assertThat(jwt.getSubject()).isEqualTo("client-t");
		assertThatThrownBy(() -> decoder.decode(rs256((claims) -> claims.subject("client-t"))))
			.isInstanceOf(JwtException.class);
	}

	@Test
	void theScopesMayComeFromScpAndClaimNamesHaveDefaults() {
		JwtProperties defaults = settings(Map.of("jwk-set-uri", BASE + "/jwks", "issuer", ISSUER));
		Jwt jwt = Jwt.withTokenValue("t")
			.header("alg", "RS256")
			.subject("client-e")
			.claim("scp", List.of("uploads:read", "uploads:write"))
			.claim("tenant", "globex")
			.claim("customer_document", "52998224725")
			.build();

		EsteiraPrincipal principal = new BearerTokens(defaults).principal(jwt);

		assertThat(principal).isEqualTo(
				new EsteiraPrincipal("client-e", "globex", "52998224725", Set.of("uploads:read", "uploads:write")));
		assertThat(principal.toString()).doesNotContain("52998224725");
		assertThat(defaults.clockSkew()).isEqualTo(Duration.ofSeconds(60));
		assertThat(defaults.scopeClaim()).isEqualTo("scope");
		assertThat(defaults.principalClaim()).isEqualTo("sub");
		assertThat(defaults.audiences()).isEmpty();
		assertThat(settings(Map.of()).enabled()).isFalse();
		assertThatThrownBy(() -> settings(Map.of("jwk-set-uri", BASE + "/jwks")))
			.hasRootCauseInstanceOf(IllegalArgumentException.class)
			.hasRootCauseMessage("esteira.security.jwt.jwk-set-uri needs esteira.security.jwt.issuer: "
					+ "the iss every token must carry");
	}

	@Test
	void aScopePrefixIsTakenOffTheScopesThatStartWithIt() {
		JwtProperties cognito = settings(
				Map.of("jwk-set-uri", BASE + "/jwks", "issuer", ISSUER, "scope-prefix", "esteira/"));
		Jwt jwt = Jwt.withTokenValue("t")
			.header("alg", "RS256")
			.subject("client-f")
			.claim("scope", "esteira/uploads:read  openid esteira/")
			.build();

		assertThat(new BearerTokens(cognito).principal(jwt).scopes()).containsExactlyInAnyOrder("uploads:read",
				"openid");
	}

	private static JwtProperties settings(Map<String, String> values) {
		Map<String, String> prefixed = new HashMap<>();
		values.forEach((key, value) -> prefixed.put("esteira.security.jwt." + key, value));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("esteira.security.jwt",
				JwtProperties.class);
	}

	private ResultActions callWithToken(String token, String path) throws Exception {
		return callWithToken(token, path, "127.0.0.1");
	}

	private ResultActions callWithToken(String token, String path, String remoteAddress) throws Exception {
		return this.mvc.perform(from(get(path), remoteAddress).header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
	}

	private ResultActions call(String key, String path, String remoteAddress) throws Exception {
		MockHttpServletRequestBuilder request = from(get(path), remoteAddress);
		if (key != null) {
			request.header(ApiKeyAuthenticationFilter.HEADER, key);
		}
		return this.mvc.perform(request);
	}

	private static MockHttpServletRequestBuilder from(MockHttpServletRequestBuilder request, String remoteAddress) {
		return request.with((mock) -> {
			mock.setRemoteAddr(remoteAddress);
			return mock;
		});
	}

	private static String newAddress() {
		int n = addresses.incrementAndGet();
		return "10.7." + (n / 250) + "." + (n % 250 + 1);
	}

	private double count(String name, String tag, String value) {
		return this.meters.counter(name, tag, value).count();
	}

	/** Claims of a valid token (issuer, audience, subject {@code client-t}, scope {@code uploads:read}, 5 min). */
	static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> changes) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.audience(AUDIENCE)
			.subject("client-t")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.claim("scope", "uploads:read");
		changes.accept(claims);
		return claims.build();
	}

	static String rs256(Consumer<JWTClaimsSet.Builder> changes) {
		return sign(RSA, JWSAlgorithm.RS256, claims(changes));
	}

	static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
		try {
			jwt.sign((key instanceof ECKey ec) ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	/** A valid token's claims under another header {@code typ}. */
	static String signTyped(String type) {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(RSA.getKeyID())
			.type(new JOSEObjectType(type))
			.build(), claims((claims) -> claims.subject("client-t")));
		try {
			jwt.sign(new RSASSASigner(RSA));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	/** The payload of a valid token with an {@code admin} scope added, its signature kept. */
	static String tampered(String token) {
		String[] parts = token.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
			.replace("\"uploads:read\"", "\"uploads:read admin\"");
		String encoded = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
		return parts[0] + "." + encoded + "." + parts[2];
	}

	/** The algorithm-confusion attack: HMAC whose secret is the RSA public key the identity provider publishes. */
	static String hs256WithPublicKey() {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(RSA.getKeyID()).build(),
				claims((claims) -> claims.subject("client-t")));
		try {
			jwt.sign(new MACSigner(RSA.toRSAPublicKey().getEncoded()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	static RSAKey generateRsa(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static ECKey generateEc(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The identity provider: its JWK set (public keys only), an OpenID configuration for {@code /realms/esteira}. */
	static HttpServer identityProvider() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			String base = "http://127.0.0.1:" + server.getAddress().getPort();
			String jwks = new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString();
			server.createContext("/jwks", (exchange) -> answer(exchange, jwks));
			server.createContext("/realms/esteira/.well-known/openid-configuration",
					(exchange) -> answer(exchange, "{\"issuer\":\"" + base + "/realms/esteira\",\"jwks_uri\":\"" + base
							+ "/jwks\",\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}"));
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void answer(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@EnableWebSecurity
	static class Application {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ApiRequestLimits apiRequestLimits(MeterRegistry meters) {
			return new ApiRequestLimits(new RateLimitProperties(true, 3, Duration.ofMinutes(1),
					new RateLimitProperties.FailedAuthentications(3, Duration.ofMinutes(1), 1000)), meters);
		}

		@Bean
		JwtProperties jwtProperties() {
			return new JwtProperties(null, BASE + "/jwks", ISSUER, List.of(AUDIENCE, "another-audience"),
					Duration.ofSeconds(60), Duration.ofSeconds(2), "scope", null, "custom:tenant",
					"custom:customer_document", "sub");
		}

		@Bean
		SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
			ApiKeyProperties keys = new ApiKeyProperties(List.of(new ApiKeyProperties.ApiKey("reader",
					ApiKeyProperties.sha256(READER_KEY), Set.of("uploads:read"), "acme", "11222333000181")));
			return ApiKeySecurity.apiChain(http, keys,
					(routes) -> routes.requestMatchers(HttpMethod.GET, "/api/things", "/api/me", "/api/log-context")
						.hasAuthority("SCOPE_uploads:read")
						.anyRequest()
						.denyAll());
		}

		@Bean
		Me me() {
			return new Me();
		}

	}

	@RestController
	static class Me {

		@GetMapping({ "/api/things", "/api/me" })
		String me() {
			EsteiraPrincipal caller = EsteiraPrincipal.of(SecurityContextHolder.getContext().getAuthentication())
				.orElseThrow();
			return caller.name() + "|" + caller.tenant() + "|" + caller.customerDocument() + "|"
					+ new TreeSet<>(caller.scopes());
		}

		@GetMapping("/api/log-context")
		String logContext() {
			return MDC.get(CallerLogContext.TENANT) + "/" + MDC.get(CallerLogContext.CALLER);
		}

	}

}
