package io.esteira.crmsync.crm;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Secret references ({@code env:}, {@code file:}, {@code aws-secretsmanager:}): read, cached, and when they cannot be
 * read a transient failure that names the reference, never a value. Secrets Manager's JSON API is a WireMock stand-in.
 */
class SecretReferencesTest {

	private static final String SECRET = "pat-na1-from-the-vault";

	private static WireMockServer secretsManager;

	private final MutableClock clock = new MutableClock();

	private SecretReferences secrets;

	@BeforeAll
	static void startSecretsManager() {
		secretsManager = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		secretsManager.start();
	}

	@AfterAll
	static void stopSecretsManager() {
		secretsManager.stop();
	}

	@BeforeEach
	void setUp() {
		secretsManager.resetAll();
		AwsSecretsManager aws = new AwsSecretsManager(URI.create(secretsManager.baseUrl() + "/"), () -> "sa-east-1",
				StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret-key")),
				Duration.ofSeconds(2));
		this.secrets = new SecretReferences(Duration.ofMinutes(5),
				Map.of("HUBSPOT_ACME", " pat-na1-acme \n")::get, aws, this.clock);
	}

	@Test
	void environmentVariableReferenceIsReadStripped() {
		assertThat(this.secrets.resolve("env:HUBSPOT_ACME", "esteira.crm.tenants.acme.token")).isEqualTo("pat-na1-acme");
	}

	@Test
	void unsetEnvironmentVariableIsATransientFailureNamingTheVariable() {
		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> this.secrets.resolve("env:HUBSPOT_NOBODY", "esteira.crm.tenants.x.token"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(CrmUnavailableException.Reason.TRANSIENT))
			.withMessage("the secret of esteira.crm.tenants.x.token could not be read: environment variable "
					+ "HUBSPOT_NOBODY is not set");
	}

	@Test
	void fileReferenceIsReadAndSeenAgainOnlyAfterTheCacheTime(@TempDir Path folder) throws IOException {
		Path file = folder.resolve("token");
		Files.writeString(file, "pat-na1-first\n");
		String reference = "file:" + file;

		assertThat(this.secrets.resolve(reference, "t")).isEqualTo("pat-na1-first");
		Files.writeString(file, "pat-na1-rotated\n");
		assertThat(this.secrets.resolve(reference, "t")).isEqualTo("pat-na1-first");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.secrets.resolve(reference, "t")).isEqualTo("pat-na1-rotated");
	}

	@Test
	void missingFileIsATransientFailure(@TempDir Path folder) {
		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> this.secrets.resolve("file:" + folder.resolve("absent"), "t"))
			.withMessageContaining("cannot be read");
	}

	@Test
	void secretsManagerReferenceIsASignedGetSecretValueCachedForTheCacheTime() {
		secretsManager.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/x-amz-json-1.1")
				.withBody("{\"ARN\":\"arn:aws:secretsmanager:sa-east-1:123456789012:secret:esteira/hubspot/acme-AbCdEf\","
						+ "\"Name\":\"esteira/hubspot/acme\",\"SecretString\":\"" + SECRET + "\"}")));

		assertThat(this.secrets.resolve("aws-secretsmanager:esteira/hubspot/acme", "t")).isEqualTo(SECRET);
		assertThat(this.secrets.resolve("aws-secretsmanager:esteira/hubspot/acme", "t")).isEqualTo(SECRET);

		secretsManager.verify(1, postRequestedFor(urlEqualTo("/"))
			.withHeader("Content-Type", containing("application/x-amz-json-1.1"))
			.withHeader("Authorization", containing("Credential=AKIDEXAMPLE/"))
			.withHeader("Authorization", containing("/sa-east-1/secretsmanager/aws4_request"))
			.withHeader("X-Amz-Date", containing("T"))
			.withRequestBody(equalToJson("{\"SecretId\":\"esteira/hubspot/acme\"}")));
	}

	@Test
	void secretArnSignsForTheArnsRegion() {
		secretsManager.stubFor(post(urlEqualTo("/"))
			.willReturn(aResponse().withStatus(200).withBody("{\"SecretString\":\"" + SECRET + "\"}")));

		this.secrets.resolve("aws-secretsmanager:arn:aws:secretsmanager:us-east-2:123456789012:secret:acme-AbCdEf", "t");

		secretsManager.verify(1, postRequestedFor(urlEqualTo("/"))
			.withHeader("Authorization", containing("/us-east-2/secretsmanager/aws4_request")));
	}

	@Test
	void secretsManagerRefusalIsATransientFailureNamingTheErrorNotAValue() {
		secretsManager.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
			.withBody("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the "
					+ "specified secret.\"}")));

		assertThatExceptionOfType(CrmUnavailableException.class)
			.isThrownBy(() -> this.secrets.resolve("aws-secretsmanager:esteira/hubspot/gone", "esteira.crm.tenants.g.token"))
			.satisfies((ex) -> assertThat(ex.countsAsAttempt()).isTrue())
			.withMessage("the secret of esteira.crm.tenants.g.token could not be read: AWS Secrets Manager secret "
					+ "esteira/hubspot/gone: answered 400 ResourceNotFoundException");
	}

	@Test
	void aValueIsNoReference() {
		assertThat(SecretReferences.isReference("pat-na1-1234")).isFalse();
		assertThat(SecretReferences.isReference("env:HUBSPOT_TOKEN")).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> this.secrets.resolve("pat-na1-1234", "t"))
			.withMessageNotContaining("pat-na1-1234");
	}

	/** A clock the test moves. */
	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-12-06T12:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
