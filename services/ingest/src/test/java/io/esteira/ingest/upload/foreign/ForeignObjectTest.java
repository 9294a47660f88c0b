package io.esteira.ingest.upload.foreign;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestNotifications;
import io.esteira.ingest.TestSettings;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.ingest.upload.registration.NewUpload;
import io.esteira.ingest.upload.registration.UploadRegistration;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.Thumbnails;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestIntegrationTest
class ForeignObjectTest {

	private static final String BUCKET = EsteiraInfrastructure.NAMES.uploadsBucket();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final TestQueues queues = new TestQueues(this.infra);

	@Autowired
	private UploadTimeline timeline;

	@Autowired
	private ForeignObjectIds ids;

	@Autowired
	private UploadRegistration registration;

	@Autowired
	private UploadRepository uploads;


	@LocalServerPort
	private int port;

	private IngestApi api;

	@BeforeEach
	void client() {
		this.infra.purgeQueues();
		this.api = new IngestApi(this.port);
	}

	private void putForeign(String key, byte[] content, Map<String, String> metadata) {
		this.infra.s3Client()
			.putObject((put) -> put.bucket(BUCKET).key(key).metadata(metadata), RequestBody.fromBytes(content));
	}

	private void report(UploadStatusEvent event) {
		this.queues.send("esteira-status", JSON.writeValueAsString(event));
	}

	private static UploadStatusEvent processing(UUID id) {
		return UploadStatusEvent.of(id, "invoice", "invoice-import", StepOutcome.STARTED, UploadStatus.PROCESSING,
				null, Instant.now());
	}

	private JsonNode upload(UUID id) {
		return this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
	}

	/** The ids of every invoice created since {@code from}, through all pages of {@code GET /api/uploads}. */
	private List<UUID> listedInvoices(Instant from) {
		List<UUID> ids = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = this.api
				.get(IngestApi.READER_KEY, "/api/uploads?kind=invoice&limit=100&from=" + from
						+ ((cursor != null) ? "&cursor=" + cursor : ""))
				.body();
			page.path("items").forEach((item) -> ids.add(UUID.fromString(item.path("id").asString())));
			cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
		}
		while (cursor != null);
		return ids;
	}

	@Test
	void nightlyExportDroppedInTheBucketIsRegisteredUnderAKeyedIdAndTheServicesReportsUnderItsNameBasedIdReachIt() {
		String key = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		this.infra.s3Client()
			.putObject((put) -> put.bucket(EsteiraInfrastructure.NAMES.uploadsBucket())
				.key(key)
				.contentType("application/json"), RequestBody.fromBytes(TestFiles.anInvoiceJson()));
		UUID expected = this.ids.keyedId(BUCKET, key);
		UUID nameBased = nameBased(key);
		assertThat(expected.version()).isEqualTo(8);
		assertThat(expected).isNotEqualTo(nameBased);

		IngestApi.Response first = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects", Map.of("key", key));
		IngestApi.Response again = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects", Map.of("key", key));

		assertThat(first.status()).as(first.text()).isEqualTo(201);
		assertThat(first.body().path("id").asString()).isEqualTo(expected.toString());
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().path("created").asBoolean()).isFalse();
		JsonNode upload = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + expected).body();
		assertThat(upload.path("kind").asString()).isEqualTo("invoice");
		assertThat(upload.path("sizeBytes").asLong()).isEqualTo(TestFiles.anInvoiceJson().length);
		assertThat(upload.path("steps").get(0).path("step").asString()).isEqualTo("registered");

		// what the invoice service reports about it (under the name-based id it derives) lands on the timeline
		report(new UploadStatusEvent(UUID.randomUUID(), nameBased, "invoice", "invoice-import", StepOutcome.SUCCEEDED,
				UploadStatus.COMPLETED, "1 invoice", 1, Instant.now())
			.forObject(BUCKET, key));
		await().untilAsserted(() -> assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + expected)
			.body()
			.path("status")
			.asString()).isEqualTo("COMPLETED"));
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + nameBased).status()).isEqualTo(404);
	}

	@Test
	void anAdminRegistersAForeignObjectForATenantOrTheOneInItsMetadata() {
		String named = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		String tagged = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		putForeign(named, TestFiles.anInvoiceJson(), Map.of());
		putForeign(tagged, TestFiles.anInvoiceJson(), Map.of(UploadMetadata.TENANT, "beta"));

		IngestApi.Response forBeta = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
				Map.of("key", named, "tenant", "beta"));
		IngestApi.Response fromMetadata = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
				Map.of("key", tagged));

		for (IngestApi.Response registered : java.util.List.of(forBeta, fromMetadata)) {
			assertThat(registered.status()).as(registered.text()).isEqualTo(201);
			String path = "/api/uploads/" + registered.body().path("id").asString();
			assertThat(this.api.get(IngestApi.BETA_KEY, path).body().path("tenant").asString()).isEqualTo("beta");
			assertThat(this.api.get(IngestApi.READER_KEY, path).status()).isEqualTo(404);
		}
		assertThat(this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
				Map.of("key", named, "tenant", "Not A Tenant")).status()).isEqualTo(400);
	}

	@Test
	void anObjectRegisteredUnderItsNameBasedIdBeforeIdsWereKeyedKeepsItsUpload() {
		String key = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		putForeign(key, TestFiles.anInvoiceJson(), Map.of());
		UUID legacy = nameBased(key);
		this.registration.register(NewUpload.foundInBucket(legacy, UploadKind.INVOICE, key, "application/json",
				TestFiles.anInvoiceJson().length, "object found in the bucket", Instant.now(), null));

		// a redelivered report under the name-based id, and one under the keyed id (services that derive it)
		report(processing(legacy).forObject(BUCKET, key));
		report(new UploadStatusEvent(UUID.randomUUID(), this.ids.keyedId(BUCKET, key), "invoice", "invoice-import",
				StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "1 invoice", 1, Instant.now().plusMillis(5))
			.forObject(BUCKET, key));

		await().untilAsserted(() -> assertThat(upload(legacy).path("status").asString()).isEqualTo("COMPLETED"));
		assertThat(TestNotifications.pipelineSteps(upload(legacy))).hasSize(3);
		IngestApi.Response again = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects", Map.of("key", key));
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().path("id").asString()).isEqualTo(legacy.toString());
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + this.ids.keyedId(BUCKET, key)).status())
			.isEqualTo(404);
	}

	@Test
	void aForeignImagesThumbnailOpensUnderItsKeyedIdButNotUnderTheGuessableNameBasedOne() {
		String key = "images/scanner/scan-" + UUID.randomUUID() + ".png";
		putForeign(key, TestFiles.aPng(), Map.of());
		UUID nameBased = nameBased(key);
		// image-processing writes the thumbnail under the name-based id and reports under it
		this.infra.s3Client()
			.putObject((put) -> put.bucket(EsteiraInfrastructure.NAMES.outputBucket())
				.key(Thumbnails.key(nameBased, "256", "jpg")), RequestBody.fromBytes(TestFiles.aJpeg()));
		report(UploadStatusEvent.of(nameBased, "image-processing", "thumbnail", StepOutcome.SUCCEEDED,
				UploadStatus.PROCESSING, "256", Instant.now()).forObject(BUCKET, key));
		UUID keyed = this.ids.keyedId(BUCKET, key);
		await().untilAsserted(() -> assertThat(upload(keyed).path("status").asString()).isEqualTo("PROCESSING"));

		IngestApi.Response guessed = this.api.get(null, Thumbnails.permalinkPath(nameBased, "256"));
		IngestApi.Response permalink = this.api.get(null, Thumbnails.permalinkPath(keyed, "256"));

		assertThat(guessed.status()).isEqualTo(404);
		assertThat(permalink.status()).isEqualTo(302);
		assertThat(permalink.header("Location")).contains("/thumbnails/" + nameBased + "/256.jpg");
	}

	@Test
	void keyedIdsDependOnTheSecretAndTheLocation() {
		ForeignObjectIds other = new ForeignObjectIds(withForeignIdSecret("another-secret"));

		assertThat(this.ids.keyedId(BUCKET, "images/a.png")).isEqualTo(this.ids.keyedId(BUCKET, "images/a.png"))
			.isNotEqualTo(this.ids.keyedId(BUCKET, "images/b.png"))
			.isNotEqualTo(other.keyedId(BUCKET, "images/a.png"))
			.isNotEqualTo(nameBased("images/a.png"));
		assertThat(this.ids.keyedId(BUCKET, "images/a.png").variant()).isEqualTo(2);
		assertThat(withForeignIdSecret("another-secret").toString()).doesNotContain("another-secret");
	}

	private static IngestProperties withForeignIdSecret(String secret) {
		return TestSettings.ingest(Map.of("foreign-objects.id-secret", secret));
	}

	private static UUID nameBased(String key) {
		return UUID.nameUUIDFromBytes((BUCKET + "/" + key).getBytes(StandardCharsets.UTF_8));
	}

	/** The upload registered for the object at {@code key}. */
	private UUID uploadOf(String key) {
		return this.uploads.findByObjectKey(key).orElseThrow().id();
	}

	@Test
	void objectPutStraightIntoTheBucketIsRegisteredFromItsFirstReportOnceUnderDuplicates() {
		String key = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		putForeign(key, TestFiles.anInvoiceJson(), Map.of());
		UUID reported = nameBased(key);
		Instant now = Instant.now();
		UploadStatusEvent started = new UploadStatusEvent(UUID.randomUUID(), reported, "invoice", "invoice-import",
				StepOutcome.STARTED, UploadStatus.PROCESSING, null, 1, now)
			.forObject(BUCKET, key);
		UploadStatusEvent imported = new UploadStatusEvent(UUID.randomUUID(), reported, "invoice", "invoice-import",
				StepOutcome.SUCCEEDED, UploadStatus.COMPLETED_WITH_ERRORS, "9 rows imported, 1 rejected", 1,
				now.plusMillis(300))
			.forObject(BUCKET, key);

		// S3 and SQS deliver at least once: the first report twice, and all of them at about the same time
		report(started);
		report(started);
		report(imported);
		report(imported);

		UUID id = this.ids.keyedId(BUCKET, key);
		await().untilAsserted(() -> assertThat(upload(id).path("status").asString())
			.isEqualTo("COMPLETED_WITH_ERRORS"));
		await().atMost(Duration.ofSeconds(15)).until(() -> this.queues.isSettled("esteira-status"));
		JsonNode upload = upload(id);
		assertThat(upload.path("objectKey").asString()).isEqualTo(key);
		assertThat(upload.path("kind").asString()).isEqualTo("invoice");
		assertThat(upload.path("sizeBytes").asLong()).isEqualTo(TestFiles.anInvoiceJson().length);
		assertThat(TestNotifications.pipelineSteps(upload)).extracting((step) -> step.path("service").asString() + "/"
				+ step.path("step").asString() + "/" + step.path("outcome").asString())
			.containsExactly("ingest/registered/SUCCEEDED", "invoice/invoice-import/STARTED",
					"invoice/invoice-import/SUCCEEDED");
		assertThat(upload.path("timeline").get(1).path("endedAt").isNull()).isFalse();
		assertThat(listedInvoices(now.minus(Duration.ofMinutes(5)))).filteredOn(id::equals).hasSize(1);
		assertThat(this.queues.deadLetterCount("esteira-status")).isZero();
	}

	@Test
	void reportsAboutTheSameNewObjectRecordedAtTheSameMomentRegisterItOnce() throws Exception {
		String key = "images/scanner/" + UUID.randomUUID() + ".png";
		putForeign(key, TestFiles.aPng(), Map.of());
		List<UploadStatusEvent> reports = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			reports.add(UploadStatusEvent.of(nameBased(key), "image-processing", "rendition-" + i, StepOutcome.STARTED,
					UploadStatus.PROCESSING, null, Instant.now()).forObject(BUCKET, key));
		}
		CountDownLatch start = new CountDownLatch(1);
		List<Future<UploadTimeline.Recorded>> recorded = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(reports.size())) {
			for (UploadStatusEvent report : reports) {
				recorded.add(threads.submit(() -> {
					start.await();
					return this.timeline.record(report);
				}));
			}
			start.countDown();
			for (Future<UploadTimeline.Recorded> result : recorded) {
				assertThat(result.get(30, TimeUnit.SECONDS)).isNotEqualTo(UploadTimeline.Recorded.UNKNOWN_UPLOAD);
			}
		}

		JsonNode upload = upload(uploadOf(key));
		assertThat(upload.path("id").asString()).isEqualTo(this.ids.keyedId(BUCKET, key).toString());
		assertThat(TestNotifications.stepsNamed(upload, "registered")).isEqualTo(1);
		for (int i = 0; i < reports.size(); i++) {
			assertThat(TestNotifications.stepsNamed(upload, "rendition-" + i)).isEqualTo(1);
		}
		assertThat(upload.path("status").asString()).isEqualTo("PROCESSING");
	}

	@Test
	void aForeignObjectWithAnUploadIdInItsMetadataIsRegisteredUnderThatId() {
		UUID id = UUID.randomUUID();
		String key = "images/partner/" + UUID.randomUUID() + ".png";
		putForeign(key, TestFiles.aPng(), Map.of(UploadMetadata.UPLOAD_ID, id.toString()));

		report(UploadStatusEvent.of(id, "image-processing", "thumbnail", StepOutcome.STARTED,
				UploadStatus.PROCESSING, null, Instant.now()).forObject(BUCKET, key));

		await().untilAsserted(() -> assertThat(upload(id).path("status").asString()).isEqualTo("PROCESSING"));
		assertThat(upload(id).path("kind").asString()).isEqualTo("image");
	}

	@Test
	void reportsThatCannotBeTiedToAnObjectInTheBucketAreDroppedNotRetried() {
		String key = "invoices/erp-export/" + UUID.randomUUID() + ".json";
		putForeign(key, TestFiles.anInvoiceJson(), Map.of());
		UUID nameBased = nameBased(key);
		UUID noObject = UUID.randomUUID();
		UUID missingObject = UUID.randomUUID();
		UUID otherBucket = UUID.randomUUID();
		UUID wrongId = UUID.randomUUID();

		report(processing(noObject));
		report(processing(missingObject).forObject(BUCKET, "invoices/" + UUID.randomUUID() + ".json"));
		report(processing(otherBucket).forObject("someone-elses-bucket", key));
		report(processing(wrongId).forObject(BUCKET, key));

		await().atMost(Duration.ofSeconds(15)).until(() -> this.queues.isSettled("esteira-status"));
		for (UUID id : List.of(noObject, missingObject, otherBucket, wrongId, nameBased)) {
			assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).status()).as(id.toString())
				.isEqualTo(404);
		}
		assertThat(this.queues.deadLetterCount("esteira-status")).isZero();
	}

	@Test
	void anUploadMadeThroughIngestIsAlreadyKnown() {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng(),
				Map.of());
		String id = accepted.body().path("id").asString();
		String key = this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body().path("objectKey").asString();

		IngestApi.Response registered = this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
				Map.of("key", key));

		assertThat(registered.status()).isEqualTo(200);
		assertThat(registered.body().path("id").asString()).isEqualTo(id);
	}

	@Test
	void missingObjectsAndOtherPrefixesAreInvalid() {
		assertThat(this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects",
				Map.of("key", "invoices/" + UUID.randomUUID() + ".json")).status()).isEqualTo(400);
		assertThat(this.api.postJson(IngestApi.ADMIN_KEY, "/api/admin/objects", Map.of("key", "elsewhere/x.json"))
			.status()).isEqualTo(400);
		assertThat(this.api.postJson(IngestApi.WRITER_KEY, "/api/admin/objects", Map.of("key", "images/x.png"))
			.status()).isEqualTo(403);
	}

}
