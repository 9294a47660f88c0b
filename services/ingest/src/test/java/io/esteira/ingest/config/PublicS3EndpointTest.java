package io.esteira.ingest.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import io.esteira.testkit.AwsTestClients;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compose's services reach S3 as {@code floci:4566}, the user's machine as {@code localhost:4566}: presigned URLs must
 * be signed for the public name. Here the services' endpoint is S3Proxy at {@code 127.0.0.1}, the public one the same
 * S3Proxy as {@code localhost}, and S3Proxy checks signatures.
 */
class PublicS3EndpointTest {

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@Test
	void presignedUrlsNameThePublicEndpointAndAreValidThere() throws Exception {
		URI internal = this.infra.s3Endpoint();
		String publicEndpoint = "http://localhost:" + internal.getPort();
		String key = "thumbnails/" + UUID.randomUUID() + "/256.jpg";
		this.infra.s3Client()
			.putObject((put) -> put.bucket("esteira-output").key(key), RequestBody.fromString("thumbnail"));

		URI url;
		try (S3Presigner presigner = presigner(Map.of("esteira.ingest.public-s3-endpoint", publicEndpoint))) {
			url = presigner
				.presignGetObject((presign) -> presign.signatureDuration(Duration.ofMinutes(1))
					.getObjectRequest((get) -> get.bucket("esteira-output").key(key)))
				.url()
				.toURI();
		}

		assertThat(url.getHost()).isEqualTo("localhost");
		assertThat(url.getPort()).isEqualTo(internal.getPort());
		assertThat(url.getPath()).isEqualTo("/esteira-output/" + key);
		HttpResponse<String> fetched = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(fetched.statusCode()).isEqualTo(200);
		assertThat(fetched.body()).isEqualTo("thumbnail");
	}

	@Test
	void thePublicEndpointIsEmptyUnlessSet() {
		assertThat(properties(Map.of()).publicS3Endpoint()).isEmpty();
	}

	private static S3Presigner presigner(Map<String, String> settings) {
		S3Properties s3 = new S3Properties();
		s3.setPathStyleAccessEnabled(true);
		return new IngestConfiguration().s3Presigner(properties(settings), s3,
				StaticCredentialsProvider
					.create(AwsBasicCredentials.create(AwsTestClients.ACCESS_KEY, AwsTestClients.SECRET_KEY)),
				() -> AwsTestClients.REGION);
	}

	private static IngestProperties properties(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("esteira.ingest",
				IngestProperties.class);
	}

}
