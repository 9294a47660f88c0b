package io.esteira.platform.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
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
	public static class S3BucketChecks {

		@Bean
		@ConditionalOnBean(S3Client.class)
		BucketChecks esteiraBucketChecks(S3Client s3) {
			return (bucket) -> () -> headBucket(s3, bucket);
		}

		/**
		 * {@code HeadBucket}, where only a missing bucket (404) or no answer fails: {@code 403} means the bucket
		 * exists. The services' IAM policies grant {@code s3:ListBucket} (what {@code HeadBucket} needs) only under
		 * their own prefixes, which a {@code HeadBucket} does not name, and readiness must not need more than that.
		 */
		public static void headBucket(S3Client s3, String bucket) {
			try {
				s3.headBucket((head) -> head.bucket(bucket));
			}
			catch (S3Exception ex) {
				if (ex.statusCode() != 403) {
					throw ex;
				}
			}
		}

	}

}
