package io.esteira.platform.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The security chain every REST API builds with {@link ApiKeySecurity#apiChain}, in a small web application: a client
 * may make 3 requests a minute, an address may fail 2 authentications a minute, and the failures of at most 3
 * addresses are remembered; time is moved by hand.
 */
@SpringJUnitWebConfig(ApiKeySecurityTest.Application.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@ExtendWith(OutputCaptureExtension.class)
class ApiKeySecurityTest {

	static final String READER_KEY = "reader-key-0f3a9c";

	static final String OTHER_READER_KEY = "other-reader-key-77b1";

	static final String WRITER_KEY = "writer-key-5d2e10";

	/** Bucket4j's clock in this test, in nanoseconds. */
	static final AtomicLong now = new AtomicLong();

	static final TimeMeter TIME = new TimeMeter() {

		@Override
		public long currentTimeNanos() {
			return now.get();
		}

		@Override
		public boolean isWallClockBased() {
			return false;
		}

	};

	@Autowired
	private WebApplicationContext context;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ApiRequestLimits limits;

	private MockMvc mvc;

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context)
			.addFilters(this.context.getBean("springSecurityFilterChain", Filter.class))
			.build();
	}

	@Test
	void aClientOverItsLimitIsAnswered429WithRetryAfterUntilATokenHasRefilled() throws Exception {
		for (int i = 0; i < 3; i++) {
			call(READER_KEY, "/api/things").andExpect(status().isOk());
		}

		call(READER_KEY, "/api/things").andExpect(status().isTooManyRequests())
			// 3 a minute: a token every 20 s.
			.andExpect(header().string("Retry-After", "20"))
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/rate-limited"))
			.andExpect(jsonPath("$.title").value("Too Many Requests"))
			.andExpect(jsonPath("$.status").value(429))
			.andExpect(jsonPath("$.detail").value("Too many requests from this client; try again in 20 s."))
			.andExpect(jsonPath("$.instance").value("/api/things"));
		assertThat(count(ApiRequestLimits.LIMITED, "limit", "client")).isEqualTo(1);

		advance(Duration.ofSeconds(19));
		call(READER_KEY, "/api/things").andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", "1"));
		advance(Duration.ofSeconds(1));
		call(READER_KEY, "/api/things").andExpect(status().isOk());
	}

	@Test
	void eachClientHasALimitOfItsOwn() throws Exception {
		for (int i = 0; i < 3; i++) {
			call(READER_KEY, "/api/things").andExpect(status().isOk());
		}
		call(READER_KEY, "/api/things").andExpect(status().isTooManyRequests());

		call(OTHER_READER_KEY, "/api/things").andExpect(status().isOk());
		call(WRITER_KEY, "/api/things").andExpect(status().isForbidden());
	}

	@Test
	void probesActuatorEndpointsAndAnonymousRequestsAreNeverLimited() throws Exception {
		for (int i = 0; i < 3; i++) {
			call(READER_KEY, "/api/things").andExpect(status().isOk());
		}

		for (int i = 0; i < 5; i++) {
			call(READER_KEY, "/livez").andExpect(status().isOk());
			call(READER_KEY, "/readyz").andExpect(status().isOk());
			call(READER_KEY, "/actuator/prometheus").andExpect(status().isOk());
			call(null, "/public/thing").andExpect(status().isOk());
		}
		call(READER_KEY, "/api/things").andExpect(status().isTooManyRequests());
	}

	@Test
	void anUnknownKeyIsLoggedWithoutTheKeyOrItsHashAndCounted(CapturedOutput output) throws Exception {
		String guess = "guessed-key-4c1d8e";

		call(guess, "/api/things", "10.9.8.7").andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/missing-api-key"));

		assertThat(output.getAll()).contains("Failed authentication from 10.9.8.7: GET /api/things (unknown-key)")
			.doesNotContain(guess)
			.doesNotContain(ApiKeyProperties.sha256(guess))
			.doesNotContain(ApiKeyProperties.sha256(READER_KEY));
		assertThat(count(ApiRequestLimits.FAILURES, "reason", "unknown-key")).isEqualTo(1);
		assertThat(count(ApiRequestLimits.FAILURES, "reason", "missing-key")).isZero();
	}

	@Test
	void noKeyOnAProtectedRouteIsAFailedAuthenticationButNoneOnAPublicOneIs(CapturedOutput output) throws Exception {
		call(null, "/public/thing", "10.9.8.6").andExpect(status().isOk());
		call(null, "/api/things", "10.9.8.6").andExpect(status().isUnauthorized());

		assertThat(output.getAll()).contains("Failed authentication from 10.9.8.6: GET /api/things (missing-key)")
			.doesNotContain("/public/thing");
		assertThat(count(ApiRequestLimits.FAILURES, "reason", "missing-key")).isEqualTo(1);
	}

	@Test
	void anAddressThatFailedTooOftenIsAnswered429WhateverItsKeyWhileOthersAreNot(CapturedOutput output)
			throws Exception {
		call("wrong-1", "/api/things", "10.0.0.66").andExpect(status().isUnauthorized());
		call(null, "/api/things", "10.0.0.66").andExpect(status().isUnauthorized());

		// Its key is not even looked at: guessing right does not help.
		call(READER_KEY, "/api/things", "10.0.0.66").andExpect(status().isTooManyRequests())
			// 2 a minute: a token every 30 s.
			.andExpect(header().string("Retry-After", "30"))
			.andExpect(jsonPath("$.type").value("https://esteira.io/problems/rate-limited"))
			.andExpect(jsonPath("$.detail")
				.value("Too many failed authentications from this address; try again later."));
		call(null, "/api/things", "10.0.0.66").andExpect(status().isTooManyRequests());
		call(null, "/public/thing", "10.0.0.66").andExpect(status().isOk());
		call(READER_KEY, "/api/things", "10.0.0.67").andExpect(status().isOk());
		assertThat(count(ApiRequestLimits.LIMITED, "limit", "failed-authentications")).isEqualTo(2);
		assertThat(count(ApiRequestLimits.FAILURES, "reason", "unknown-key")
				+ count(ApiRequestLimits.FAILURES, "reason", "missing-key")).isEqualTo(2);
		// The run of refusals is logged once.
		assertThat(output.getAll().split("Authentication refused to 10.0.0.66", -1)).hasSize(2);

		advance(Duration.ofSeconds(30));
		call(READER_KEY, "/api/things", "10.0.0.66").andExpect(status().isOk());
	}

	@Test
	void theFailuresOfABoundedNumberOfAddressesAreRemembered() throws Exception {
		for (int address = 1; address <= 10; address++) {
			call(null, "/api/things", "192.0.2." + address).andExpect(status().isUnauthorized());
		}

		assertThat(this.limits.trackedAddresses()).isEqualTo(3);
	}

	@Test
	void switchedOffNothingIsRefusedButFailuresAreStillLoggedAndCounted() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ApiRequestLimits off = new ApiRequestLimits(new RateLimitProperties(false, 1, Duration.ofHours(1),
				new RateLimitProperties.FailedAuthentications(1, Duration.ofHours(1), 10)), registry, TIME);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/things");

		for (int i = 0; i < 5; i++) {
			assertThat(off.clientWaitSeconds("reader")).isZero();
			off.failed(request, ApiRequestLimits.Failure.MISSING_KEY);
			assertThat(off.refusedAuthenticationSeconds(request)).isZero();
		}
		assertThat(registry.counter(ApiRequestLimits.FAILURES, "reason", "missing-key").count()).isEqualTo(5);
		assertThat(off.trackedAddresses()).isZero();
	}

	@Test
	void theCallersTenantAndNameAreInTheLoggingContextWhileItsRequestIsServed() throws Exception {
		advance(Duration.ofMinutes(2));

		this.mvc.perform(get("/api/who").header("X-Api-Key", READER_KEY))
			.andExpect(status().isOk())
			.andExpect(content().string("default/reader"));

		assertThat(MDC.get(CallerLogContext.TENANT)).as("removed after the request").isNull();
		assertThat(MDC.get(CallerLogContext.CALLER)).isNull();
	}

	@Test
	void defaultsAreGenerous() {
		RateLimitProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("esteira.security.rate-limit", RateLimitProperties.class);

		assertThat(defaults.enabled()).isTrue();
		assertThat(defaults.requests()).isEqualTo(6000);
		assertThat(defaults.period()).isEqualTo(Duration.ofMinutes(1));
		assertThat(defaults.failedAuthentications().limit()).isEqualTo(100);
		assertThat(defaults.failedAuthentications().period()).isEqualTo(Duration.ofMinutes(1));
		assertThat(defaults.failedAuthentications().trackedAddresses()).isEqualTo(10_000);
	}

	@Test
	void keysPrintNeitherTheKeyNorItsHash() {
		ApiKeyProperties keys = Application.keys();

		assertThat(keys.toString()).contains("reader", "uploads:read", "sha256=(set)")
			.doesNotContain(ApiKeyProperties.sha256(READER_KEY))
			.doesNotContain(READER_KEY);
	}

	private ResultActions call(String key, String path) throws Exception {
		return call(key, path, "127.0.0.1");
	}

	private ResultActions call(String key, String path, String remoteAddress) throws Exception {
		MockHttpServletRequestBuilder request = get(path).with((mock) -> {
			mock.setRemoteAddr(remoteAddress);
			return mock;
		});
		if (key != null) {
			request.header(ApiKeyAuthenticationFilter.HEADER, key);
		}
		return this.mvc.perform(request);
	}

	private double count(String name, String tag, String value) {
		return this.meters.counter(name, tag, value).count();
	}

	private static void advance(Duration duration) {
		now.addAndGet(duration.toNanos());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@EnableWebSecurity
	static class Application {

		static ApiKeyProperties keys() {
			return new ApiKeyProperties(List.of(
					new ApiKeyProperties.ApiKey("reader", ApiKeyProperties.sha256(READER_KEY), Set.of("uploads:read")),
					new ApiKeyProperties.ApiKey("other-reader", ApiKeyProperties.sha256(OTHER_READER_KEY),
							Set.of("uploads:read")),
					new ApiKeyProperties.ApiKey("writer", ApiKeyProperties.sha256(WRITER_KEY),
							Set.of("uploads:write"))));
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ApiRequestLimits apiRequestLimits(MeterRegistry meters) {
			now.set(TimeUnit.DAYS.toNanos(1));
			return new ApiRequestLimits(new RateLimitProperties(true, 3, Duration.ofMinutes(1),
					new RateLimitProperties.FailedAuthentications(2, Duration.ofMinutes(1), 3)), meters, TIME);
		}

		@Bean
		SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
			return ApiKeySecurity.apiChain(http, keys(),
					(routes) -> routes.requestMatchers(HttpMethod.GET, "/api/things", "/api/who")
						.hasAuthority("SCOPE_uploads:read")
						.requestMatchers("/public/**", "/livez", "/readyz", "/actuator/**")
						.permitAll()
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

		@GetMapping({ "/api/things", "/public/thing", "/livez", "/readyz", "/actuator/prometheus" })
		String thing() {
			return "ok";
		}

		/** The caller as the logging context holds it while the request is served. */
		@GetMapping("/api/who")
		String who() {
			return MDC.get(CallerLogContext.TENANT) + "/" + MDC.get(CallerLogContext.CALLER);
		}

	}

}
