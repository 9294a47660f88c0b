package io.esteira.platform.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The abuse limits {@link ApiKeySecurity#apiChain} applies ({@code esteira.security.rate-limit.*}) and its bearer token
 * settings ({@code esteira.security.jwt.*}), in a servlet web application with Spring Security.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
// HttpSecurity (Spring Security's configuration, from spring-boot-starter-security): this starter brings Spring
// Security's core and web jars to every service for the resource server, but only the services with the starter
// build a chain.
@ConditionalOnClass(name = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
@EnableConfigurationProperties({ RateLimitProperties.class, JwtProperties.class })
public class ApiSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApiRequestLimits apiRequestLimits(RateLimitProperties settings, ObjectProvider<MeterRegistry> meters) {
		return new ApiRequestLimits(settings, meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

}
