package io.esteira.imageprocessing.image;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.imageprocessing.ImageFixtures;
import io.esteira.testkit.TestProbes;
import io.esteira.testkit.EsteiraInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static io.esteira.imageprocessing.image.ImagePipeline.OUTPUT;
import static io.esteira.imageprocessing.image.ImagePipeline.UPLOADS;
import static io.esteira.imageprocessing.image.ImagePipeline.created;
import static io.esteira.imageprocessing.image.ImagePipeline.uploadMetadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input on the image path, end to end (uploads bucket, images queue, database, output bucket, event queues):
 * each case asserts its outcome — the image's terminal status and reason on its row and its timeline, no renditions
 * for a rejection, the dead-letter queue for a message that is no S3 event, nothing done twice for a replay — and
 * that the service is still healthy afterwards: the queue drained (no retry loop), no transient failure counted, no
 * dead letter it did not expect, {@code /livez} and {@code /readyz} answering {@code UP}.
 */
@ImageProcessingTest
class HostileImageInputTest {

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	private ImagePipeline pipeline;

	private double retriesBefore;

	private int expectedDeadLetters;

	@BeforeEach
	void cleanSlate() {
		this.pipeline = ImagePipeline.cleared(this.infra, this.jdbc);
		this.retriesBefore = retries();
		this.expectedDeadLetters = 0;
	}

	@AfterEach
	void serviceIsStillHealthy() throws Exception {
		this.pipeline.awaitImagesQueueDrained();
		assertThat(this.pipeline.deadLetterCount()).as("dead letters").isEqualTo(this.expectedDeadLetters);
		assertHealthy();
	}

	/** No transient failure was retried, and the probes answer {@code UP}. */
	private void assertHealthy() throws Exception {
		assertThat(retries()).as("transient failures retried").isEqualTo(this.retriesBefore);
		TestProbes.assertUp(this.port);
	}

	/** An upload, under a file name, and the outcome it must get: its status, reason and detected format. */
	record HostileImage(String name, String fileName, Supplier<byte[]> content, String status, String reason,
			String format) {

		static HostileImage rejected(String name, String fileName, Supplier<byte[]> content, String reason,
				String format) {
			return new HostileImage(name, fileName, content, "REJECTED", reason, format);
		}

		static HostileImage processed(String name, String fileName, Supplier<byte[]> content, String format) {
			return new HostileImage(name, fileName, content, "PROCESSED", null, format);
		}

		@Override
		public String toString() {
			return this.name + " -> " + this.status + ((this.reason != null) ? " " + this.reason : "");
		}

	}

	static Stream<HostileImage> hostileImages() {
		return Stream.of(
				HostileImage.rejected("decompression bomb PNG (10000x10000 pixels in 13 KB)", "bomb.png",
						() -> ImageFixtures.aDecompressionBombPng(10_000, 10_000), "too_many_pixels", "png"),
				HostileImage.processed("decompression bomb PNG within the pixel limit (5000x5000 in 3 KB)",
						"small-bomb.png", () -> ImageFixtures.aDecompressionBombPng(5_000, 5_000), "png"),
				HostileImage.rejected("JPEG header claiming 60000x60000", "huge.jpg",
						() -> ImageFixtures.aJpegDeclaring(60_000, 60_000), "too_many_pixels", "jpeg"),
				HostileImage.rejected("GIF header claiming 65535x65535", "huge.gif",
						() -> ImageFixtures.aGifDeclaring(65_535, 65_535), "too_many_pixels", "gif"),
				HostileImage.rejected("truncated JPEG", "cut.jpg", ImageFixtures::aJpegTruncatedHalfway,
						"corrupt_image", "jpeg"),
				HostileImage.processed("PNG named .jpg (wrong magic for the extension)", "photo.jpg",
						() -> ImageFixtures.encode(ImageFixtures.aGradient(300, 200), "png"), "png"),
				HostileImage.rejected("zero bytes", "empty.jpg", () -> new byte[0], "unsupported_format", "empty"),
				HostileImage.processed("animated GIF of 100000 frames (first frame only)", "frames.gif",
						() -> ImageFixtures.anAnimatedGifWithFrames(100_000), "gif"),
				HostileImage.rejected("JPEG of a million empty segments (4 MB)", "segments.jpg",
						() -> ImageFixtures.aJpegWithEmptySegments(1_000_000), "too_many_segments", "jpeg"),
				HostileImage.processed("JPEG with an oversized EXIF segment (64 KB claiming 65535 entries)",
						"exif.jpg", ImageFixtures::aJpegWithAnOversizedExifSegment, "jpeg"),
				HostileImage.processed("JPEG with the largest ICC profile (255 chunks, 16 MB)", "icc.jpg",
						ImageFixtures::aJpegWithTheLargestIccProfile, "jpeg"),
				HostileImage.processed("JPEG with a corrupt ICC profile (taken as sRGB)", "bad-icc.jpg",
						ImageFixtures::aJpegWithACorruptIccProfile, "jpeg"),
				HostileImage.processed("PNG whose ICC profile inflates to 100 MB (inflated to 1 MB at most)",
						"icc-bomb.png", ImageFixtures::aPngWithAnIccProfileBomb, "png"),
				HostileImage.rejected("SVG/HTML polyglot named .jpg", "polyglot.jpg", ImageFixtures::anSvgHtmlPolyglot,
						"unsupported_format", "svg"),
				HostileImage.rejected("text file named .png", "notes.png", ImageFixtures::aTextFile,
						"unsupported_format", "unknown"));
	}

	/**
	 * Every hostile upload is sent at once, as a burst would come; each case then asserts its own outcome, and that
	 * the service is still healthy.
	 */
	@TestFactory
	Stream<DynamicTest> hostileImagesGetTheirOutcomeOnce() {
		List<Map.Entry<HostileImage, UUID>> sent = hostileImages().map((hostile) -> {
			UUID uploadId = UUID.randomUUID();
			String key = "images/2026/" + uploadId + "/" + hostile.fileName();
			byte[] content = hostile.content().get();
			this.pipeline.send(created(key, content.length,
					this.pipeline.put(key, content, uploadMetadata(uploadId)), "01"));
			return Map.entry(hostile, uploadId);
		}).toList();
		return sent.stream()
			.map((upload) -> DynamicTest.dynamicTest(upload.getKey().toString(), () -> {
				assertOutcome(upload.getKey(), upload.getValue());
				assertHealthy();
			}));
	}

	private void assertOutcome(HostileImage hostile, UUID uploadId) {
		if (hostile.reason() == null) {
			ImageProcessedEvent processed = this.pipeline.awaitImageEvent(uploadId);
			assertThat(processed.renditions()).isNotEmpty()
				.allSatisfy((rendition) -> assertThat(Math.max(rendition.width(), rendition.height()))
					.isBetween(1, 1024));
			assertThat(this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.SUCCEEDED).status()).isNull();
		}
		else {
			UploadStatusEvent rejected = this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.REJECTED);
			assertThat(rejected.status()).isEqualTo(UploadStatus.REJECTED);
			assertThat(rejected.reason()).isEqualTo(hostile.reason());
			assertThat(this.pipeline.renditions(uploadId)).isEmpty();
			assertThat(this.pipeline.exists(OUTPUT, "thumbnails/" + uploadId + "/256.jpg")).isFalse();
		}
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", hostile.status())
			.containsEntry("reason", hostile.reason())
			.containsEntry("detected_format", hostile.format());
		assertThat(this.pipeline.imageEvents()).filteredOn((event) -> event.uploadId().equals(uploadId))
			.hasSize((hostile.reason() == null) ? 1 : 0);
	}

	/** A queue message that is no S3 event notification, or one S3 never sends. */
	record BadMessage(String name, Supplier<String> body) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<BadMessage> badMessages() {
		return Stream.of(new BadMessage("malformed JSON", () -> "{\"Records\":[{\"eventName\":"),
				new BadMessage("JSON that is not an S3 event", () -> "{\"hello\":\"world\",\"Records\":\"none\"}"),
				new BadMessage("oversized body (70000 characters)",
						() -> anEvent("images/2026/padded.jpg").replace("{\"Records\"",
								"{\"padding\":\"" + "x".repeat(70_000) + "\",\"Records\"")),
				new BadMessage("eleven records in one notification", HostileImageInputTest::elevenRecords),
				new BadMessage("key that is not URL-encoded",
						() -> anEvent("images/2026/x.jpg").replace("images/2026/x.jpg", "images/%ZZ.jpg")));
	}

	@ParameterizedTest(name = "{0} -> dead-letter queue")
	@MethodSource("badMessages")
	void messageThatIsNoS3EventEndsInTheDeadLetterQueueUntouched(BadMessage bad) {
		String body = bad.body().get();

		this.pipeline.sendRaw(body);

		await().atMost(Duration.ofSeconds(30)).until(this.pipeline::deadLetterBodies, (bodies) -> !bodies.isEmpty());
		assertThat(this.pipeline.deadLetterBodies()).containsExactly(body);
		this.expectedDeadLetters = 1;
		assertThat(this.jdbc.queryForObject("select count(*) from images", Long.class)).isZero();
		this.pipeline.collect();
		assertThat(this.pipeline.statusEvents()).isEmpty();
	}

	@Test
	void wrongEventTypeIsAcknowledgedAndIgnored() {
		this.pipeline.sendRaw(S3Events.encode(new S3ObjectEvent("ObjectRemoved:Delete", Instant.now(), UPLOADS,
				"images/2026/deleted.jpg", 0, null, null, "0A"), "us-east-1"));
		this.pipeline.sendRaw("""
				{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-22T10:00:00.000Z",\
				"Bucket":"esteira-uploads","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3"}""");

		this.pipeline.awaitImagesQueueDrained();

		assertThat(this.jdbc.queryForObject("select count(*) from images", Long.class)).isZero();
	}

	@Test
	void eventForAnUnknownBucketIsDroppedWithoutReadingIt() {
		double before = outcomes("foreign_bucket");

		this.pipeline.sendRaw(S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", Instant.now(),
				"someone-elses-bucket", "images/2026/theirs.jpg", 1234, "0123", null, "01"), "us-east-1"));

		await().atMost(Duration.ofSeconds(15)).until(() -> outcomes("foreign_bucket") > before);
		assertThat(this.jdbc.queryForObject("select count(*) from images", Long.class)).isZero();
	}

	@Test
	void eventForAnUnknownKeyIsRecordedSkippedOnceWithoutRetry() {
		UUID uploadId = UUID.randomUUID();
		S3ObjectEvent event = created("images/2026/11/22/" + uploadId + ".jpg", 1234, "0123456789abcdef", "01");

		this.pipeline.send(event);
		UploadStatusEvent skipped = this.pipeline.awaitStatus(uploadId, ImageProcessingService.STEP_SOURCE,
				StepOutcome.SKIPPED);
		this.pipeline.send(event);
		this.pipeline.awaitImagesQueueDrained();

		assertThat(skipped.reason()).startsWith("object_missing");
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", "SKIPPED")
			.containsEntry("reason", "object_missing");
		this.pipeline.collect();
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(1);
	}

	@Test
	void replayedEventIsProcessedOnce() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/replayed.jpg";
		byte[] jpeg = aJpeg(640, 480);
		S3ObjectEvent event = created(key, jpeg.length, this.pipeline.put(key, jpeg, uploadMetadata(uploadId)), "01");

		this.pipeline.send(event);
		this.pipeline.awaitImageEvent(uploadId);
		for (int i = 0; i < 3; i++) {
			this.pipeline.send(event);
		}
		this.pipeline.awaitImagesQueueDrained();

		assertThat(this.jdbc.queryForObject("select count(*) from images where upload_id = ?", Long.class, uploadId))
			.isEqualTo(1);
		assertThat(this.pipeline.renditions(uploadId)).hasSize(2);
		this.pipeline.collect();
		assertThat(this.pipeline.imageEvents()).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(1);
		assertThat(this.pipeline.statusEvents()).filteredOn((e) -> e.uploadId().equals(uploadId)).hasSize(2);
	}

	@Test
	void eventClaimingMoreBytesThanTheLimitIsRejectedWithoutReadingTheObject() {
		UUID uploadId = UUID.randomUUID();
		String key = "images/2026/" + uploadId + "/claims-60mb.jpg";
		String eTag = this.pipeline.put(key, aJpeg(64, 64), uploadMetadata(uploadId));

		this.pipeline.send(created(key, 60L * 1024 * 1024, eTag, "01"));

		assertThat(this.pipeline.awaitStatus(uploadId, "thumbnail", StepOutcome.REJECTED).reason())
			.isEqualTo("too_large");
		assertThat(this.pipeline.row(uploadId)).containsEntry("status", "REJECTED")
			.containsEntry("source_sha256", null);
	}

	/** One S3 notification for {@code key} in the uploads bucket, as S3 sends it. */
	private static String anEvent(String key) {
		return S3Events.encode(created(key, 1234, "0123", "01"), "us-east-1");
	}

	/** A notification holding eleven records, for objects that do not exist (each would be a row). */
	private static String elevenRecords() {
		List<String> records = new ArrayList<>();
		for (int i = 0; i < 11; i++) {
			String one = anEvent("images/2026/11/22/" + UUID.randomUUID() + ".jpg");
			records.add(one.substring(one.indexOf('[') + 1, one.lastIndexOf(']')));
		}
		return "{\"Records\":[" + String.join(",", records) + "]}";
	}

	private double outcomes(String outcome) {
		return this.meters.counter("esteira.images.events", "outcome", outcome).count();
	}

	private double retries() {
		return this.meters.find("esteira.images.retries").counters().stream().mapToDouble(Counter::count).sum();
	}

}
