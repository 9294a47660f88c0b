package io.esteira.ingest.upload.direct;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestIntegrationTest
class DirectUploadTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@Test
	void presignedPutStoresTheObjectWithItsMetadataAndTheUploadAwaitsIt() throws Exception {
		byte[] png = TestFiles.aPng();

		IngestApi.Response presigned = this.api.postJson(IngestApi.WRITER_KEY, "/api/uploads/presign",
				aPresignRequest("image", "image/png", png.length));

		assertThat(presigned.status()).as(presigned.text()).isEqualTo(201);
		String id = presigned.body().path("id").asString();
		assertThat(presigned.header("Location")).endsWith("/api/uploads/" + id);
		assertThat(presigned.body().path("method").asString()).isEqualTo("PUT");
		String url = presigned.body().path("uploadUrl").asString();
		// type and size are part of the signature: S3 refuses a PUT with anything else
		assertThat(signedHeaders(url)).contains("content-type", "content-length", "x-amz-meta-esteira-upload-id",
				"x-amz-server-side-encryption");
		assertThat(Instant.parse(presigned.body().path("expiresAt").asString()))
			.isBefore(Instant.now().plusSeconds(11 * 60));

		JsonNode upload = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
		assertThat(upload.path("status").asString()).isEqualTo("RECEIVED");
		assertThat(upload.path("awaitingObject").asBoolean()).isTrue();
		assertThat(upload.path("steps").get(0).path("step").asString()).isEqualTo("presigned");

		assertThat(put(url, presigned.body().path("headers"), png)).isEqualTo(200);

		String key = upload.path("objectKey").asString();
		assertThat(key).matches("images/\\d{4}/\\d{2}/\\d{2}/" + id + "\\.png");
		HeadObjectResponse object = this.infra.s3Client()
			.headObject((head) -> head.bucket(EsteiraInfrastructure.NAMES.uploadsBucket()).key(key));
		assertThat(object.contentLength()).isEqualTo(png.length);
		assertThat(object.contentType()).isEqualTo("image/png");
		assertThat(object.metadata()).containsEntry(UploadMetadata.UPLOAD_ID, id)
			.containsEntry(UploadMetadata.KIND, "image")
			.containsEntry(UploadMetadata.EXTERNAL_REF, "direct-1");

		// the first report of a processing service about the object puts the upload on its way
		new TestQueues(this.infra).send("esteira-status",
				JSON.writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), UUID.fromString(id),
						"image-processing", "thumbnail", StepOutcome.STARTED, UploadStatus.PROCESSING, null, 1,
						Instant.now())));
		await().untilAsserted(() -> {
			JsonNode current = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
			assertThat(current.path("status").asString()).isEqualTo("PROCESSING");
			assertThat(current.path("awaitingObject").asBoolean()).isFalse();
		});
	}

	@Test
	void presignRefusesATypeNotAcceptedForTheKind() {
		IngestApi.Response response = this.api.postJson(IngestApi.WRITER_KEY, "/api/uploads/presign",
				aPresignRequest("image", "application/pdf", 1000));

		assertThat(response.status()).isEqualTo(415);
		assertThat(response.body().path("detectedType").asString()).isEqualTo("application/pdf");
	}

	@Test
	void presignRefusesASizeOverTheLimit() {
		IngestApi.Response response = this.api.postJson(IngestApi.WRITER_KEY, "/api/uploads/presign",
				aPresignRequest("invoice", "application/json", 6L * 1024 * 1024 * 1024));

		assertThat(response.status()).isEqualTo(413);
	}

	@Test
	void presignWithAnUnknownKindIsInvalidAndAnyCaseOfAKnownOneIsNot() {
		IngestApi.Response unknown = this.api.postJson(IngestApi.WRITER_KEY, "/api/uploads/presign",
				aPresignRequest("video", "image/png", 10));
		IngestApi.Response upperCase = this.api.postJson(IngestApi.WRITER_KEY, "/api/uploads/presign",
				aPresignRequest("IMAGE", "image/png", 10));

		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.body().path("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
		assertThat(unknown.body().path("errors").toString()).contains("kind: must be 'image' or 'invoice'");
		assertThat(upperCase.status()).as(upperCase.text()).isEqualTo(201);
	}

	@Test
	void presignWithoutSizeIsInvalid() {
		Map<String, Object> request = aPresignRequest("image", "image/png", 1);
		request.remove("sizeBytes");

		IngestApi.Response response = this.api.postJson(IngestApi.WRITER_KEY, "/api/uploads/presign", request);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().path("errors").toString()).contains("sizeBytes");
	}

	@Test
	void presignNeedsTheWriteScope() {
		assertThat(this.api.postJson(IngestApi.READER_KEY, "/api/uploads/presign",
				aPresignRequest("image", "image/png", 10)).status()).isEqualTo(403);
		assertThat(this.api.postJson(null, "/api/uploads/presign", aPresignRequest("image", "image/png", 10))
			.status()).isEqualTo(401);
	}

	private static Map<String, Object> aPresignRequest(String kind, String contentType, long size) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("kind", kind);
		request.put("contentType", contentType);
		request.put("sizeBytes", size);
		request.put("filename", "big-photo.png");
		request.put("externalRef", "direct-1");
		return request;
	}

	private static String signedHeaders(String url) {
		for (String parameter : URI.create(url).getRawQuery().split("&")) {
			if (parameter.startsWith("X-Amz-SignedHeaders=")) {
				return java.net.URLDecoder.decode(parameter.substring("X-Amz-SignedHeaders=".length()),
						java.nio.charset.StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	/** PUTs like a client would, with the headers ingest returned (the HTTP client sets Content-Length itself). */
	private static int put(String url, JsonNode headers, byte[] content) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.PUT(HttpRequest.BodyPublishers.ofByteArray(content));
		for (Map.Entry<String, JsonNode> header : headers.properties()) {
			if (!header.getKey().equalsIgnoreCase("content-length")) {
				request.header(header.getKey(), header.getValue().asString());
			}
		}
		try (HttpClient client = HttpClient.newHttpClient()) {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
		}
	}

}
