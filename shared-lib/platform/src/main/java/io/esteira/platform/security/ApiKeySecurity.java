package io.esteira.platform.security;

import io.micrometer.core.instrument.Metrics;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Builds the security filter chain every Esteira REST API uses: stateless, {@code X-Api-Key} authentication and, where
 * {@code esteira.security.jwt.*} is set, bearer tokens (JWTs, {@link BearerTokens}) beside it, both making an
 * {@link EsteiraPrincipal} with {@code SCOPE_<scope>} authorities; no sessions, CSRF off (no cookies are ever
 * issued), and RFC 9457 problem details for 401, 403 and 429. Each service says which scopes its routes need.
 * <p>
 * Abuse limits ({@link ApiRequestLimits}, {@code esteira.security.rate-limit.*}): each authenticated client has a
 * request limit per replica; failed authentications (an unknown key, an invalid token, or neither where one is
 * needed) are logged and counted, and an address that fails too often is answered {@code 429} for a while. Probes
 * ({@code /livez}, {@code /readyz}) and actuator endpoints are never limited.
 */
public final class ApiKeySecurity {

	private ApiKeySecurity() {
	}

	public static SecurityFilterChain apiChain(HttpSecurity http, ApiKeyProperties keys,
			Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> routes)
			throws Exception {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		ApiRequestLimits limits = context.getBeanProvider(ApiRequestLimits.class)
			.getIfAvailable(() -> new ApiRequestLimits(Binder.get(context.getEnvironment())
				.bindOrCreate("esteira.security.rate-limit", RateLimitProperties.class), Metrics.globalRegistry));
		JwtProperties jwt = context.getBeanProvider(JwtProperties.class)
			.getIfAvailable(() -> Binder.get(context.getEnvironment())
				.bindOrCreate("esteira.security.jwt", JwtProperties.class));
		ApiKeyAuthenticationFilter authentication = new ApiKeyAuthenticationFilter(keys, limits, jwt.enabled());
		if (jwt.enabled()) {
			new BearerTokens(jwt).configure(http, limits);
		}
		http.csrf((csrf) -> csrf.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.requestCache((cache) -> cache.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// Before the bearer token filter: an address refused for its failures is refused whatever it presents.
			.addFilterBefore(authentication, BearerTokenAuthenticationFilter.class)
			.addFilterBefore(new ClientRateLimitFilter(limits, unlimited(context.getEnvironment())),
					AnonymousAuthenticationFilter.class)
			.addFilterBefore(new CallerLogContext(), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(routes)
			.exceptionHandling((errors) -> errors.authenticationEntryPoint((request, response, ex) -> {
				// An unknown key was recorded when it was presented; no key at all is recorded here.
				if (request.getAttribute(ApiKeyAuthenticationFilter.UNKNOWN_KEY_ATTRIBUTE) == null) {
					long refused = limits.refusedAuthenticationSeconds(request);
					if (refused > 0) {
						SecurityProblems.tooManyRequests(request, response, refused,
								"Too many failed authentications from this address; try again later.");
						return;
					}
					limits.failed(request, ApiRequestLimits.Failure.MISSING_KEY);
				}
				SecurityProblems.unauthorized(request, response);
			}).accessDeniedHandler((request, response, ex) -> SecurityProblems.forbidden(request, response)));
		return http.build();
	}

	/** Probes and actuator endpoints (under {@code management.endpoints.web.base-path}, {@code /actuator}). */
	private static RequestMatcher unlimited(Environment environment) {
		String actuator = environment.getProperty("management.endpoints.web.base-path", "/actuator")
			.replaceAll("/+$", "");
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		// Endpoints at the root ("/") cannot be told from the API by their path: only the probes are exempt then.
		return actuator.isEmpty() ? new OrRequestMatcher(paths.matcher("/livez"), paths.matcher("/readyz"))
				: new OrRequestMatcher(paths.matcher("/livez"), paths.matcher("/readyz"),
						paths.matcher(actuator + "/**"));
	}

}
