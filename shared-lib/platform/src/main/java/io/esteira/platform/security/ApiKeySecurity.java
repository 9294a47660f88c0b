package io.esteira.platform.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the security filter chain every Esteira REST API uses: stateless, {@code X-Api-Key} authentication, no
 * sessions, CSRF off (no cookies are ever issued), and RFC 9457 problem details for 401 and 403. Each service says
 * which scopes its routes need.
 */
public final class ApiKeySecurity {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private ApiKeySecurity() {
	}

	public static SecurityFilterChain apiChain(HttpSecurity http, ApiKeyProperties keys,
			Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> routes)
			throws Exception {
		http.csrf((csrf) -> csrf.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.requestCache((cache) -> cache.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new ApiKeyAuthenticationFilter(keys), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(routes)
			.exceptionHandling((errors) -> errors
				.authenticationEntryPoint((request, response, ex) -> problem(request, response,
						HttpStatus.UNAUTHORIZED, "missing-api-key", "A valid X-Api-Key header is required."))
				.accessDeniedHandler((request, response, ex) -> problem(request, response, HttpStatus.FORBIDDEN,
						"insufficient-scope", "The API key does not have the scope this operation needs.")));
		return http.build();
	}

	private static void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String type, String detail) throws IOException {
		// The same members, in the same order, as the services' ProblemDetail responses.
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "https://esteira.io/problems/" + type);
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		MAPPER.writeValue(response.getOutputStream(), problem);
	}

}
