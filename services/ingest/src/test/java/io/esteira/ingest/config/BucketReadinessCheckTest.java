package io.esteira.ingest.config;

import io.esteira.platform.aws.AwsResourcesAutoConfiguration.S3BucketChecks;
import io.esteira.testkit.AwsTestClients;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The readiness check of a bucket against S3Proxy: a missing bucket fails it; a {@code 403} (on AWS: the bucket
 * exists, but the service may list only its own prefixes) does not.
 */
class BucketReadinessCheckTest {

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@Test
	void anExistingBucketPasses() {
		assertThatCode(() -> S3BucketChecks.headBucket(this.infra.s3Client(), "esteira-output"))
			.doesNotThrowAnyException();
	}

	@Test
	void aMissingBucketFails() {
		assertThatThrownBy(() -> S3BucketChecks.headBucket(this.infra.s3Client(), "esteira-no-such-bucket"))
			.isInstanceOfSatisfying(S3Exception.class,
					(ex) -> assertThat(ex.statusCode()).isEqualTo(404));
	}

	@Test
	void aForbiddenBucketPassesBecauseItExists() {
		try (S3Client forbidden = S3Client.builder()
			.region(AwsTestClients.REGION)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(AwsTestClients.ACCESS_KEY, "not-the-secret")))
			.endpointOverride(this.infra.s3Endpoint())
			.forcePathStyle(true)
			.build()) {
			assertThatThrownBy(() -> forbidden.headBucket((head) -> head.bucket("esteira-output")))
				.isInstanceOfSatisfying(S3Exception.class,
						(ex) -> assertThat(ex.statusCode()).isEqualTo(403));
			assertThatCode(() -> S3BucketChecks.headBucket(forbidden, "esteira-output")).doesNotThrowAnyException();
		}
	}

}
