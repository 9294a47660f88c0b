package io.esteira.shared.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicator {@code awsResources} for a service that declares its {@link RequiredAwsResources}: buckets through
 * the S3 client, queues through the SQS client, answers reused for 5 s. Each service's {@code application.yml} puts
 * it in the readiness group.
 */
@AutoConfiguration(afterName = { "io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration",
		"io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration" })
@ConditionalOnClass({ HealthIndicator.class, SqsAsyncClient.class })
@ConditionalOnBean(RequiredAwsResources.class)
public class AwsResourcesAutoConfiguration {

	static final Duration MAX_AGE = Duration.ofSeconds(5);

	@Bean
	HealthIndicator awsResourcesHealthIndicator(RequiredAwsResources required, SqsAsyncClient sqs,
			ObjectProvider<BucketChecks> buckets) {
		Map<String, AwsResourcesHealthIndicator.Check> checks = new LinkedHashMap<>();
		if (!required.buckets().isEmpty()) {
			BucketChecks bucketChecks = buckets.getIfAvailable();
			if (bucketChecks == null) {
				throw new IllegalStateException("Buckets are required but there is no S3 client: " + required.buckets());
			}
			required.buckets().forEach((bucket) -> checks.put("bucket " + bucket, bucketChecks.of(bucket)));
		}
		required.queues()
			.forEach((queue) -> checks.put("queue " + queue, () -> sqs.getQueueUrl((get) -> get.queueName(queue)).join()));
		return new AwsResourcesHealthIndicator(checks, MAX_AGE, Clock.systemUTC());
	}

	/** {@code HeadBucket} checks, where the service has an S3 client. */
	@FunctionalInterface
	interface BucketChecks {

		AwsResourcesHealthIndicator.Check of(String bucket);

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(S3Client.class)
	static class S3BucketChecks {

		@Bean
		@ConditionalOnBean(S3Client.class)
		BucketChecks esteiraBucketChecks(S3Client s3) {
			return (bucket) -> () -> s3.headBucket((head) -> head.bucket(bucket));
		}

	}

}
