package io.esteira.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Adds {@link EsteiraInfrastructure#springProperties()} to a test's environment, above the application's own
 * configuration and below the test's inline properties. Also keeps the test fast: short SQS polls, and the management
 * server on a random port.
 */
public class EsteiraTestInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		Map<String, Object> properties = new LinkedHashMap<>(EsteiraInfrastructure.shared().springProperties());
		properties.put("management.server.port", "0");
		properties.put("spring.cloud.aws.sqs.listener.poll-timeout", "1s");
		MapPropertySource source = new MapPropertySource("esteira-test-infrastructure", properties);
		MutablePropertySources sources = context.getEnvironment().getPropertySources();
		if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, source);
		}
		else {
			sources.addFirst(source);
		}
	}

}
