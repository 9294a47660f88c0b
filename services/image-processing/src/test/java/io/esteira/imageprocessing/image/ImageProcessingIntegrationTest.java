package io.esteira.imageprocessing.image;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.EsteiraTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static io.esteira.imageprocessing.ImageFixtures.aPdf;
import static io.esteira.imageprocessing.ImageFixtures.aPngWithAlpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The service against real PostgreSQL, ElasticMQ and S3Proxy: S3 events are sent to the images queue by hand, the way
 * S3 sends them, and the outcome is read from the output bucket, the {@code images} table and the event queues.
 */
// The JVM stops the embedded PostgreSQL and this context concurrently; a short connection timeout keeps the context's
// shutdown (Spring Modulith looks for incomplete publications) from waiting 30 s for a database that is gone.
// The thumbnail step's retry policy: as many attempts as the test kit's queues deliver (maxReceiveCount 3), 1 s then
// 2 s between them, no jitter.
@EsteiraTest(properties = { "spring.datasource.hikari.connection-timeout=5000",
		"esteira.retry.steps.thumbnail.max-attempts=3", "esteira.retry.steps.thumbnail.initial-interval=1s",
		"esteira.retry.steps.thumbnail.backoff-rate=2", "esteira.retry.steps.thumbnail.jitter=NONE" })
class ImageProcessingIntegrationTest {

	private static final String UPLOADS = "esteira-uploads";

	private static final String OUTPUT = "esteira-output";

	private static final String IMAGES_QUEUE = "esteira-images";

	/** A sequencer as S3 writes them (18 hex digits, from the AWS documentation's example event). */
	private static final String S3_SEQUENCER = "0055AED6DCD90281E5";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final S3Client s3 = this.infra.s3Client();

	private final SqsClient sqs = this.infra.sqsClient();

	private final List<UploadStatusEvent> statusEvents = new ArrayList<>();

	private final List<ImageProcessedEvent> imageEvents = new ArrayList<>();

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ImageObjects objects;

	@BeforeEach
	void cleanSlate() {
		this.infra.purgeQueues();
		this.jdbc.update("delete from images");
	}

	@AfterEach
	void leaveNothingInFlight() {
		// Acknowledgements are batched: purging the queue under a pending one makes it fail noisily.
		awaitImagesQueueDrained();
	}

	@Test
	void uploadedJpegBecomes256And1024RenditionsInTheOutputBucketAndIsAnnounced() throws Exception {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/my photo ä+1.jpg";
		byte[] jpeg = aJpeg(1024, 768);
		String eTag = put(key, jpeg, uploadMetadata(uploadId));

		S3ObjectEvent stored = created(key, jpeg.length, eTag, "0055AA");
		send(stored);

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(row(uploadId)).isNotNull());
		Map<String, Object> row = row(uploadId);
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
			.containsEntry("orientation", 1);
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
		assertThat(renditions(uploadId)).containsExactly(
				Map.of("name", "256", "bucket", OUTPUT, "object_key", "thumbnails/" + uploadId + "/256.jpg", "width",
						256, "height", 192, "bytes", (long) thumbnail.asByteArray().length, "content_type",
						"image/jpeg"),
				Map.of("name", "1024", "bucket", OUTPUT, "object_key", "thumbnails/" + uploadId + "/1024.jpg",
						"width", 1024, "height", 768, "bytes", (long) large.length, "content_type", "image/jpeg"));

		ImageProcessedEvent processed = awaitImageEvent(uploadId);
		assertThat(processed.sourceBucket()).isEqualTo(UPLOADS);
		assertThat(processed.sourceKey()).isEqualTo(key);
		assertThat(processed.crmContactId()).isEqualTo("901");
		assertThat(processed.customerEmail()).isEqualTo("ana@example.com");
		assertThat(processed.customerPhone()).isEqualTo("+5511999990000");
		// How late the photo already is, for crm-sync's batching: the S3 event's time.
		assertThat(processed.uploadedAt()).isEqualTo(stored.eventTime());
		assertThat(processed.renditions()).containsExactly(
				new ImageProcessedEvent.Rendition("256", OUTPUT, "thumbnails/" + uploadId + "/256.jpg", 256, 192,
						thumbnail.asByteArray().length, "image/jpeg"),
				new ImageProcessedEvent.Rendition("1024", OUTPUT, "thumbnails/" + uploadId + "/1024.jpg", 1024, 768,
						large.length, "image/jpeg"));

		UploadStatusEvent started = awaitStatus(uploadId, "thumbnail", StepOutcome.STARTED);
		assertThat(started.service()).isEqualTo("image-processing");
		assertThat(started.status()).isEqualTo(UploadStatus.PROCESSING);
		UploadStatusEvent thumbnailStep = awaitStatus(uploadId, "thumbnail", StepOutcome.SUCCEEDED);
		assertThat(thumbnailStep.status()).isNull();
	}

	@Test
	void redeliveredEventCreatesNoSecondRowAndNoSecondImageProcessedEvent() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/twice.jpg";
		byte[] jpeg = aJpeg(640, 480);
		String eTag = put(key, jpeg, uploadMetadata(uploadId));
		S3ObjectEvent event = created(key, jpeg.length, eTag, "0100");

		send(event);
		send(event);
		awaitImagesQueueDrained();
		send(event);
		awaitImagesQueueDrained();

		assertThat(this.jdbc.queryForObject("select count(*) from images where upload_id = ?", Long.class, uploadId))
			.isEqualTo(1);
		assertThat(renditions(uploadId)).extracting((r) -> r.get("name")).containsExactly("256", "1024");
		collect();
		assertThat(this.imageEvents).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(1);
		assertThat(this.statusEvents).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(UploadStatusEvent::step)
			.containsExactlyInAnyOrder("thumbnail", "thumbnail");
		assertThat(deadLetterCount()).isZero();
	}

	@Test
	void redriveOfAProcessedImageAnnouncesItAgainForTheNewRunWithoutRenderingIt() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/redriven.jpg";
		byte[] jpeg = aJpeg(640, 480);
		String eTag = put(key, jpeg, uploadMetadata(uploadId));
		send(created(key, jpeg.length, eTag, "0100"));
		ImageProcessedEvent first = awaitImageEvent(uploadId);
		awaitImagesQueueDrained();
		long rendered = renders();

		// As ingest sends it for POST /api/uploads/{id}/retry (CRM sync needed review, say): run 2, no sequencer;
		// twice, as at-least-once delivery may.
		S3ObjectEvent redrive = created(key, jpeg.length, eTag, null);
		sendRedrive(redrive, 2);
		sendRedrive(redrive, 2);
		awaitImagesQueueDrained();

		collect();
		assertThat(this.imageEvents).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(ImageProcessedEvent::run)
			.containsExactly(1, 2);
		ImageProcessedEvent again = this.imageEvents.stream()
			.filter((e) -> e.uploadId().equals(uploadId) && e.run() == 2)
			.findFirst()
			.orElseThrow();
		assertThat(again.renditions()).isEqualTo(first.renditions());
		// When the renditions were made.
		assertThat(again.occurredAt()).isEqualTo(first.occurredAt());
		assertThat(again.crmContactId()).isEqualTo("901");
		assertThat(renders()).as("renders").isEqualTo(rendered);
		assertThat(this.statusEvents).filteredOn((e) -> e.uploadId().equals(uploadId)
				&& e.outcome() == StepOutcome.SUCCEEDED)
			.extracting(UploadStatusEvent::reason)
			.last()
			.asString()
			.startsWith("run 2: renditions of ")
			.endsWith("kept, not rendered again");
		assertThat(row(uploadId)).containsEntry("run", 2).containsEntry("status", "PROCESSED");
		assertThat(this.meters.counter("esteira.images.events", "outcome", "resumed").count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void anObjectGoneBetweenItsDescriptionAndItsReadIsMissingAndOneOverwrittenMeanwhileComesBack() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/vanishing.jpg";
		put(key, aJpeg(320, 240), uploadMetadata(uploadId));
		SourceObject described = this.objects.describe(UPLOADS, key).orElseThrow();

		this.s3.deleteObject((request) -> request.bucket(UPLOADS).key(key));

		// Missing (recorded SKIPPED by the service, never retried), not an error.
		assertThat(this.objects.read(described)).isEmpty();

		put(key, aJpeg(320, 240), uploadMetadata(uploadId));
		SourceObject before = this.objects.describe(UPLOADS, key).orElseThrow();
		put(key, aJpeg(640, 480), uploadMetadata(uploadId));

		// Overwritten in between: the read is conditional on the ETag described, so the old description is not
		// paired with the new bytes; S3 refuses (412) and the message comes back to describe the object again.
		assertThatExceptionOfType(S3Exception.class).isThrownBy(() -> this.objects.read(before))
			.satisfies((refused) -> assertThat(refused.statusCode()).isEqualTo(412));
	}

	@Test
	void overwrittenObjectIsProcessedAgainAndStaleEventsAreDropped() throws Exception {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/avatar.jpg";
		byte[] first = aJpeg(1024, 768);
		String firstETag = put(key, first, uploadMetadata(uploadId));
		S3ObjectEvent firstEvent = created(key, first.length, firstETag, "00A0");
		send(firstEvent);
		awaitImageEvent(uploadId);

		byte[] second = aJpeg(300, 900);
		String secondETag = put(key, second, uploadMetadata(uploadId));
		double staleBefore = outcomeCount("stale");
		send(created(key, first.length, firstETag, "0090"));
		await().atMost(Duration.ofSeconds(15)).until(() -> outcomeCount("stale") > staleBefore);
		assertThat(row(uploadId)).containsEntry("source_etag", firstETag);

		send(created(key, second.length, secondETag, "00B0"));
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(row(uploadId)).containsEntry("source_etag", secondETag));
		send(firstEvent);
		awaitImagesQueueDrained();

		assertThat(row(uploadId)).containsEntry("source_etag", secondETag)
			.containsEntry("source_sequencer", "00B0")
			.containsEntry("original_width", 300);
		assertThat(renditions(uploadId)).extracting((r) -> r.get("height")).containsExactly(256, 900);
		BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(this.s3
			.getObjectAsBytes((request) -> request.bucket(OUTPUT).key("thumbnails/" + uploadId + "/256.jpg"))
			.asByteArray()));
		assertThat(thumbnail.getHeight()).isEqualTo(256);
		assertThat(thumbnail.getWidth()).isLessThan(100);
		collect();
		assertThat(this.imageEvents).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting((e) -> e.renditions().getFirst().height())
			.containsExactly(192, 256);
	}

	@Test
	void objectOverwrittenByANonImageLosesItsThumbnail() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/avatar.jpg";
		byte[] jpeg = aJpeg(500, 500);
		send(created(key, jpeg.length, put(key, jpeg, uploadMetadata(uploadId)), "0A"));
		awaitImageEvent(uploadId);
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isTrue();
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/1024.jpg")).isTrue();

		byte[] pdf = aPdf();
		send(created(key, pdf.length, put(key, pdf, uploadMetadata(uploadId)), "0B"));

		awaitStatus(uploadId, "thumbnail", StepOutcome.REJECTED);
		assertThat(row(uploadId)).containsEntry("status", "REJECTED").containsEntry("detected_format", "pdf");
		assertThat(renditions(uploadId)).isEmpty();
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/1024.jpg")).isFalse();
	}

	@Test
	void pngWithTransparencyBecomesJpegOnWhite() throws Exception {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/logo.png";
		byte[] png = aPngWithAlpha();
		String eTag = put(key, png, uploadMetadata(uploadId));

		send(created(key, png.length, eTag, "01"));

		ImageProcessedEvent processed = awaitImageEvent(uploadId);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::width).containsExactly(256, 400);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::height).containsExactly(192, 300);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::contentType)
			.containsOnly("image/jpeg");
		assertThat(row(uploadId)).containsEntry("detected_format", "png");
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
		String eTag = put(key, jpeg, Map.of());

		send(created(key, jpeg.length, eTag, "01"));

		ImageProcessedEvent processed = awaitImageEvent(derived);
		assertThat(processed.crmContactId()).isNull();
		assertThat(processed.renditions().getFirst().key()).isEqualTo("thumbnails/" + derived + "/256.jpg");
		assertThat(row(derived)).containsEntry("status", "PROCESSED");
		// Each step names the object, so that ingest can register the upload it has never seen.
		awaitStatus(derived, "thumbnail", StepOutcome.SUCCEEDED);
		assertThat(this.statusEvents).filteredOn((e) -> e.uploadId().equals(derived))
			.extracting(UploadStatusEvent::step, UploadStatusEvent::bucket, UploadStatusEvent::key)
			.containsExactlyInAnyOrder(tuple("thumbnail", UPLOADS, key), tuple("thumbnail", UPLOADS, key));
	}

	@Test
	void s3TestEventIsAcknowledgedAndIgnored() {
		sendRaw("""
				{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-22T10:00:00.000Z",\
				"Bucket":"esteira-uploads","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}""");

		awaitImagesQueueDrained();

		assertThat(deadLetterCount()).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from images", Long.class)).isZero();
	}

	@Test
	void removedObjectEventIsAcknowledgedAndIgnored() {
		sendRaw(S3Events.encode(new S3ObjectEvent("ObjectRemoved:Delete", Instant.now(), UPLOADS,
				"images/2026/gone.jpg", 0, null, null, "0A"), "us-east-1"));

		awaitImagesQueueDrained();

		assertThat(deadLetterCount()).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from images", Long.class)).isZero();
	}

	@Test
	void pdfIsRejectedAsUnsupportedFormatWithoutRetry() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/contract.pdf";
		byte[] pdf = aPdf();
		String eTag = put(key, pdf, uploadMetadata(uploadId));

		send(created(key, pdf.length, eTag, "01"));

		UploadStatusEvent rejected = awaitStatus(uploadId, "thumbnail", StepOutcome.REJECTED);
		assertThat(rejected.status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(rejected.reason()).isEqualTo("unsupported_format");
		assertThat(rejected.bucket()).isEqualTo(UPLOADS);
		assertThat(rejected.key()).isEqualTo(key);
		assertThat(row(uploadId)).containsEntry("status", "REJECTED")
			.containsEntry("reason", "unsupported_format")
			.containsEntry("source_sha256", sha256(pdf))
			.containsEntry("detected_format", "pdf");
		assertThat(renditions(uploadId)).isEmpty();
		awaitImagesQueueDrained();
		assertThat(deadLetterCount()).isZero();
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
		assertThat(this.imageEvents).noneMatch((e) -> e.uploadId().equals(uploadId));
	}

	@Test
	void objectLargerThanTheLimitIsRejectedBeforeDownload() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/huge.jpg";
		String eTag = put(key, aJpeg(64, 64), uploadMetadata(uploadId));

		send(created(key, 60L * 1024 * 1024, eTag, "01"));

		UploadStatusEvent rejected = awaitStatus(uploadId, "thumbnail", StepOutcome.REJECTED);
		assertThat(rejected.reason()).isEqualTo("too_large");
		assertThat(row(uploadId)).containsEntry("status", "REJECTED").containsEntry("source_sha256", null);
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
	}

	@Test
	void malformedMessageEndsInTheDeadLetterQueueAndLaterEventsStillFlow() {
		sendRaw("not json");

		String deadLetter = await().atMost(Duration.ofSeconds(25))
			.until(() -> this.sqs
				.receiveMessage((request) -> request.queueUrl(this.infra.deadLetterQueueUrl(IMAGES_QUEUE)))
				.messages(), (messages) -> !messages.isEmpty())
			.getFirst()
			.body();
		assertThat(deadLetter).isEqualTo("not json");

		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/after.jpg";
		byte[] jpeg = aJpeg(300, 200);
		String eTag = put(key, jpeg, uploadMetadata(uploadId));
		send(created(key, jpeg.length, eTag, "01"));
		awaitImageEvent(uploadId);
	}

	@Test
	void eventNamingTheOutputBucketIsDropped() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/loop.jpg";
		byte[] jpeg = aJpeg(300, 200);
		String eTag = putInto(OUTPUT, key, jpeg, uploadMetadata(uploadId));
		double before = outcomeCount("foreign_bucket");

		sendRaw(S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", Instant.now(), OUTPUT, key, jpeg.length, eTag,
				null, "01"), "us-east-1"));

		await().atMost(Duration.ofSeconds(15)).until(() -> outcomeCount("foreign_bucket") > before);
		awaitImagesQueueDrained();
		assertThat(row(uploadId)).isNull();
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
		collect();
		assertThat(this.statusEvents).noneMatch((e) -> e.uploadId().equals(uploadId));
		assertThat(deadLetterCount()).isZero();
	}

	@Test
	void eventForAMissingForeignObjectIsRecordedUnderItsNameBasedIdAndDroppedWithoutRetry() {
		String key = "images/dropped-in/" + UUID.randomUUID() + "/never-there.jpg";
		UUID derived = UUID.nameUUIDFromBytes((UPLOADS + "/" + key).getBytes(StandardCharsets.UTF_8));
		S3ObjectEvent event = created(key, 1234, "0123456789abcdef", "01");
		double before = outcomeCount("missing");

		send(event);

		UploadStatusEvent skipped = awaitStatus(derived, ImageProcessingService.STEP_SOURCE, StepOutcome.SKIPPED);
		assertThat(skipped.status()).isNull();
		assertThat(skipped.reason()).startsWith("object_missing");
		// Nothing for ingest to register: the object is gone.
		assertThat(skipped.bucket()).isNull();
		assertThat(skipped.key()).isNull();
		assertThat(row(derived)).containsEntry("status", "SKIPPED")
			.containsEntry("reason", "object_missing")
			.containsEntry("source_bucket", UPLOADS)
			.containsEntry("source_key", key)
			.containsEntry("source_etag", "0123456789abcdef")
			.containsEntry("source_sequencer", "01")
			.containsEntry("source_bytes", 1234L)
			.containsEntry("source_sha256", null);
		assertThat(renditions(derived)).isEmpty();

		// Again: nothing new is recorded; acknowledged, not thrown (a thrown message would be in flight or the DLQ).
		send(event);
		await().atMost(Duration.ofSeconds(15)).until(() -> outcomeCount("missing") >= before + 2);
		awaitImagesQueueDrained();
		assertThat(deadLetterCount()).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from images where upload_id = ?", Long.class, derived))
			.isEqualTo(1);
		collect();
		assertThat(this.statusEvents).filteredOn((e) -> e.uploadId().equals(derived)).hasSize(1);

		// The key written later (a newer event) is processed as usual over the skipped record.
		byte[] jpeg = aJpeg(400, 300);
		send(created(key, jpeg.length, put(key, jpeg, Map.of()), "02"));
		awaitImageEvent(derived);
		assertThat(row(derived)).containsEntry("status", "PROCESSED").containsEntry("reason", null);
	}

	@Test
	void missingObjectNamedAfterItsUploadIsRecordedOnThatUploadsTimeline() {
		UUID uploadId = UUID.randomUUID();

		send(created("images/2026/11/22/" + uploadId + ".jpg", 1234, "0123456789abcdef", "01"));

		UploadStatusEvent skipped = awaitStatus(uploadId, ImageProcessingService.STEP_SOURCE, StepOutcome.SKIPPED);
		assertThat(skipped.status()).isNull();
		assertThat(skipped.reason()).startsWith("object_missing");
		assertThat(row(uploadId)).containsEntry("status", "SKIPPED").containsEntry("reason", "object_missing");
		awaitImagesQueueDrained();
		assertThat(deadLetterCount()).isZero();
	}

	@Test
	void outputBucketOutageIsRetriedWithBackoffThenFailedAndDeadLetteredAndARedriveAfterTheFixCompletesIt() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/outage.jpg";
		byte[] jpeg = aJpeg(640, 480);
		String eTag = put(key, jpeg, uploadMetadata(uploadId));
		double retriesBefore = this.meters.counter("esteira.images.retries", "reason", "storage_unavailable").count();
		Instant sent;
		UploadStatusEvent failed;
		removeOutputBucket();
		try {
			sent = Instant.now();
			send(created(key, jpeg.length, eTag, S3_SEQUENCER));
			failed = awaitStatus(uploadId, "thumbnail", StepOutcome.FAILED, Duration.ofSeconds(40));
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterCount() == 1);
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
		assertThat(row(uploadId)).containsEntry("status", "FAILED")
			.containsEntry("reason", "storage_unavailable")
			.containsEntry("source_etag", eTag)
			.containsEntry("source_sequencer", S3_SEQUENCER);
		assertThat(renditions(uploadId)).isEmpty();
		assertThat(this.imageEvents).noneMatch((e) -> e.uploadId().equals(uploadId));
		assertThat(this.statusEvents).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(UploadStatusEvent::step)
			.containsExactly("thumbnail");
		Object rowId = row(uploadId).get("id");
		Object createdAt = row(uploadId).get("created_at");

		// The bucket is back; ingest's redrive sends a new ObjectCreated event for the same object, its sequencer
		// made from the time (which sorts before S3's own here).
		S3ObjectEvent redrive = redriveOf(key, jpeg.length, eTag, Instant.now());
		assertThat(S3ObjectEvent.compareSequencers(redrive.sequencer(), S3_SEQUENCER)).isNegative();
		send(redrive);

		ImageProcessedEvent processed = awaitImageEvent(uploadId);
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::key)
			.containsExactly("thumbnails/" + uploadId + "/256.jpg", "thumbnails/" + uploadId + "/1024.jpg");
		assertThat(exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isTrue();
		assertThat(row(uploadId)).containsEntry("status", "PROCESSED")
			.containsEntry("reason", null)
			.containsEntry("id", rowId)
			.containsEntry("created_at", createdAt)
			.containsEntry("source_sequencer", S3_SEQUENCER);
		awaitStatus(uploadId, "thumbnail", StepOutcome.SUCCEEDED);
		// The timeline keeps both runs: the failure on the third attempt, then the redrive's first attempt.
		assertThat(this.statusEvents).filteredOn((e) -> e.uploadId().equals(uploadId))
			.extracting(UploadStatusEvent::step, UploadStatusEvent::outcome, UploadStatusEvent::attempt)
			.containsExactlyInAnyOrder(tuple("thumbnail", StepOutcome.FAILED, 3),
					tuple("thumbnail", StepOutcome.STARTED, 1),
					tuple("thumbnail", StepOutcome.SUCCEEDED, 1));

		// Now COMPLETED on this object: the redrive again, or the original event again, changes nothing.
		send(redrive);
		send(created(key, jpeg.length, eTag, S3_SEQUENCER));
		awaitImagesQueueDrained();
		collect();
		assertThat(this.imageEvents).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(1);
		assertThat(this.statusEvents).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(3);
		assertThat(deadLetterCount()).isEqualTo(1);
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

	private static Map<String, String> uploadMetadata(UUID uploadId) {
		return Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString(), UploadMetadata.KIND, "image",
				UploadMetadata.CRM_CONTACT_ID, "901", UploadMetadata.CUSTOMER_EMAIL, "ana@example.com",
				UploadMetadata.CUSTOMER_PHONE, "+5511999990000");
	}

	private String put(String key, byte[] content, Map<String, String> metadata) {
		return putInto(UPLOADS, key, content, metadata);
	}

	private String putInto(String bucket, String key, byte[] content, Map<String, String> metadata) {
		String eTag = this.s3
			.putObject((request) -> request.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(content))
			.eTag();
		return eTag.replace("\"", "");
	}

	private static S3ObjectEvent created(String key, long size, String eTag, String sequencer) {
		return new S3ObjectEvent("ObjectCreated:Put", Instant.now(), UPLOADS, key, size, eTag, null, sequencer);
	}

	private void send(S3ObjectEvent event) {
		sendRaw(S3Events.encode(event, "us-east-1"));
	}

	/** Sends {@code event} as ingest's redrive of run {@code run} does (with the run as a message attribute). */
	private void sendRedrive(S3ObjectEvent event, int run) {
		this.sqs.sendMessage((request) -> request.queueUrl(this.infra.queueUrl(IMAGES_QUEUE))
			.messageBody(S3Events.encode(event, "us-east-1"))
			.messageAttributes(Map.of(S3Events.REDRIVE_RUN_ATTRIBUTE,
					MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(run)).build())));
	}

	/** How many images were rendered so far (timer {@code esteira.images.render}). */
	private long renders() {
		return this.meters.find("esteira.images.render").timers().stream().mapToLong(Timer::count).sum();
	}

	private void sendRaw(String body) {
		this.sqs.sendMessage((request) -> request.queueUrl(this.infra.queueUrl(IMAGES_QUEUE)).messageBody(body));
	}

	/** Waits until every message sent to the images queue has been acknowledged (or dead-lettered). */
	private void awaitImagesQueueDrained() {
		String url = this.infra.queueUrl(IMAGES_QUEUE);
		// Generous: on a loaded 2-core machine a redelivery cycle alone takes several visibility timeouts.
		await().atMost(Duration.ofSeconds(40)).until(() -> {
			Map<QueueAttributeName, String> attributes = this.sqs
				.getQueueAttributes((request) -> request.queueUrl(url)
					.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
							QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
							QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
				.attributes();
			return attributes.values().stream().allMatch("0"::equals);
		});
	}

	private int deadLetterCount() {
		String url = this.infra.deadLetterQueueUrl(IMAGES_QUEUE);
		Map<QueueAttributeName, String> attributes = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(url)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.attributes();
		return attributes.values().stream().mapToInt(Integer::parseInt).sum();
	}

	private ImageProcessedEvent awaitImageEvent(UUID uploadId) {
		return await().atMost(Duration.ofSeconds(15)).until(() -> {
			collect();
			return this.imageEvents.stream().filter((e) -> e.uploadId().equals(uploadId)).findFirst().orElse(null);
		}, (event) -> event != null);
	}

	private UploadStatusEvent awaitStatus(UUID uploadId, String step, StepOutcome outcome) {
		return awaitStatus(uploadId, step, outcome, Duration.ofSeconds(15));
	}

	private UploadStatusEvent awaitStatus(UUID uploadId, String step, StepOutcome outcome, Duration atMost) {
		return await().atMost(atMost).until(() -> {
			collect();
			return this.statusEvents.stream()
				.filter((e) -> e.uploadId().equals(uploadId) && e.step().equals(step) && e.outcome() == outcome)
				.findFirst()
				.orElse(null);
		}, (event) -> event != null);
	}

	/** Moves what the event queues hold into {@link #statusEvents} and {@link #imageEvents}. */
	private void collect() {
		receiveAll("esteira-status").forEach((body) -> this.statusEvents.add(json.readValue(body, UploadStatusEvent.class)));
		receiveAll("esteira-image-events")
			.forEach((body) -> this.imageEvents.add(json.readValue(body, ImageProcessedEvent.class)));
	}

	private List<String> receiveAll(String queue) {
		String url = this.infra.queueUrl(queue);
		List<String> bodies = new ArrayList<>();
		List<Message> messages;
		do {
			messages = this.sqs.receiveMessage((request) -> request.queueUrl(url).maxNumberOfMessages(10)).messages();
			for (Message message : messages) {
				bodies.add(message.body());
				this.sqs.deleteMessage((request) -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
			}
		}
		while (!messages.isEmpty());
		return bodies;
	}

	private Map<String, Object> row(UUID uploadId) {
		List<Map<String, Object>> rows = this.jdbc.queryForList("select * from images where upload_id = ?", uploadId);
		if (rows.isEmpty()) {
			return null;
		}
		return rows.getFirst();
	}

	private List<Map<String, Object>> renditions(UUID uploadId) {
		return this.jdbc.queryForList("""
				select r.name, r.bucket, r.object_key, r.width, r.height, r.bytes, r.content_type
				from image_renditions r join images i on i.id = r.image_id
				where i.upload_id = ? order by r.width""", uploadId);
	}

	private boolean exists(String bucket, String key) {
		try {
			this.s3.headObject((request) -> request.bucket(bucket).key(key));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw ex;
		}
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
