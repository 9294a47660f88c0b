package io.esteira.testkit;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** AWS SDK clients for the emulators, with the credentials the emulators accept. */
public final class AwsTestClients {

	public static final Region REGION = Region.US_EAST_1;

	public static final String ACCESS_KEY = "esteira";

	public static final String SECRET_KEY = "esteira-local-secret";

	private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider
		.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));

	private AwsTestClients() {
	}

	public static SqsClient sqs(URI endpoint) {
		return SqsClient.builder().region(REGION).credentialsProvider(CREDENTIALS).endpointOverride(endpoint).build();
	}

	public static S3Client s3(URI endpoint) {
		return S3Client.builder()
			.region(REGION)
			.credentialsProvider(CREDENTIALS)
			.endpointOverride(endpoint)
			.forcePathStyle(true)
			.build();
	}

}
