package io.esteira.ingest.upload.multipart;

import java.util.Map;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IngestIntegrationTest
class UploadApiTest {

	private static final String UPLOADS_BUCKET = "esteira-uploads";

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@LocalServerPort
	private int port;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.api = new IngestApi(this.port);
	}

	@Test
	void pngUploadIsAcceptedAndStoredUnderImagesWithItsMetadataAndEncryption() {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "image", "photo.png", TestFiles.aPng(),
				Map.of("crmContactId", "5101", "customerEmail", "ana@example.com", "customerPhone", "+55 11 91234-5678",
						"externalRef", "pedido açaí #7"));

		assertThat(accepted.status()).isEqualTo(202);
		String id = accepted.body().path("id").asString();
		assertThat(accepted.body().path("status").asString()).isEqualTo("RECEIVED");
		assertThat(accepted.header("Location")).endsWith("/api/uploads/" + id)
			.isEqualTo(accepted.body().path("statusUrl").asString());

		JsonNode upload = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
		assertThat(upload.path("objectKey").asString()).matches("images/\\d{4}/\\d{2}/\\d{2}/" + id + "\\.png");
		HeadObjectResponse object = this.infra.s3Client()
			.headObject((head) -> head.bucket(UPLOADS_BUCKET).key(upload.path("objectKey").asString()));
		assertThat(object.contentType()).isEqualTo("image/png");
		assertThat(object.contentLength()).isEqualTo(TestFiles.aPng().length);
		assertThat(object.metadata()).containsEntry(UploadMetadata.UPLOAD_ID, id)
			.containsEntry(UploadMetadata.KIND, "image")
			.containsEntry(UploadMetadata.CRM_CONTACT_ID, "5101")
			.containsEntry(UploadMetadata.CUSTOMER_EMAIL, "ana@example.com")
			.containsEntry(UploadMetadata.CUSTOMER_PHONE, "+55 11 91234-5678")
			.containsEntry(UploadMetadata.EXTERNAL_REF, "pedido a%C3%A7a%C3%AD #7");
		assertThat(object.serverSideEncryptionAsString()).isEqualTo("AES256");
	}

	@Test
	void newUploadShowsReceivedWithItsReceivedStep() {
		byte[] jpeg = TestFiles.aJpeg();
		String id = this.api.upload(IngestApi.WRITER_KEY, "image", "C:\\Users\\ana\\selfie.jpeg", jpeg,
				Map.of("externalRef", "ref-1"))
			.body()
			.path("id")
			.asString();

		IngestApi.Response found = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id);

		assertThat(found.status()).isEqualTo(200);
		JsonNode upload = found.body();
		assertThat(upload.path("id").asString()).isEqualTo(id);
		assertThat(upload.path("kind").asString()).isEqualTo("image");
		assertThat(upload.path("status").asString()).isEqualTo("RECEIVED");
		assertThat(upload.path("originalFilename").asString()).isEqualTo("selfie.jpeg");
		assertThat(upload.path("contentType").asString()).isEqualTo("image/jpeg");
		assertThat(upload.path("sizeBytes").asLong()).isEqualTo(jpeg.length);
		assertThat(upload.path("objectKey").asString()).startsWith("images/").endsWith("/" + id + ".jpg");
		assertThat(upload.path("externalRef").asString()).isEqualTo("ref-1");
		assertThat(upload.path("customerEmail").isNull()).isTrue();
		assertThat(upload.path("createdAt").asString()).isNotBlank();
		assertThat(upload.path("updatedAt").asString()).isNotBlank();
		JsonNode steps = upload.path("steps");
		assertThat(steps.size()).isEqualTo(1);
		assertThat(steps.get(0).path("service").asString()).isEqualTo("ingest");
		assertThat(steps.get(0).path("step").asString()).isEqualTo("received");
		assertThat(steps.get(0).path("outcome").asString()).isEqualTo("SUCCEEDED");
		assertThat(steps.get(0).path("status").asString()).isEqualTo("RECEIVED");
		assertThat(steps.get(0).path("attempt").asInt()).isEqualTo(1);
		assertThat(steps.get(0).path("occurredAt").asString()).isNotBlank();
	}

	@Test
	void invoiceJsonIsStoredUnderInvoicesAsJson() {
		byte[] invoice = TestFiles.anInvoiceJson();
		String id = this.api.upload(IngestApi.WRITER_KEY, "invoice", "invoices.txt", invoice)
			.body()
			.path("id")
			.asString();

		JsonNode upload = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();

		assertThat(upload.path("kind").asString()).isEqualTo("invoice");
		assertThat(upload.path("contentType").asString()).isEqualTo("application/json");
		assertThat(upload.path("objectKey").asString()).startsWith("invoices/").endsWith("/" + id + ".json");
		ResponseBytes<GetObjectResponse> stored = this.infra.s3Client()
			.getObjectAsBytes((get) -> get.bucket(UPLOADS_BUCKET).key(upload.path("objectKey").asString()));
		assertThat(stored.asByteArray()).isEqualTo(invoice);
		assertThat(stored.response().metadata()).containsEntry(UploadMetadata.UPLOAD_ID, id)
			.containsEntry(UploadMetadata.KIND, "invoice");
	}

	@Test
	void csvInvoiceIsAcceptedAsPlainText() {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "INVOICE", "invoices.csv",
				TestFiles.anInvoiceCsv());

		assertThat(accepted.status()).isEqualTo(202);
		JsonNode upload = this.api.get(IngestApi.READER_KEY, accepted.header("Location")).body();
		assertThat(upload.path("contentType").asString()).isEqualTo("text/plain");
		assertThat(upload.path("objectKey").asString()).startsWith("invoices/").endsWith(".txt");
	}

	@Test
	void pdfNamedAsJpegIsRejectedAsUnsupportedMediaType() {
		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, "image", "photo.jpg", TestFiles.aPdf());

		assertThat(rejected.status()).isEqualTo(415);
		assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");
		assertThat(rejected.body().path("type").asString())
			.isEqualTo("https://esteira.io/problems/unsupported-media-type");
		assertThat(rejected.body().path("detail").asString()).contains("application/pdf");
		assertThat(rejected.body().path("detectedType").asString()).isEqualTo("application/pdf");
	}

	@Test
	void imageUploadedAsInvoiceIsRejectedAsUnsupportedMediaType() {
		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, "invoice", "invoice.json",
				TestFiles.aPng());

		assertThat(rejected.status()).isEqualTo(415);
		assertThat(rejected.body().path("detectedType").asString()).isEqualTo("image/png");
	}

	@Test
	void uploadWithoutFileIsInvalid() {
		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, "image", null, null);

		assertInvalid(rejected, "file");
	}

	@Test
	void uploadWithUnknownKindIsInvalid() {
		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, "video", "a.png", TestFiles.aPng());

		assertInvalid(rejected, "kind: must be 'image' or 'invoice'");
	}

	@Test
	void uploadWithoutKindIsInvalid() {
		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, null, "a.png", TestFiles.aPng());

		assertInvalid(rejected, "kind");
	}

	@Test
	void uploadWithMalformedEmailIsInvalid() {
		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, "image", "a.png", TestFiles.aPng(),
				Map.of("customerEmail", "not-an-email"));

		assertInvalid(rejected, "customerEmail");
	}

	@Test
	void emptyFileIsInvalid() {
		IngestApi.Response rejected = this.api.upload(IngestApi.WRITER_KEY, "image", "a.png", new byte[0]);

		assertThat(rejected.status()).isEqualTo(400);
		assertThat(rejected.body().path("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
	}

	@Test
	void uploadWithoutApiKeyIsUnauthorized() {
		IngestApi.Response rejected = this.api.upload(null, "image", "a.png", TestFiles.aPng());

		assertThat(rejected.status()).isEqualTo(401);
		assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");
		assertThat(rejected.body().path("type").asString()).isEqualTo("https://esteira.io/problems/missing-api-key");
	}

	@Test
	void uploadWithUnknownApiKeyIsUnauthorized() {
		assertThat(this.api.upload("not-a-key", "image", "a.png", TestFiles.aPng()).status()).isEqualTo(401);
	}

	@Test
	void uploadWithReadOnlyKeyIsForbidden() {
		IngestApi.Response rejected = this.api.upload(IngestApi.READER_KEY, "image", "a.png", TestFiles.aPng());

		assertThat(rejected.status()).isEqualTo(403);
		assertThat(rejected.body().path("type").asString())
			.isEqualTo("https://esteira.io/problems/insufficient-scope");
	}

	@Test
	void readingAnUploadNeedsAnApiKey() {
		String id = this.api.upload(IngestApi.WRITER_KEY, "image", "a.png", TestFiles.aPng())
			.body()
			.path("id")
			.asString();

		assertThat(this.api.get(null, "/api/uploads/" + id).status()).isEqualTo(401);
	}

	@Test
	void unknownUploadIsNotFound() {
		IngestApi.Response missing = this.api.get(IngestApi.READER_KEY,
				"/api/uploads/00000000-0000-4000-8000-000000000000");

		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.body().path("type").asString()).isEqualTo("https://esteira.io/problems/upload-not-found");
	}

	@Test
	void malformedUploadIdIsInvalid() {
		IngestApi.Response rejected = this.api.get(IngestApi.READER_KEY, "/api/uploads/not-a-uuid");

		assertThat(rejected.status()).isEqualTo(400);
		assertThat(rejected.body().path("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
	}

	@Test
	void pathsOutsideTheApiAreDenied() {
		assertThat(this.api.get(IngestApi.WRITER_KEY, "/api/other").status()).isEqualTo(403);
		assertThat(this.api.get(null, "/anything").status()).isEqualTo(401);
	}

	private static void assertInvalid(IngestApi.Response response, String field) {
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.body().path("type").asString()).isEqualTo("https://esteira.io/problems/invalid-request");
		assertThat(response.body().path("errors").toString()).contains(field);
	}

}
