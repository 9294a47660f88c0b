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
 * The abuse limits {@link ApiKeySecurity#apiChain} applies ({@code esteira.security.rate-limit.*}), in a servlet web
 * application with Spring Security.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.security.web.SecurityFilterChain")
@EnableConfigurationProperties(RateLimitProperties.class)
public class ApiSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApiRequestLimits apiRequestLimits(RateLimitProperties settings, ObjectProvider<MeterRegistry> meters) {
		return new ApiRequestLimits(settings, meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

}
