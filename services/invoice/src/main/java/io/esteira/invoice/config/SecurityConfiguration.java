package io.esteira.invoice.config;

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
 * API-key security: reading invoices and import summaries needs the {@code invoices:read} scope; probes, the
 * actuator endpoints (served on the management port), the OpenAPI document, Swagger UI and the error page are open; everything else is refused.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyProperties.class)
class SecurityConfiguration {

	static final String READ_SCOPE = "SCOPE_invoices:read";

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyProperties apiKeys) throws Exception {
		return ApiKeySecurity.apiChain(http, apiKeys,
				(routes) -> routes
					.requestMatchers("/livez", "/readyz", "/error", "/v3/api-docs", "/v3/api-docs/**",
							"/swagger-ui.html", "/swagger-ui/**")
					.permitAll()
					.requestMatchers(EndpointRequest.toAnyEndpoint())
					.permitAll()
					.requestMatchers(HttpMethod.GET, "/api/invoices", "/api/invoices/**", "/api/imports/**")
					.hasAuthority(READ_SCOPE)
					.anyRequest()
					.denyAll());
	}

}
