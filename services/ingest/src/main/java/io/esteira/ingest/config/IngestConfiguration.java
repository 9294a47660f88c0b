package io.esteira.ingest.config;

import java.time.Clock;

import io.esteira.shared.aws.EsteiraAwsProperties;
import jakarta.servlet.MultipartConfigElement;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.unit.DataSize;

/**
 * Settings, the clock, multipart limits derived from {@link IngestProperties#maxUploadSize()}, scheduling (stuck
 * check, notification retries) and asynchronous notification delivery.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@EnableScheduling
@EnableConfigurationProperties({ IngestProperties.class, EsteiraAwsProperties.class })
class IngestConfiguration {

	/** Room for the multipart boundaries and the text fields that travel with the file. */
	private static final DataSize FORM_OVERHEAD = DataSize.ofKilobytes(64);

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Replaces the {@code spring.servlet.multipart.*} settings so the container refuses an oversized file while
	 * parsing it (answered 413 like our own check) with the same limit as {@code esteira.ingest.max-upload-size}.
	 */
	@Bean
	MultipartConfigElement multipartConfigElement(IngestProperties properties) {
		MultipartConfigFactory factory = new MultipartConfigFactory();
		factory.setMaxFileSize(properties.maxUploadSize());
		factory.setMaxRequestSize(DataSize.ofBytes(properties.maxUploadSize().toBytes() + FORM_OVERHEAD.toBytes()));
		return factory.createMultipartConfig();
	}

}
