package io.esteira.platform.security;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A bearer token that cannot be checked because the identity provider does not answer (its issuer URI is on a port
 * nothing listens on) is a {@code 503} with {@code Retry-After}, not a server error, and is not counted as the
 * caller's failed authentication; the service starts all the same (the issuer's configuration is fetched at the first
 * token).
 */
@SpringJUnitWebConfig(IdentityProviderDownTest.Application.class)
class IdentityProviderDownTest {

	static final int CLOSED_PORT = closedPort();

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

	@Test
	void aTokenThatCannotBeCheckedIsA503WithRetryAfter() throws Exception {
		String token = JwtSecurityTest.rs256((claims) -> claims.subject("client-a"));

		this.mvc.perform(get("/api/things").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "5"))
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/identity-provider-unavailable"))
			.andExpect(jsonPath("$.status").value(503));
		assertThat(this.meters.find(ApiRequestLimits.FAILURES).counters()).allSatisfy(
				(counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void aJwkSetThatCannotBeFetchedIsNotTheTokensFault() {
		JwtProperties settings = new JwtProperties(null, "http://127.0.0.1:" + CLOSED_PORT + "/jwks",
				JwtSecurityTest.ISSUER, List.of(), Duration.ofSeconds(60), Duration.ofSeconds(1), "scope", null,
				"tenant", "customer_document", "sub");
		String token = JwtSecurityTest.rs256((claims) -> claims.subject("client-a"));

		assertThatExceptionOfType(JwtException.class)
			.isThrownBy(() -> new BearerTokens(settings).decoder().decode(token))
			.isNotInstanceOf(BadJwtException.class);
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
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
			return new ApiRequestLimits(new RateLimitProperties(true, 100, Duration.ofMinutes(1),
					new RateLimitProperties.FailedAuthentications(100, Duration.ofMinutes(1), 1000)), meters);
		}

		@Bean
		JwtProperties jwtProperties() {
			return new JwtProperties("http://127.0.0.1:" + CLOSED_PORT + "/realms/x", null, null,
					List.of(JwtSecurityTest.AUDIENCE), Duration.ofSeconds(60), Duration.ofSeconds(1), "scope", null,
					"tenant", "customer_document", "sub");
		}

		@Bean
		SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
			return ApiKeySecurity.apiChain(http, new ApiKeyProperties(List.of()),
					(routes) -> routes.requestMatchers(HttpMethod.GET, "/api/things")
						.hasAuthority("SCOPE_uploads:read")
						.anyRequest()
						.denyAll());
		}

		@Bean
		Things things() {
			return new Things();
		}

	}

	@RestController
	static class Things {

		@GetMapping("/api/things")
		String things() {
			return "things";
		}

	}

}
