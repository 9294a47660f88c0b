package io.esteira.platform.config;

import java.time.Clock;

import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.retry.RetryPolicies;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * What every service binds the same way: the names of buckets and queues ({@code esteira.aws.*}), the retry policies
 * of the steps ({@code esteira.retry.*}), and the clock (UTC system time, replaced in tests by a bean of their own).
 */
@AutoConfiguration
@EnableConfigurationProperties({ EsteiraAwsProperties.class, RetryPolicies.class })
public class PlatformAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

}
