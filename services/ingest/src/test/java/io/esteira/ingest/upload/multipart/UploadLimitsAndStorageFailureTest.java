package io.esteira.ingest.upload.multipart;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.TestFiles;
import io.esteira.testkit.EsteiraTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A context with a 2 KB image limit and an uploads bucket that does not exist; closed afterwards so its status
 * listener does not linger next to the main test context's.
 */
@EsteiraTest(properties = { "esteira.ingest.max-size.image=2KB", "esteira.aws.uploads-bucket=esteira-missing-bucket",
		"esteira.security.api-keys[0].name=writer",
		"esteira.security.api-keys[0].sha256=61fb44fd7a10316d790cd0fe37044ed02bf2df77f3a0fec7789b72fb452da6ac",
		"esteira.security.api-keys[0].scopes=uploads:write,uploads:read" })
@DirtiesContext
class UploadLimitsAndStorageFailureTest {

	@LocalServerPort
	private int port;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@Test
	void uploadOverTheLimitIsTooLarge() {
		byte[] large = TestFiles.aJpegOfAtLeast(8 * 1024);

		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, "image", "large.jpg", large);

		assertThat(rejected.status()).isEqualTo(413);
		assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");
		assertThat(rejected.body().path("type").asString()).isEqualTo("https://esteira.io/problems/upload-too-large");
		assertThat(rejected.body().path("detail").asString()).contains("2048 bytes");
	}

	@Test
	void uploadThatStorageRefusesIsFailedWithAReason() {
		IngestApi.Response refused = this.api.upload(IngestApi.WRITER_KEY, "image", "small.png", TestFiles.aPng());

		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.header("Retry-After")).isEqualTo("30");
		assertThat(refused.body().path("type").asString()).isEqualTo("https://esteira.io/problems/storage-unavailable");
		String id = refused.body().path("uploadId").asString();
		JsonNode upload = this.api.get(IngestApi.WRITER_KEY, "/api/uploads/" + id).body();
		assertThat(upload.path("status").asString()).isEqualTo("FAILED");
		JsonNode steps = upload.path("steps");
		assertThat(steps.size()).isEqualTo(2);
		assertThat(steps.get(0).path("step").asString()).isEqualTo("received");
		assertThat(steps.get(1).path("step").asString()).isEqualTo("stored");
		assertThat(steps.get(1).path("outcome").asString()).isEqualTo("FAILED");
		assertThat(steps.get(1).path("status").asString()).isEqualTo("FAILED");
		assertThat(steps.get(1).path("reason").asString()).contains("NoSuchBucket");
	}

}
