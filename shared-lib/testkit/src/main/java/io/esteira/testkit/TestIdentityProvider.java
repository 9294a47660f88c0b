package io.esteira.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider for a service's tests: a real HTTP server on 127.0.0.1 that serves an OpenID configuration and
 * a JWK set (one RSA key), and signs the tokens a test calls with. {@link #properties()} points a service's
 * {@code esteira.security.jwt.*} at it (issuer URI, audience {@value #AUDIENCE}, the default claim names {@code scope},
 * {@code tenant}, {@code customer_document}). One per test class; {@link #close()} stops it.
 */
public final class TestIdentityProvider implements AutoCloseable {

	/** The audience of every token it signs, and the one {@link #properties()} expects. */
	public static final String AUDIENCE = "esteira-api";

	private final RSAKey key;

	private final HttpServer server;

	private final String issuer;

	private TestIdentityProvider(RSAKey key, HttpServer server) {
		this.key = key;
		this.server = server;
		this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/esteira";
	}

	/** Starts one on a free port. */
	public static TestIdentityProvider start() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			String base = "http://127.0.0.1:" + server.getAddress().getPort();
			String jwks = new JWKSet(key.toPublicJWK()).toString();
			server.createContext("/realms/esteira/protocol/openid-connect/certs", (exchange) -> answer(exchange, jwks));
			server.createContext("/realms/esteira/.well-known/openid-configuration",
					(exchange) -> answer(exchange,
							"{\"issuer\":\"" + base + "/realms/esteira\",\"jwks_uri\":\"" + base
									+ "/realms/esteira/protocol/openid-connect/certs\","
									+ "\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
			server.start();
			return new TestIdentityProvider(key, server);
		}
		catch (IOException | JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Its issuer ({@code iss} of its tokens, and {@code esteira.security.jwt.issuer-uri}). */
	public String issuer() {
		return this.issuer;
	}

	/** The settings that make a service accept its tokens. */
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("esteira.security.jwt.issuer-uri", this.issuer);
		properties.put("esteira.security.jwt.audiences", AUDIENCE);
		return properties;
	}

	/**
	 * A valid access token for 10 minutes.
	 * @param subject the client ({@code sub})
	 * @param tenant the {@code tenant} claim, none when {@code null}
	 * @param customerDocument the {@code customer_document} claim, none when {@code null}
	 * @param scopes the {@code scope} claim (space-separated)
	 */
	public String token(String subject, String tenant, String customerDocument, String... scopes) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(subject)
			.audience(AUDIENCE)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
			.claim("scope", String.join(" ", List.of(scopes)));
		if (tenant != null) {
			claims.claim("tenant", tenant);
		}
		if (customerDocument != null) {
			claims.claim("customer_document", customerDocument);
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID())
			.type(new JOSEObjectType("at+jwt"))
			.build(), claims.build());
		try {
			jwt.sign(new RSASSASigner(this.key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private static void answer(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

}
