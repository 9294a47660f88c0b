package io.esteira.platform.aws;

import java.util.List;

/**
 * The buckets and queues a service cannot work without. A service declares it as a bean; readiness (health indicator
 * {@code awsResources}, see {@link AwsResourcesHealthIndicator}) is {@code DOWN} while any of them is missing.
 *
 * @param buckets S3 buckets the service reads or writes
 * @param queues SQS queues the service receives from or sends to (not their dead-letter queues)
 */
public record RequiredAwsResources(List<String> buckets, List<String> queues) {

	public RequiredAwsResources {
		buckets = List.copyOf(buckets);
		queues = List.copyOf(queues);
	}

}
