package io.esteira.ingest.config;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.aws.RequiredAwsResources;
import io.esteira.platform.retry.RetryPolicies;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import jakarta.servlet.MultipartConfigElement;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.unit.DataSize;

/**
 * Settings, the clock, multipart limits derived from {@link IngestProperties#maxSize()}, the presigner for a
 * public S3 endpoint, scheduling (stuck check, notification retries) and asynchronous notification delivery.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@EnableScheduling
@EnableConfigurationProperties({ IngestProperties.class, EsteiraAwsProperties.class, RetryPolicies.class })
class IngestConfiguration {

	/** Room for the multipart boundaries and the text fields that travel with the file. */
	private static final DataSize FORM_OVERHEAD = DataSize.ofKilobytes(64);

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Readiness: the buckets it stores uploads in and serves permalinks from, the queue it consumes, and the queues a
	 * redrive sends to.
	 */
	@Bean
	RequiredAwsResources requiredAwsResources(EsteiraAwsProperties aws) {
		return new RequiredAwsResources(List.of(aws.uploadsBucket(), aws.outputBucket()),
				List.of(aws.queues().status(), aws.queues().images(), aws.queues().invoices()));
	}

	/**
	 * Replaces the {@code spring.servlet.multipart.*} settings so the container refuses an oversized file while
	 * parsing it (answered 413 like our own check) at the largest of the kinds' limits
	 * ({@code esteira.ingest.max-size.*}); the kind's own limit is checked once the form is read.
	 */
	@Bean
	MultipartConfigElement multipartConfigElement(IngestProperties properties) {
		DataSize largest = properties.maxSize().largest();
		MultipartConfigFactory factory = new MultipartConfigFactory();
		factory.setMaxFileSize(largest);
		factory.setMaxRequestSize(DataSize.ofBytes(largest.toBytes() + FORM_OVERHEAD.toBytes()));
		return factory.createMultipartConfig();
	}

	/**
	 * Presigns for {@link IngestProperties#publicS3Endpoint()} where one is set, in place of Spring Cloud AWS's
	 * presigner (which signs for {@code spring.cloud.aws.endpoint}): a presigned URL is signed for its host, so it
	 * must name the address the client will use. Region, credentials and path-style addressing are the services' own.
	 */
	@Bean
	@ConditionalOnExpression("!'${esteira.ingest.public-s3-endpoint:}'.isBlank()")
	S3Presigner s3Presigner(IngestProperties properties, S3Properties s3, AwsCredentialsProvider credentials,
			AwsRegionProvider region) {
		return S3Presigner.builder()
			.serviceConfiguration(s3.toS3Configuration())
			.credentialsProvider(credentials)
			.region(region.getRegion())
			.endpointOverride(URI.create(properties.publicS3Endpoint()))
			.build();
	}

}
