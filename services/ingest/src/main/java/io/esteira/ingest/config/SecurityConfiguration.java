package io.esteira.ingest.config;

import io.esteira.platform.security.ApiKeyProperties;
import io.esteira.platform.security.ApiKeySecurity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /api/**} needs an {@code X-Api-Key} or a bearer token with the scope of the operation ({@code uploads:write},
 * {@code uploads:read}, {@code uploads:delete} for erasure, {@code admin}); {@code GET /api/me} any caller. What a
 * caller may see within a scope (its tenant's uploads, its customer's) is checked by each feature on the rows.
 * Permalinks ({@code /files/**}) are public: they are linked from the CRM and name a registered upload whose id is
 * random (122 random bits) or keyed (an object found in the bucket), so they cannot be enumerated.
 * The operations page ({@code /status/**}) is static; its data comes from {@code /api/uploads} with the operator's key.
 * Actuator endpoints live on the management port, which is not exposed outside the cluster. Everything else is
 * denied.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyProperties.class)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyProperties apiKeys) throws Exception {
		return ApiKeySecurity.apiChain(http, apiKeys,
				(routes) -> routes
					.requestMatchers(HttpMethod.POST, "/api/uploads", "/api/uploads/presign", "/api/uploads/*/retry")
					.hasAuthority("SCOPE_uploads:write")
					.requestMatchers(HttpMethod.GET, "/api/uploads", "/api/uploads/*")
					.hasAuthority("SCOPE_uploads:read")
					.requestMatchers(HttpMethod.DELETE, "/api/uploads/*", "/api/customers")
					.hasAuthority("SCOPE_uploads:delete")
					.requestMatchers(HttpMethod.GET, "/api/me")
					.authenticated()
					.requestMatchers("/api/admin/**")
					.hasAuthority("SCOPE_admin")
					.requestMatchers(HttpMethod.GET, "/files/**")
					.permitAll()
					.requestMatchers(HttpMethod.GET, "/status", "/status/**")
					.permitAll()
					.requestMatchers("/livez", "/readyz", "/error")
					.permitAll()
					.requestMatchers(EndpointRequest.toAnyEndpoint())
					.permitAll()
					.anyRequest()
					.denyAll());
	}

}
