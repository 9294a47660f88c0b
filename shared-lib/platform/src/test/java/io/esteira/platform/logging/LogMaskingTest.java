package io.esteira.platform.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application's console output, as a service writes it (plain, and ECS as docker-compose.yml and the
 * Kubernetes config set it), holds no e-mail, phone or CPF.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogMaskingTest {

	private static final String LINE = "Upload 7: linked ana.souza@example.com, +5511999990012 and CPF 529.982.247-25";

	@Test
	void plainLinesAreMasked(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start()) {
			LoggerFactory.getLogger(LogMaskingTest.class).info(LINE, new IllegalStateException("for ana.souza@example.com"));
		}
		assertThat(output.getOut()).contains("linked a***@example.com, +***********12 and CPF ***.***.***-25")
			.contains("IllegalStateException: for a***@example.com")
			.doesNotContain("ana.souza")
			.doesNotContain("5511999990012")
			.doesNotContain("529.982.247");
	}

	@Test
	void structuredLinesAreMasked(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("logging.structured.format.console=ecs")) {
			LoggerFactory.getLogger(LogMaskingTest.class).info(LINE);
		}
		assertThat(output.getOut()).contains("\"message\":\"Upload 7: linked a***@example.com, +***********12")
			.doesNotContain("ana.souza")
			.doesNotContain("5511999990012");
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
