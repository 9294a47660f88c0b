package io.esteira.ingest.config;

import java.util.List;

import io.esteira.shared.security.ApiKeyAuthenticationFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

class DemoKeyTest {

	@Test
	void applicationYmlHoldsOnlyTheHashOfTheDemoKey() throws Exception {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application",
				new ClassPathResource("application.yml"));
		PropertySource<?> yml = sources.getFirst();

		assertThat(String.valueOf(yml.getProperty("esteira.security.api-keys[0].sha256")))
			.isEqualTo(ApiKeyAuthenticationFilter.sha256("esteira-demo-key"));
		assertThat(String.valueOf(yml.getProperty("esteira.security.api-keys[0].scopes")))
			.contains("uploads:write", "uploads:read", "invoices:read");
	}

}
