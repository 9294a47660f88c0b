package io.esteira.ingest.permalink;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.contracts.event.Thumbnails;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IngestIntegrationTest
class PermalinkTest {

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@Test
	void permalinkRedirectsWithoutApiKeyToAPresignedUrlThatServesTheThumbnail() throws Exception {
		UUID uploadId = anUpload();
		byte[] thumbnail = TestFiles.aJpeg();
		this.infra.s3Client()
			.putObject((put) -> put.bucket("esteira-output")
				.key("thumbnails/" + uploadId + "/256.jpg")
				.contentType("image/jpeg"), RequestBody.fromBytes(thumbnail));

		IngestApi.Response redirect = this.api.get(null, "/files/" + uploadId + "/256");

		assertThat(redirect.status()).isEqualTo(302);
		assertThat(redirect.header("Cache-Control")).contains("no-store");
		URI location = URI.create(redirect.header("Location"));
		assertThat(location.getPath()).endsWith("/esteira-output/thumbnails/" + uploadId + "/256.jpg");
		assertThat(location.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
		HttpResponse<byte[]> fetched = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(fetched.statusCode()).isEqualTo(200);
		assertThat(fetched.body()).isEqualTo(thumbnail);
	}

	@Test
	void permalinkServesAPngRenditionOfAnImageWithTransparency() throws Exception {
		// image-processing with alpha-output=PNG writes thumbnails/{id}/256.png (Thumbnails.key): same permalink.
		UUID uploadId = anUpload();
		byte[] thumbnail = "a png rendition".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		this.infra.s3Client()
			.putObject((put) -> put.bucket("esteira-output")
				.key(Thumbnails.key(uploadId, "256", "png"))
				.contentType("image/png"), RequestBody.fromBytes(thumbnail));

		IngestApi.Response redirect = this.api.get(null, Thumbnails.permalinkPath(uploadId, "256"));

		assertThat(redirect.status()).isEqualTo(302);
		URI location = URI.create(redirect.header("Location"));
		assertThat(location.getPath()).endsWith("/esteira-output/thumbnails/" + uploadId + "/256.png");
		HttpResponse<byte[]> fetched = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(fetched.statusCode()).isEqualTo(200);
		assertThat(fetched.body()).isEqualTo(thumbnail);
	}

	@Test
	void permalinkOfAMissingThumbnailIsNotFound() {
		IngestApi.Response missing = this.api.get(null, "/files/" + UUID.randomUUID() + "/256");

		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
		assertThat(missing.body().path("type").asString()).isEqualTo("https://esteira.io/problems/file-not-found");
	}

	@Test
	void aThumbnailOfNoRegisteredUploadHasNoPermalink() {
		// e.g. one image-processing wrote under the name-based id of an object dropped into the bucket: that id can
		// be worked out from the object's key, so it must not open the thumbnail
		UUID notAnUpload = UUID.randomUUID();
		this.infra.s3Client()
			.putObject((put) -> put.bucket("esteira-output").key(Thumbnails.key(notAnUpload, "256", "jpg")),
					RequestBody.fromBytes(TestFiles.aJpeg()));

		IngestApi.Response response = this.api.get(null, Thumbnails.permalinkPath(notAnUpload, "256"));

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body().path("type").asString()).isEqualTo("https://esteira.io/problems/file-not-found");
	}

	private UUID anUpload() {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng());
		assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
		return UUID.fromString(accepted.body().path("id").asString());
	}

	@Test
	void renditionMustBeASizeInPixels() {
		assertThat(this.api.get(null, "/files/" + UUID.randomUUID() + "/25600").status()).isEqualTo(400);
		assertThat(this.api.get(null, "/files/" + UUID.randomUUID() + "/2").status()).isEqualTo(400);
		assertThat(this.api.get(null, "/files/" + UUID.randomUUID() + "/abc").body().path("type").asString())
			.isEqualTo("https://esteira.io/problems/invalid-request");
	}

	@Test
	void malformedUploadIdIsInvalid() {
		assertThat(this.api.get(null, "/files/not-a-uuid/256").status()).isEqualTo(400);
	}

}
