package io.esteira.crmsync.crm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS Secrets Manager's {@code GetSecretValue}, signed with the AWS SDK's Signature V4 signer and credentials provider
 * (the default chain in the service: IRSA on EKS, the instance profile on EC2, environment variables). The SDK's
 * {@code secretsmanager} client is not used: the Maven mirror here has none of the SDK version Spring Cloud AWS
 * brings, and this is one JSON request ({@code X-Amz-Target: secretsmanager.GetSecretValue}). The region is the
 * secret ARN's when the id is an ARN, else the service's; {@code endpoint} overrides AWS's (an emulator, a test).
 */
public class AwsSecretsManager {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern ARN_REGION = Pattern.compile("^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):");

	/** Headers the JDK's HTTP client sets itself. */
	private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

	private final URI endpoint;

	private final Supplier<String> region;

	private final AwsCredentialsProvider credentials;

	private final Duration timeout;

	private final HttpClient http;

	/**
	 * @param endpoint where to send requests, {@code null} for AWS's ({@code https://secretsmanager.<region>.amazonaws.com})
	 * @param region the region of secrets named by name, not ARN
	 */
	public AwsSecretsManager(URI endpoint, Supplier<String> region, AwsCredentialsProvider credentials,
			Duration timeout) {
		this.endpoint = endpoint;
		this.region = region;
		this.credentials = credentials;
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
	}

	/**
	 * The secret's {@code SecretString}.
	 * @throws SecretsManagerException when it cannot be had; the message names the error's type, never a value
	 */
	public String secretString(String secretId) {
		String regionName = regionOf(secretId);
		URI uri = (this.endpoint != null) ? this.endpoint
				: URI.create("https://secretsmanager." + regionName + ".amazonaws.com/");
		byte[] body = JSON.writeValueAsBytes(Map.of("SecretId", secretId));
		SdkHttpFullRequest request = SdkHttpFullRequest.builder()
			.method(SdkHttpMethod.POST)
			.uri(uri)
			.putHeader("Content-Type", "application/x-amz-json-1.1")
			.putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
			.build();
		SignedRequest signed;
		try {
			signed = AwsV4HttpSigner.create()
				.sign((signing) -> signing.identity(this.credentials.resolveCredentials())
					.request(request)
					.payload(ContentStreamProvider.fromByteArray(body))
					.putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
					.putProperty(AwsV4HttpSigner.REGION_NAME, regionName));
		}
		catch (SdkException ex) {
			throw new SecretsManagerException("no AWS credentials (" + ex.getClass().getSimpleName() + ")");
		}
		HttpRequest.Builder http = HttpRequest.newBuilder(uri)
			.timeout(this.timeout)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		signed.request().headers().forEach((name, values) -> {
			if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
				values.forEach((value) -> http.header(name, value));
			}
		});
		HttpResponse<String> response;
		try {
			response = this.http.send(http.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new SecretsManagerException("unreachable (" + ex.getClass().getSimpleName() + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SecretsManagerException("interrupted");
		}
		JsonNode answer;
		try {
			answer = JSON.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new SecretsManagerException("answered " + response.statusCode() + " without JSON");
		}
		if (response.statusCode() / 100 != 2) {
			JsonNode type = (answer != null) ? answer.get("__type") : null;
			throw new SecretsManagerException("answered " + response.statusCode()
					+ ((type != null) ? " " + type.asString().replaceFirst("^.*#", "") : ""));
		}
		JsonNode secret = (answer != null) ? answer.get("SecretString") : null;
		if (secret == null || secret.isNull() || secret.asString().isBlank()) {
			throw new SecretsManagerException("has no SecretString (a binary secret cannot be a key)");
		}
		return secret.asString().strip();
	}

	private String regionOf(String secretId) {
		Matcher arn = ARN_REGION.matcher(secretId);
		return arn.find() ? arn.group(1) : this.region.get();
	}

	/** Secrets Manager did not give the secret; the message names why, never a value. */
	public static final class SecretsManagerException extends RuntimeException {

		SecretsManagerException(String message) {
			super(message, null, false, false);
		}

	}

}
