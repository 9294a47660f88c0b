package io.esteira.imageprocessing.image;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static io.esteira.imageprocessing.ImageFixtures.aPdf;
import static io.esteira.imageprocessing.ImageFixtures.aPngWithAlpha;
import static io.esteira.imageprocessing.image.ImagePipeline.OUTPUT;
import static io.esteira.imageprocessing.image.ImagePipeline.UPLOADS;
import static io.esteira.imageprocessing.image.ImagePipeline.created;
import static io.esteira.imageprocessing.image.ImagePipeline.uploadMetadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The service against real PostgreSQL, ElasticMQ and S3Proxy: S3 events are sent to the images queue by hand, the way
 * S3 sends them, and the outcome is read from the output bucket, the {@code images} table and the event queues.
 */
@ImageProcessingTest
class ImageProcessingIntegrationTest {

	/** A sequencer as S3 writes them (18 hex digits, from the AWS documentation's example event). */
	private static final String S3_SEQUENCER = "0055AED6DCD90281E5";

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final S3Client s3 = this.infra.s3Client();

	@Autowired
	private JdbcTemplate jdbc;

	private ImagePipeline pipeline;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ImageObjects objects;

	@BeforeEach
	void cleanSlate() {
		this.pipeline = ImagePipeline.cleared(this.infra, this.jdbc);
	}

	@AfterEach
	void leaveNothingInFlight() {
		// Acknowledgements are batched: purging the queue under a pending one makes it fail noisily.
		this.pipeline.awaitImagesQueueDrained();
	}

	@Test
	void uploadedJpegBecomes256And1024RenditionsInTheOutputBucketAndIsAnnounced() throws Exception {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/my photo ä+1.jpg";
		byte[] jpeg = aJpeg(1024, 768);
		String eTag = this.pipeline.put(key, jpeg, uploadMetadata(uploadId));

		S3ObjectEvent stored = created(key, jpeg.length, eTag, "0055AA");
		this.pipeline.send(stored);

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(this.pipeline.row(uploadId)).isNotNull());
		Map<String, Object> row = this.pipeline.row(uploadId);
		assertThat(row).containsEntry("status", "PROCESSED")
			.containsEntry("source_bucket", UPLOADS)
			.containsEntry("source_key", key)
			.containsEntry("source_etag", eTag)
			.containsEntry("source_sequencer", "0055AA")
			.containsEntry("source_bytes", (long) jpeg.length)
			.containsEntry("source_sha256", sha256(jpeg))
			.containsEntry("detected_format", "jpeg")
			.containsEntry("original_width", 1024)
			.containsEntry("original_height", 768)
			.containsEntry("orientation", 1)
			.containsEntry("tenant", "acme");
		assertThat((String) row.get("blur_hash")).hasSize(28);
		assertThat((Integer) row.get("total_ms")).isNotNull().isGreaterThanOrEqualTo((Integer) row.get("decode_ms"));

		ResponseBytes<GetObjectResponse> thumbnail = this.s3
			.getObjectAsBytes((request) -> request.bucket(OUTPUT).key("thumbnails/" + uploadId + "/256.jpg"));
		assertThat(thumbnail.response().contentType()).isEqualTo("image/jpeg");
		assertThat(isJpeg(thumbnail.asByteArray())).isTrue();
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.asByteArray()));
		assertThat(Math.max(image.getWidth(), image.getHeight())).isEqualTo(256);
		byte[] large = this.s3
			.getObjectAsBytes((request) -> request.bucket(OUTPUT).key("thumbnails/" + uploadId + "/1024.jpg"))
			.asByteArray();
		assertThat(this.pipeline.renditions(uploadId)).containsExactly(
				Map.of("name", "256", "bucket", OUTPUT, "object_key", "thumbnails/" + uploadId + "/256.jpg", "width",
						256, "height", 192, "bytes", (long) thumbnail.asByteArray().length, "content_type",
						"image/jpeg"),
				Map.of("name", "1024", "bucket", OUTPUT, "object_key", "thumbnails/" + uploadId + "/1024.jpg",
						"width", 1024, "height", 768, "bytes", (long) large.length, "content_type", "image/jpeg"));

		ImageProcessedEvent processed = this.pipeline.awaitImageEvent(uploadId);
		assertThat(processed.sourceBucket()).isEqualTo(UPLOADS);
		assertThat(processed.sourceKey()).isEqualTo(key);
		assertThat(processed.crmContactId()).isEqualTo("901");
		assertThat(processed.customerEmail()).isEqualTo("ana@example.com");
		assertThat(processed.customerPhone()).isEqualTo("+5511999990000");
		assertThat(processed.tenant()).isEqualTo("acme");
		// How late the photo already is, for crm-sync's batching: the S3 event's time.
		assertThat(processed.uploadedAt()).isEqualTo(stored.eventTime());
		assertThat(processed.renditions()).containsExactly(
				new ImageProcessedEvent.Rendition("256", OUTPUT, "thumbnails/" + uploadId + "/256.jpg", 256, 192,
						thumbnail.asByteArray().length, "image/jpeg"),
				new ImageProcessedEvent.Rendition("1024", OUTPUT, "thumbnails/" + uploadId + "/1024.jpg", 1024, 768,
						large.length, "image/jpeg"));

		UploadStatusEvent started = this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.STARTED);
		assertThat(started.service()).isEqualTo("image-processing");
		assertThat(started.status()).isEqualTo(UploadStatus.PROCESSING);
		UploadStatusEvent thumbnailStep = this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.SUCCEEDED);
		assertThat(thumbnailStep.status()).isNull();
	}

	@Test
	void redeliveredEventCreatesNoSecondRowAndNoSecondImageProcessedEvent() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/twice.jpg";
		byte[] jpeg = aJpeg(640, 480);
		String eTag = this.pipeline.put(key, jpeg, uploadMetadata(uploadId));
		S3ObjectEvent event = created(key, jpeg.length, eTag, "0100");

		this.pipeline.send(event);
		this.pipeline.send(event);
		this.pipeline.awaitImagesQueueDrained();
		this.pipeline.send(event);
		this.pipeline.awaitImagesQueueDrained();

		assertThat(this.jdbc.queryForObject("select count(*) from images where upload_id = ?", Long.class, uploadId))
			.isEqualTo(1);
		assertThat(this.pipeline.renditions(uploadId)).extracting((r) -> r.get("name")).containsExactly("256", "1024");
		this.pipeline.collect();
		assertThat(this.pipeline.imageEvents()).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(1);
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(UploadStatusEvent::step)
			.containsExactlyInAnyOrder("thumbnail", "thumbnail");
		assertThat(this.pipeline.deadLetterCount()).isZero();
	}

	@Test
	void redriveOfAProcessedImageAnnouncesItAgainForTheNewRunWithoutRenderingIt() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/redriven.jpg";
		byte[] jpeg = aJpeg(640, 480);
		String eTag = this.pipeline.put(key, jpeg, uploadMetadata(uploadId));
		this.pipeline.send(created(key, jpeg.length, eTag, "0100"));
		ImageProcessedEvent first = this.pipeline.awaitImageEvent(uploadId);
		this.pipeline.awaitImagesQueueDrained();
		long rendered = renders();

		// As ingest sends it for POST /api/uploads/{id}/retry (CRM sync needed review, say): run 2, no sequencer;
		// twice, as at-least-once delivery may.
		S3ObjectEvent redrive = created(key, jpeg.length, eTag, null);
		this.pipeline.sendRedrive(redrive, 2);
		this.pipeline.sendRedrive(redrive, 2);
		this.pipeline.awaitImagesQueueDrained();

		this.pipeline.collect();
		assertThat(this.pipeline.imageEvents()).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(ImageProcessedEvent::run)
			.containsExactly(1, 2);
		ImageProcessedEvent again = this.pipeline.imageEvents().stream()
			.filter((e) -> e.uploadId().equals(uploadId) && e.run() == 2)
			.findFirst()
			.orElseThrow();
		assertThat(again.renditions()).isEqualTo(first.renditions());
		// When the renditions were made.
		assertThat(again.occurredAt()).isEqualTo(first.occurredAt());
		assertThat(again.crmContactId()).isEqualTo("901");
		assertThat(renders()).as("renders").isEqualTo(rendered);
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(uploadId)
				&& e.outcome() == StepOutcome.SUCCEEDED)
			.extracting(UploadStatusEvent::reason)
			.last()
			.asString()
			.startsWith("run 2: renditions of ")
			.endsWith("kept, not rendered again");
		assertThat(this.pipeline.row(uploadId)).containsEntry("run", 2).containsEntry("status", "PROCESSED");
		assertThat(this.meters.counter("esteira.images.events", "outcome", "resumed").count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void anObjectGoneBetweenItsDescriptionAndItsReadIsMissingAndOneOverwrittenMeanwhileComesBack() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/vanishing.jpg";
		this.pipeline.put(key, aJpeg(320, 240), uploadMetadata(uploadId));
		SourceObject described = this.objects.describe(UPLOADS, key).orElseThrow();

		this.s3.deleteObject((request) -> request.bucket(UPLOADS).key(key));

		// Missing (recorded SKIPPED by the service, never retried), not an error.
		assertThat(this.objects.read(described, 1 << 20)).isEmpty();

		this.pipeline.put(key, aJpeg(320, 240), uploadMetadata(uploadId));
		SourceObject before = this.objects.describe(UPLOADS, key).orElseThrow();
		this.pipeline.put(key, aJpeg(640, 480), uploadMetadata(uploadId));

		// Overwritten in between: the read is conditional on the ETag described, so the old description is not
		// paired with the new bytes; S3 refuses (412) and the message comes back to describe the object again.
		assertThatExceptionOfType(S3Exception.class).isThrownBy(() -> this.objects.read(before, 1 << 20))
			.satisfies((refused) -> assertThat(refused.statusCode()).isEqualTo(412));
	}

	@Test
	void overwrittenObjectIsProcessedAgainAndStaleEventsAreDropped() throws Exception {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/avatar.jpg";
		byte[] first = aJpeg(1024, 768);
		String firstETag = this.pipeline.put(key, first, uploadMetadata(uploadId));
		S3ObjectEvent firstEvent = created(key, first.length, firstETag, "00A0");
		this.pipeline.send(firstEvent);
		this.pipeline.awaitImageEvent(uploadId);

		byte[] second = aJpeg(300, 900);
		String secondETag = this.pipeline.put(key, second, uploadMetadata(uploadId));
		double staleBefore = outcomeCount("stale");
		this.pipeline.send(created(key, first.length, firstETag, "0090"));
		await().atMost(Duration.ofSeconds(15)).until(() -> outcomeCount("stale") > staleBefore);
		assertThat(this.pipeline.row(uploadId)).containsEntry("source_etag", firstETag);

		this.pipeline.send(created(key, second.length, secondETag, "00B0"));
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.pipeline.row(uploadId)).containsEntry("source_etag", secondETag));
		this.pipeline.send(firstEvent);
		this.pipeline.awaitImagesQueueDrained();

		assertThat(this.pipeline.row(uploadId)).containsEntry("source_etag", secondETag)
			.containsEntry("source_sequencer", "00B0")
			.containsEntry("original_width", 300);
		assertThat(this.pipeline.renditions(uploadId)).extracting((r) -> r.get("height")).containsExactly(256, 900);
		BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(this.s3
			.getObjectAsBytes((request) -> request.bucket(OUTPUT).key("thumbnails/" + uploadId + "/256.jpg"))
			.asByteArray()));
		assertThat(thumbnail.getHeight()).isEqualTo(256);
		assertThat(thumbnail.getWidth()).isLessThan(100);
		this.pipeline.collect();
		assertThat(this.pipeline.imageEvents()).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting((e) -> e.renditions().getFirst().height())
			.containsExactly(192, 256);
	}

	@Test
	void objectOverwrittenByANonImageLosesItsThumbnail() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/avatar.jpg";
		byte[] jpeg = aJpeg(500, 500);
		this.pipeline.send(created(key, jpeg.length, this.pipeline.put(key, jpeg, uploadMetadata(uploadId)), "0A"));
		this.pipeline.awaitImageEvent(uploadId);
		assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isTrue();
		assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/1024.jpg")).isTrue();

		byte[] pdf = aPdf();
		this.pipeline.send(created(key, pdf.length, this.pipeline.put(key, pdf, uploadMetadata(uploadId)), "0B"));

		this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.REJECTED);
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", "REJECTED").containsEntry("detected_format", "pdf");
		assertThat(this.pipeline.renditions(uploadId)).isEmpty();
		assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
		assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/1024.jpg")).isFalse();
	}

	@Test
	void pngWithTransparencyBecomesJpegOnWhite() throws Exception {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/logo.png";
		byte[] png = aPngWithAlpha();
		String eTag = this.pipeline.put(key, png, uploadMetadata(uploadId));

		this.pipeline.send(created(key, png.length, eTag, "01"));

		ImageProcessedEvent processed = this.pipeline.awaitImageEvent(uploadId);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::width).containsExactly(256, 400);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::height).containsExactly(192, 300);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::contentType)
			.containsOnly("image/jpeg");
		assertThat(this.pipeline.row(uploadId)).containsEntry("detected_format", "png");
		// The default alpha-output (JPEG_ON_WHITE): transparent areas white, never black; the red rectangle red.
		ResponseBytes<GetObjectResponse> small = this.s3
			.getObjectAsBytes((request) -> request.bucket(OUTPUT).key("thumbnails/" + uploadId + "/256.jpg"));
		assertThat(small.response().contentType()).isEqualTo("image/jpeg");
		BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(small.asByteArray()));
		assertThat(jpeg.getColorModel().hasAlpha()).isFalse();
		for (int[] corner : new int[][] { { 5, 5 }, { 250, 185 } }) {
			Color colour = new Color(jpeg.getRGB(corner[0], corner[1]));
			assertThat(Math.min(colour.getRed(), Math.min(colour.getGreen(), colour.getBlue())))
				.as("darkest channel at %d,%d", corner[0], corner[1])
				.isGreaterThan(245);
		}
		Color centre = new Color(jpeg.getRGB(128, 96));
		assertThat(centre.getRed()).isGreaterThan(240);
		assertThat(centre.getGreen()).isLessThan(20);
	}

	@Test
	void objectWithoutUploadIdIsProcessedUnderTheIdDerivedFromItsLocation() {
		String key = "images/dropped-in/" + UUID.randomUUID() + ".jpg";
		UUID derived = UUID.nameUUIDFromBytes((UPLOADS + "/" + key).getBytes(StandardCharsets.UTF_8));
		byte[] jpeg = aJpeg(400, 400);
		String eTag = this.pipeline.put(key, jpeg, Map.of());

		this.pipeline.send(created(key, jpeg.length, eTag, "01"));

		ImageProcessedEvent processed = this.pipeline.awaitImageEvent(derived);
		assertThat(processed.crmContactId()).isNull();
		assertThat(processed.tenant()).isEqualTo(Tenants.DEFAULT);
		assertThat(processed.renditions().getFirst().key()).isEqualTo("thumbnails/" + derived + "/256.jpg");
		assertThat(this.pipeline.row(derived)).containsEntry("status", "PROCESSED")
			.containsEntry("tenant", Tenants.DEFAULT);
		// Each step names the object, so that ingest can register the upload it has never seen.
		this.pipeline.awaitStatus(derived, "thumbnail", StepOutcome.SUCCEEDED);
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(derived))
			.extracting(UploadStatusEvent::step, UploadStatusEvent::bucket, UploadStatusEvent::key)
			.containsExactlyInAnyOrder(tuple("thumbnail", UPLOADS, key), tuple("thumbnail", UPLOADS, key));
	}

	@Test
	void pdfIsRejectedAsUnsupportedFormatWithoutRetry() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/contract.pdf";
		byte[] pdf = aPdf();
		String eTag = this.pipeline.put(key, pdf, uploadMetadata(uploadId));

		this.pipeline.send(created(key, pdf.length, eTag, "01"));

		UploadStatusEvent rejected = this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.REJECTED);
		assertThat(rejected.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(rejected.reason()).isEqualTo("unsupported_format");
		assertThat(rejected.bucket()).isEqualTo(UPLOADS);
		assertThat(rejected.key()).isEqualTo(key);
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", "REJECTED")
			.containsEntry("reason", "unsupported_format")
			.containsEntry("source_sha256", sha256(pdf))
			.containsEntry("detected_format", "pdf");
		assertThat(this.pipeline.renditions(uploadId)).isEmpty();
		this.pipeline.awaitImagesQueueDrained();
		assertThat(this.pipeline.deadLetterCount()).isZero();
		assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
		assertThat(this.pipeline.imageEvents()).noneMatch((e) -> e.uploadId().equals(uploadId));
	}

	@Test
	void malformedMessageEndsInTheDeadLetterQueueAndLaterEventsStillFlow() {
		this.pipeline.sendRaw("not json");

		String deadLetter = await().atMost(Duration.ofSeconds(25))
			.until(this.pipeline::deadLetterBodies, (bodies) -> !bodies.isEmpty())
			.getFirst();
		assertThat(deadLetter).isEqualTo("not json");

		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/after.jpg";
		byte[] jpeg = aJpeg(300, 200);
		String eTag = this.pipeline.put(key, jpeg, uploadMetadata(uploadId));
		this.pipeline.send(created(key, jpeg.length, eTag, "01"));
		this.pipeline.awaitImageEvent(uploadId);
	}

	@Test
	void eventNamingTheOutputBucketIsDropped() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/loop.jpg";
		byte[] jpeg = aJpeg(300, 200);
		String eTag = this.pipeline.putInto(OUTPUT, key, jpeg, uploadMetadata(uploadId));
		double before = outcomeCount("foreign_bucket");

		this.pipeline.sendRaw(S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", Instant.now(), OUTPUT, key, jpeg.length, eTag,
				null, "01"), "us-east-1"));

		await().atMost(Duration.ofSeconds(15)).until(() -> outcomeCount("foreign_bucket") > before);
		this.pipeline.awaitImagesQueueDrained();
		assertThat(this.pipeline.row(uploadId)).isNull();
		assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
		this.pipeline.collect();
		assertThat(this.pipeline.statusEvents()).noneMatch((e) -> e.uploadId().equals(uploadId));
		assertThat(this.pipeline.deadLetterCount()).isZero();
	}

	@Test
	void eventForAMissingForeignObjectIsRecordedUnderItsNameBasedIdAndDroppedWithoutRetry() {
		String key = "images/dropped-in/" + UUID.randomUUID() + "/never-there.jpg";
		UUID derived = UUID.nameUUIDFromBytes((UPLOADS + "/" + key).getBytes(StandardCharsets.UTF_8));
		S3ObjectEvent event = created(key, 1234, "0123456789abcdef", "01");
		double before = outcomeCount("missing");

		this.pipeline.send(event);

		UploadStatusEvent skipped = this.pipeline.awaitStatus(derived, ImageProcessingService.STEP_SOURCE, StepOutcome.SKIPPED);
		assertThat(skipped.status()).isNull();
		assertThat(skipped.reason()).startsWith("object_missing");
		// Nothing for ingest to register: the object is gone.
		assertThat(skipped.bucket()).isNull();
		assertThat(skipped.key()).isNull();
		assertThat(this.pipeline.row(derived)).containsEntry("status", "SKIPPED")
			.containsEntry("reason", "object_missing")
			.containsEntry("source_bucket", UPLOADS)
			.containsEntry("source_key", key)
			.containsEntry("source_etag", "0123456789abcdef")
			.containsEntry("source_sequencer", "01")
			.containsEntry("source_bytes", 1234L)
			.containsEntry("source_sha256", null);
		assertThat(this.pipeline.renditions(derived)).isEmpty();

		// Again: nothing new is recorded; acknowledged, not thrown (a thrown message would be in flight or the DLQ).
		this.pipeline.send(event);
		await().atMost(Duration.ofSeconds(15)).until(() -> outcomeCount("missing") >= before + 2);
		this.pipeline.awaitImagesQueueDrained();
		assertThat(this.pipeline.deadLetterCount()).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from images where upload_id = ?", Long.class, derived))
			.isEqualTo(1);
		this.pipeline.collect();
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(derived)).hasSize(1);

		// The key written later (a newer event) is processed as usual over the skipped record.
		byte[] jpeg = aJpeg(400, 300);
		this.pipeline.send(created(key, jpeg.length, this.pipeline.put(key, jpeg, Map.of()), "02"));
		this.pipeline.awaitImageEvent(derived);
		assertThat(this.pipeline.row(derived)).containsEntry("status", "PROCESSED").containsEntry("reason", null);
	}

	@Test
	void missingObjectNamedAfterItsUploadIsRecordedOnThatUploadsTimeline() {
		UUID uploadId = UUID.randomUUID();

		this.pipeline.send(created("images/2026/11/22/" + uploadId + ".jpg", 1234, "0123456789abcdef", "01"));

		UploadStatusEvent skipped = this.pipeline.awaitStatus(uploadId, ImageProcessingService.STEP_SOURCE, StepOutcome.SKIPPED);
		assertThat(skipped.status()).isNull();
		assertThat(skipped.reason()).startsWith("object_missing");
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", "SKIPPED").containsEntry("reason", "object_missing");
		this.pipeline.awaitImagesQueueDrained();
		assertThat(this.pipeline.deadLetterCount()).isZero();
	}

	@Test
	void outputBucketOutageIsRetriedWithBackoffThenFailedAndDeadLetteredAndARedriveAfterTheFixCompletesIt() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/outage.jpg";
		byte[] jpeg = aJpeg(640, 480);
		String eTag = this.pipeline.put(key, jpeg, uploadMetadata(uploadId));
		double retriesBefore = this.meters.counter("esteira.images.retries", "reason", "storage_unavailable").count();
		Instant sent;
		UploadStatusEvent failed;
		removeOutputBucket();
		try {
			sent = Instant.now();
			this.pipeline.send(created(key, jpeg.length, eTag, S3_SEQUENCER));
			failed = this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.FAILED, Duration.ofSeconds(40));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.pipeline.deadLetterCount() == 1);
		}
		finally {
			this.s3.createBucket((request) -> request.bucket(OUTPUT));
		}

		assertThat(failed.status()).isEqualTo(UploadStatus.FAILED);
		assertThat(failed.attempt()).isEqualTo(3);
		assertThat(failed.reason()).startsWith("storage_unavailable: ");
		// Retried by visibility change: 1 s after the first attempt, 2 s after the second (no jitter).
		assertThat(this.meters.counter("esteira.images.retries", "reason", "storage_unavailable").count())
			.isEqualTo(retriesBefore + 2);
		assertThat(Duration.between(sent, failed.occurredAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", "FAILED")
			.containsEntry("reason", "storage_unavailable")
			.containsEntry("source_etag", eTag)
			.containsEntry("source_sequencer", S3_SEQUENCER);
		assertThat(this.pipeline.renditions(uploadId)).isEmpty();
		assertThat(this.pipeline.imageEvents()).noneMatch((e) -> e.uploadId().equals(uploadId));
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(UploadStatusEvent::step)
			.containsExactly("thumbnail");
		Object rowId = this.pipeline.row(uploadId).get("id");
		Object createdAt = this.pipeline.row(uploadId).get("created_at");

		// The bucket is back; ingest's redrive sends a new ObjectCreated event for the same object, its sequencer
		// made from the time (which sorts before S3's own here).
		S3ObjectEvent redrive = redriveOf(key, jpeg.length, eTag, Instant.now());
		assertThat(S3ObjectEvent.compareSequencers(redrive.sequencer(), S3_SEQUENCER)).isNegative();
		this.pipeline.send(redrive);

		ImageProcessedEvent processed = this.pipeline.awaitImageEvent(uploadId);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::key)
			.containsExactly("thumbnails/" + uploadId + "/256.jpg", "thumbnails/" + uploadId + "/1024.jpg");
		assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isTrue();
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", "PROCESSED")
			.containsEntry("reason", null)
			.containsEntry("id", rowId)
			.containsEntry("created_at", createdAt)
			.containsEntry("source_sequencer", S3_SEQUENCER);
		this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.SUCCEEDED);
		// The timeline keeps both runs: the failure on the third attempt, then the redrive's first attempt.
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(UploadStatusEvent::step, UploadStatusEvent::outcome, UploadStatusEvent::attempt)
			.containsExactlyInAnyOrder(tuple("thumbnail", StepOutcome.FAILED, 3),
					tuple("thumbnail", StepOutcome.STARTED, 1),
					tuple("thumbnail", StepOutcome.SUCCEEDED, 1));

		// Now COMPLETED on this object: the redrive again, or the original event again, changes nothing.
		this.pipeline.send(redrive);
		this.pipeline.send(created(key, jpeg.length, eTag, S3_SEQUENCER));
		this.pipeline.awaitImagesQueueDrained();
		this.pipeline.collect();
		assertThat(this.pipeline.imageEvents()).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(1);
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(3);
		assertThat(this.pipeline.deadLetterCount()).isEqualTo(1);
	}

	/** What ingest's {@code RedriveSender} sends: {@code ObjectCreated:Put}, sequencer = epoch nanoseconds in hex. */
	private static S3ObjectEvent redriveOf(String key, long size, String eTag, Instant at) {
		String sequencer = BigInteger.valueOf(at.getEpochSecond())
			.multiply(BigInteger.valueOf(1_000_000_000L))
			.add(BigInteger.valueOf(at.getNano()))
			.toString(16)
			.toUpperCase(Locale.ROOT);
		return new S3ObjectEvent("ObjectCreated:Put", at, UPLOADS, key, size, eTag, null, sequencer);
	}

	/** Empties and deletes the output bucket: writing renditions fails with S3's NoSuchBucket until it is back. */
	private void removeOutputBucket() {
		this.s3.listObjectsV2Paginator((request) -> request.bucket(OUTPUT))
			.contents()
			.forEach((object) -> this.s3.deleteObject((request) -> request.bucket(OUTPUT).key(object.key())));
		this.s3.deleteBucket((request) -> request.bucket(OUTPUT));
	}

	/** How many images were rendered so far (timer {@code esteira.images.render}). */
	private long renders() {
		return this.meters.find("esteira.images.render").timers().stream().mapToLong(Timer::count).sum();
	}

	private double outcomeCount(String outcome) {
		return this.meters.counter("esteira.images.events", "outcome", outcome).count();
	}

	private static boolean isJpeg(byte[] content) {
		return content.length > 3 && (content[0] & 0xFF) == 0xFF && (content[1] & 0xFF) == 0xD8
				&& (content[2] & 0xFF) == 0xFF;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
