package io.esteira.localstack;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import javax.imageio.ImageIO;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.esteira.shared.s3.S3Events;
import io.esteira.shared.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline, as the local stack runs it: four service processes, S3 events from bucket writes, a chatbot's
 * uploads through the public API.
 */
class PipelineEndToEndTest {

	@TempDir
	static Path work;

	static LocalStack stack;

	static Demo.Result result;

	@BeforeAll
	static void startStackAndRunDemo() {
		stack = LocalStack.start(new LocalStack.Options(LocalStack.root(), work, false, null));
		result = new Demo(stack.ingestUrl(), stack.invoiceUrl(), LocalStack.DEMO_API_KEY,
				stack.infrastructure().hubSpot().baseUrl())
			.run(Samples.write(work.resolve("samples")));
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void imageUploadEndsCompletedWithAThumbnailBehindThePermalink() throws Exception {
		assertThat(result.imageUpload().path("status").asString()).isEqualTo("COMPLETED");
		assertThat(result.imageUpload().path("steps")).extracting((step) -> step.path("service").asString())
			.contains("ingest", "image-processing", "crm-sync");
		assertThat(result.thumbnailStatus()).isEqualTo(200);
		BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(result.thumbnail()));
		assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isEqualTo(256);
		String id = result.imageUpload().path("id").asString();
		HeadObjectResponse head = stack.infrastructure()
			.s3Client()
			.headObject((request) -> request.bucket("esteira-output").key("thumbnails/" + id + "/256.jpg"));
		assertThat(head.contentType()).isEqualTo("image/jpeg");
	}

	@Test
	void crmReceivedExactlyOnePatchWithThePermalink() {
		String id = result.imageUpload().path("id").asString();
		var hubSpot = stack.infrastructure().hubSpot().server();
		hubSpot.verify(1, patchRequestedFor(urlPathEqualTo("/crm/v3/objects/contacts/123"))
			.withRequestBody(WireMock.containing("/files/" + id + "/256")));
		// The contact's owner gets one task telling them.
		hubSpot.verify(1, postRequestedFor(urlPathEqualTo("/crm/v3/objects/tasks")));
	}

	@Test
	void invoicesAreQueryableAndTheirUploadCompleted() {
		assertThat(result.invoiceUpload().path("status").asString()).isEqualTo("COMPLETED");
		assertThat(result.invoices().path("totalElements").asInt()).isEqualTo(3);
		assertThat(result.invoices().path("content")).extracting((row) -> row.path("number").asString())
			.containsExactlyInAnyOrder("1001", "1002", "1003");
	}

	@Test
	void redeliveredS3EventsChangeNothing() {
		EsteiraInfrastructure infra = stack.infrastructure();
		for (JsonNode upload : new JsonNode[] { result.imageUpload(), result.invoiceUpload() }) {
			String key = upload.path("objectKey").asString();
			HeadObjectResponse head = infra.s3Client()
				.headObject((request) -> request.bucket("esteira-uploads").key(key));
			String queue = key.startsWith("images/") ? "esteira-images" : "esteira-invoices";
			S3ObjectEvent event = new S3ObjectEvent("ObjectCreated:Put", Instant.now(), "esteira-uploads", key,
					head.contentLength(), S3Events.unquoteETag(head.eTag()), null, null);
			infra.sqsClient()
				.sendMessage((request) -> request.queueUrl(infra.queueUrl(queue))
					.messageBody(S3Events.encode(event, "us-east-1")));
		}
		// The duplicates are consumed (queues drain), and nothing new happens.
		await().atMost(Duration.ofSeconds(30)).until(() -> queueDrained(infra, "esteira-images")
				&& queueDrained(infra, "esteira-invoices") && queueDrained(infra, "esteira-image-events"));
		infra.hubSpot().server().verify(1, patchRequestedFor(urlPathEqualTo("/crm/v3/objects/contacts/123")));
		infra.hubSpot().server().verify(1, postRequestedFor(urlPathEqualTo("/crm/v3/objects/tasks")));
		assertThat(new Demo(stack.ingestUrl(), stack.invoiceUrl(), LocalStack.DEMO_API_KEY,
				infra.hubSpot().baseUrl()).invoiceCount()).isEqualTo(3);
	}

	private static boolean queueDrained(EsteiraInfrastructure infra, String queue) {
		var attributes = infra.sqsClient()
			.getQueueAttributes((request) -> request.queueUrl(infra.queueUrl(queue))
				.attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
			.attributesAsStrings();
		return "0".equals(attributes.get("ApproximateNumberOfMessages"))
				&& "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
	}

}
