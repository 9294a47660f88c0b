package io.esteira.ingest.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

class DemoKeyTest {

	@Test
	void applicationYmlAcceptsNoApiKeyUntilOneIsConfigured() throws Exception {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application",
				new ClassPathResource("application.yml"));
		PropertySource<?> yml = sources.getFirst();

		assertThat(yml.getProperty("esteira.security.api-keys[0].sha256")).isNull();
		assertThat(yml.getProperty("esteira.security.api-keys")).isNull();
	}

}
