package io.esteira.imageprocessing.image;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.EsteiraTest;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static io.esteira.imageprocessing.ImageFixtures.aPngWithAlpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code alpha-output=PNG} through the whole pipeline: an object in S3Proxy, its S3 event on a queue, renditions in
 * the output bucket. This context listens on a queue of its own ({@value #QUEUE}, created by the listener on start),
 * so that it never takes the messages meant for {@link ImageProcessingIntegrationTest}'s context (JPEG on white),
 * which the test framework keeps running in the same JVM.
 */
@EsteiraTest(properties = { "esteira.images.alpha-output=PNG", "esteira.aws.queues.images=" +
		AlphaOutputPngIntegrationTest.QUEUE, "spring.datasource.hikari.connection-timeout=5000" })
class AlphaOutputPngIntegrationTest {

	static final String QUEUE = "esteira-images-alpha-png";

	private static final String UPLOADS = "esteira-uploads";

	private static final String OUTPUT = "esteira-output";

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	private final S3Client s3 = this.infra.s3Client();

	private final SqsClient sqs = this.infra.sqsClient();

	private final TestQueues queues = new TestQueues(this.infra);

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void imageWithTransparencyBecomesPngRenditionsThatKeepItAndOpaqueImagesStayJpeg() throws Exception {
		UUID logo = UUID.randomUUID();
		UUID photo = UUID.randomUUID();
		upload(logo, "images/2026/" + logo + "/logo.png", aPngWithAlpha(), "01");
		upload(photo, "images/2026/" + photo + "/photo.jpg", aJpeg(800, 600), "01");

		ImageProcessedEvent processed = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.queues.imageEvents(logo), (events) -> !events.isEmpty())
			.getFirst();
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::key)
			.containsExactly("thumbnails/" + logo + "/256.png", "thumbnails/" + logo + "/1024.png");
		assertThat(processed.renditions()).extracting(ImageProcessedEvent.Rendition::contentType)
			.containsOnly("image/png");
		assertThat(this.jdbc.queryForList("""
				select r.content_type from image_renditions r join images i on i.id = r.image_id
				where i.upload_id = ?""", String.class, logo)).containsOnly("image/png").hasSize(2);

		// 400x300 source: the 256 rendition is 256x192; the red rectangle (100..300, 75..225) is in the middle.
		ResponseBytes<GetObjectResponse> small = get("thumbnails/" + logo + "/256.png");
		assertThat(small.response().contentType()).isEqualTo("image/png");
		BufferedImage png = ImageIO.read(new ByteArrayInputStream(small.asByteArray()));
		assertThat(png.getColorModel().hasAlpha()).isTrue();
		assertThat(png.getRGB(5, 5) >>> 24).as("alpha of a transparent corner").isZero();
		assertThat(png.getRGB(250, 185) >>> 24).as("alpha of the other corner").isZero();
		Color centre = new Color(png.getRGB(128, 96), true);
		assertThat(centre.getAlpha()).isEqualTo(255);
		assertThat(centre.getRed()).isGreaterThan(240);
		assertThat(centre.getGreen()).isLessThan(15);
		assertThat(centre.getBlue()).isLessThan(15);
		assertThat(get("thumbnails/" + logo + "/1024.png").response().contentType()).isEqualTo("image/png");

		// alpha-output only concerns images with transparency.
		List<ImageProcessedEvent.Rendition> opaque = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.queues.imageEvents(photo), (events) -> !events.isEmpty())
			.getFirst()
			.renditions();
		assertThat(opaque).extracting(ImageProcessedEvent.Rendition::contentType).containsOnly("image/jpeg");
		assertThat(get("thumbnails/" + photo + "/256.jpg").response().contentType()).isEqualTo("image/jpeg");
	}

	private void upload(UUID uploadId, String key, byte[] content, String sequencer) {
		String eTag = this.s3
			.putObject((request) -> request.bucket(UPLOADS)
				.key(key)
				.metadata(Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString())), RequestBody.fromBytes(content))
			.eTag()
			.replace("\"", "");
		String body = S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", Instant.now(), UPLOADS, key,
				content.length, eTag, null, sequencer), "us-east-1");
		String url = this.sqs.getQueueUrl((request) -> request.queueName(QUEUE)).queueUrl();
		this.sqs.sendMessage((request) -> request.queueUrl(url).messageBody(body));
	}

	private ResponseBytes<GetObjectResponse> get(String key) {
		return this.s3.getObjectAsBytes((request) -> request.bucket(OUTPUT).key(key));
	}

}
