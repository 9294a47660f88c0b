package io.esteira.localstack;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import javax.imageio.ImageIO;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline, as the local stack runs it: four service processes, S3 events from bucket writes, a chatbot's
 * uploads through the public API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {

	private static final String UPDATE = "/crm/objects/" + TestHubSpot.API_VERSION + "/contacts/batch/update";

	private static final String READ = "/crm/objects/" + TestHubSpot.API_VERSION + "/contacts/batch/read";

	private static final String TASKS = "/crm/objects/" + TestHubSpot.API_VERSION + "/tasks/batch/create";

	private static final String NOTES = "/crm/objects/" + TestHubSpot.API_VERSION + "/notes/batch/create";


	@TempDir
	static Path work;

	static Path samples;

	static LocalStack stack;

	static Demo.Result result;

	@BeforeAll
	static void startStackAndRunDemo() {
		stack = LocalStack.start(new LocalStack.Options(LocalStack.root(), work, false, null));
		result = new Demo(stack.ingestUrl(), stack.invoiceUrl(), LocalStack.DEMO_API_KEY,
				stack.infrastructure().hubSpot().baseUrl())
			.run(samples = Samples.write(work.resolve("samples")));
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
		hubSpot.verify(1, postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(WireMock.containing("\"123\""))
			.withRequestBody(WireMock.containing("/files/" + id + "/256")));
		// The contact's owner gets one task telling them.
		hubSpot.verify(1, postRequestedFor(urlPathEqualTo(TASKS)));
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
		infra.hubSpot().server().verify(1, postRequestedFor(urlPathEqualTo(UPDATE))
			.withRequestBody(WireMock.containing("\"123\"")));
		infra.hubSpot().server().verify(1, postRequestedFor(urlPathEqualTo(TASKS)));
		assertThat(new Demo(stack.ingestUrl(), stack.invoiceUrl(), LocalStack.DEMO_API_KEY,
				infra.hubSpot().baseUrl()).invoiceCount()).isEqualTo(3);
	}

	@Test
	void oneUploadIsOneTraceFromIngestThroughImageProcessingToCrmSync() {
		JsonNode steps = result.imageUpload().path("steps");
		List<JsonNode> traced = StreamSupport.stream(steps.spliterator(), false)
			.filter((step) -> Set.of("ingest", "image-processing", "crm-sync").contains(step.path("service").asString()))
			.toList();
		assertThat(traced).extracting((step) -> step.path("service").asString())
			.contains("ingest", "image-processing", "crm-sync");
		Set<String> traceIds = traced.stream()
			.map((step) -> step.path("traceId").asString(""))
			.collect(Collectors.toSet());
		assertThat(traceIds).as("trace ids of the steps %s", steps).hasSize(1);
		assertThat(traceIds.iterator().next()).matches("[0-9a-f]{32}");
	}

	@Test
	void everyServiceShowsItsPipelineMetricsToPrometheus() throws Exception {
		String ingest = scrape(EsteiraService.INGEST);
		assertThat(sample(ingest, "esteira_uploads_total", "kind=\"image\"", "status=\"COMPLETED\"")).isEqualTo(1);
		assertThat(sample(ingest, "esteira_uploads_total", "kind=\"invoice\"", "status=\"COMPLETED\""))
			.isEqualTo(1);
		// Steps are timed from their STARTED report to their end, whichever service ran them.
		for (String service : List.of("image-processing", "invoice", "crm-sync")) {
			assertThat(sample(ingest, "esteira_step_duration_seconds_count", "service=\"" + service + "\""))
				.as("timed steps of %s", service)
				.isPositive();
		}
		// Queue depths are read on a schedule (5 s after start, then every 30 s): the first read may still be running.
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(scrape(EsteiraService.INGEST)).contains("esteira_queue_messages{")
				.contains("queue=\"esteira-images-dlq\""));
		assertThat(sample(ingest, "esteira_queue_lag_seconds_count", "queue=\"esteira-status\"")).isPositive();

		String images = scrape(EsteiraService.IMAGE_PROCESSING);
		assertThat(sample(images, "esteira_queue_lag_seconds_count", "queue=\"esteira-images\"")).isPositive();
		assertThat(sample(images, "esteira_images_render_seconds_count")).isPositive();

		String invoices = scrape(EsteiraService.INVOICE);
		assertThat(sample(invoices, "esteira_queue_lag_seconds_count", "queue=\"esteira-invoices\"")).isPositive();
		assertThat(sample(invoices, "esteira_invoice_rows_total", "outcome=\"accepted\"")).isEqualTo(3);

		String crm = scrape(EsteiraService.CRM_SYNC);
		assertThat(sample(crm, "esteira_queue_lag_seconds_count", "queue=\"esteira-image-events\"")).isPositive();
		assertThat(crm).contains("esteira_crm_paused{");
		assertThat(sample(crm, "esteira_crm_ratelimit_wait_seconds_count")).isPositive();

		for (EsteiraService service : EsteiraService.values()) {
			assertThat(scrape(service)).contains("application=\"" + service.id() + "\"");
		}
	}

	@Test
	@Order(Integer.MAX_VALUE - 2) // near the end: it creates a HubSpot task and a note, and the tests above count them
	void erasingAnImageUploadDeletesItsObjectsAnswersGoneAndClearsThePhotoOnTheCrmContact() throws Exception {
		var hubSpot = stack.infrastructure().hubSpot().server();
		var s3 = stack.infrastructure().s3Client();
		Demo demo = new Demo(stack.ingestUrl(), stack.invoiceUrl(), LocalStack.DEMO_API_KEY,
				stack.infrastructure().hubSpot().baseUrl());
		String email = "apagar@example.com";
		String id = demo.upload(samples.resolve("photo.jpg"),
				Map.of("kind", "image", "crmContactId", "321", "customerEmail", email));
		JsonNode synced = demo.awaitTerminal(id);
		assertThat(synced.path("status").asString()).as("upload %s", synced).isEqualTo("COMPLETED");
		String originalKey = synced.path("objectKey").asString();
		// The contact shows the link crm-sync wrote, so the erasure finds its own photo there and clears it.
		var update = postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(WireMock.containing("\"321\""));
		Matcher written = Pattern.compile("\"esteira_photo_url\":\"([^\"]+)\"")
			.matcher(hubSpot.findAll(update).getFirst().getBodyAsString());
		assertThat(written.find()).isTrue();
		hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1)
			.withRequestBody(WireMock.containing("\"321\""))
			.withRequestBody(WireMock.containing("esteira_photo_url"))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
				.withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"321\",\"properties\":"
						+ "{\"esteira_photo_url\":\"" + written.group(1) + "\"}}]}")));

		HttpResponse<String> erased = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/api/uploads/" + id))
				.header("X-Api-Key", LocalStack.DEMO_ADMIN_KEY)
				.DELETE()
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
		var clearing = postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(WireMock.containing("\"321\""))
			.withRequestBody(WireMock.containing("\"esteira_photo_url\":\"\""));
		var note = postRequestedFor(urlPathEqualTo(NOTES)).withRequestBody(WireMock.containing("\"321\""))
			.withRequestBody(WireMock.containing("LGPD"));
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			hubSpot.verify(1, clearing);
			hubSpot.verify(1, note);
			assertThat(objectExists("esteira-uploads", originalKey)).as("original").isFalse();
			assertThat(s3.listObjectsV2((list) -> list.bucket("esteira-output").prefix("thumbnails/" + id + "/"))
				.contents()).as("renditions").isEmpty();
		});
		HttpResponse<String> permalink = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/files/" + id + "/256")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(permalink.statusCode()).isEqualTo(410);
		assertThat(hubSpot.findAll(note).getFirst().getBodyAsString()).doesNotContain(email);

		// The timeline is a tombstone: the steps are kept, the customer is not.
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			JsonNode upload = demo.awaitTerminal(id);
			assertThat(upload.path("steps")).extracting((step) -> step.path("step").asString()).contains("erased");
			assertThat(upload.path("steps"))
				.filteredOn((step) -> "crm-sync".equals(step.path("service").asString()))
				.extracting((step) -> step.path("reason").asString(""))
				.contains("photo removed from the CRM contact");
			assertThat(upload.toString()).doesNotContain(email, "contact 321");
		});
	}

	private static boolean objectExists(String bucket, String key) {
		try {
			stack.infrastructure().s3Client().headObject((request) -> request.bucket(bucket).key(key));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
	}

	@Test
	@Order(Integer.MAX_VALUE - 1) // near the end: it creates a HubSpot task, and the tests above count them
	void anImageThatNeededReviewAtTheCrmIsRetriedFromThereAndCompletesWithBothRunsOnItsTimeline() {
		var hubSpot = stack.infrastructure().hubSpot().server();
		Demo demo = new Demo(stack.ingestUrl(), stack.invoiceUrl(), LocalStack.DEMO_API_KEY,
				stack.infrastructure().hubSpot().baseUrl());
		String email = "nova.cliente@example.com";
		String id = demo.upload(samples.resolve("photo.jpg"), Map.of("kind", "image", "customerEmail", email));
		JsonNode first = demo.awaitTerminal(id);
		assertThat(first.path("status").asString()).as("upload %s", first).isEqualTo("NEEDS_REVIEW");
		String thumbnail = "thumbnails/" + id + "/256.jpg";
		Instant rendered = stack.infrastructure().s3Client()
			.headObject((request) -> request.bucket("esteira-output").key(thumbnail))
			.lastModified();

		// The sales team adds the customer to HubSpot, then retries the upload.
		hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1)
			.withRequestBody(WireMock.containing("idProperty"))
			.withRequestBody(WireMock.containing(email))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
				.withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"789\",\"properties\":{\"email\":\""
						+ email + "\",\"hubspot_owner_id\":\"" + TestHubSpot.OWNER + "\"}}]}")));
		JsonNode retry = demo.retry(id);
		assertThat(retry.path("run").asInt()).isEqualTo(2);

		JsonNode upload = demo.awaitTerminal(id);
		assertThat(upload.path("status").asString()).as("upload %s", upload).isEqualTo("COMPLETED");
		// Resumed at the CRM stage: the renditions were kept (not rendered again), the contact updated once.
		assertThat(stack.infrastructure().s3Client()
			.headObject((request) -> request.bucket("esteira-output").key(thumbnail))
			.lastModified()).isEqualTo(rendered);
		hubSpot.verify(1, postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(WireMock.containing("\"789\""))
			.withRequestBody(WireMock.containing("/files/" + id + "/256")));
		List<String> steps = StreamSupport.stream(upload.path("steps").spliterator(), false)
			.filter((step) -> !"STARTED".equals(step.path("outcome").asString()))
			.map((step) -> step.path("service").asString() + "/" + step.path("step").asString() + " "
					+ step.path("outcome").asString())
			.toList();
		assertThat(steps).containsSubsequence("image-processing/thumbnail SUCCEEDED", "crm-sync/crm-sync NEEDS_REVIEW",
				"image-processing/thumbnail SUCCEEDED", "crm-sync/crm-sync SUCCEEDED");
		assertThat(upload.path("steps")).filteredOn((step) -> "redrive".equals(step.path("step").asString()))
			.singleElement()
			.satisfies((step) -> assertThat(step.path("attempt").asInt()).isEqualTo(2));
		assertThat(upload.path("steps")).filteredOn((step) -> step.path("reason").asString("")
				.endsWith("not rendered again"))
			.hasSize(1);
	}

	@Test
	@Order(Integer.MAX_VALUE) // last: it creates a second HubSpot task, and the tests above count them
	void crmSyncKilledInTheMiddleOfItsStepFinishesTheUploadAfterARestartWithoutDuplicates() {
		var hubSpot = stack.infrastructure().hubSpot().server();
		var contact = postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(WireMock.containing("\"456\""));
		// The first update of contact 456 hangs, so crm-sync is inside its step, the HTTP call open and nothing
		// committed, when it is killed; the restarted one finds the contact answering again.
		hubSpot.stubFor(post(urlPathEqualTo(UPDATE)).withRequestBody(WireMock.containing("\"456\"")).atPriority(1)
			.inScenario("crash")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("restarted")
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"456\",\"properties\":{}}]}")
				.withFixedDelay(8_000)));
		Demo demo = new Demo(stack.ingestUrl(), stack.invoiceUrl(), LocalStack.DEMO_API_KEY,
				stack.infrastructure().hubSpot().baseUrl());
		String id = demo.upload(samples.resolve("photo.jpg"), Map.of("kind", "image", "crmContactId", "456"));
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !hubSpot.findAll(contact).isEmpty());

		stack.kill(EsteiraService.CRM_SYNC);
		stack.restart(EsteiraService.CRM_SYNC);

		JsonNode upload = demo.awaitTerminal(id);
		assertThat(upload.path("status").asString()).as("upload %s", upload).isEqualTo("COMPLETED");
		// The killed delivery came back after its visibility timeout and was done once: one task and one note with
		// this upload's link (the owner is told right after the sync commits), whatever the number of (idempotent)
		// contact updates; nothing more once the queue has drained.
		var task = postRequestedFor(urlPathEqualTo(TASKS))
			.withRequestBody(WireMock.containing("/files/" + id + "/"));
		var note = postRequestedFor(urlPathEqualTo(NOTES))
			.withRequestBody(WireMock.containing("/files/" + id + "/"));
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			hubSpot.verify(1, task);
			hubSpot.verify(1, note);
		});
		await().atMost(Duration.ofSeconds(60))
			.until(() -> queueDrained(stack.infrastructure(), "esteira-image-events"));
		hubSpot.verify(1, task);
		hubSpot.verify(1, note);
		assertThat(hubSpot.findAll(contact)).hasSizeBetween(2, 3);
		assertThat(upload.path("steps")).filteredOn((step) -> "crm-sync".equals(step.path("service").asString())
				&& "SUCCEEDED".equals(step.path("outcome").asString()))
			.isNotEmpty();
	}

	private static String scrape(EsteiraService service) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(stack.managementUrl(service) + "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("scrape of %s", service.id()).isEqualTo(200);
		return response.body();
	}

	/** The sum of the samples of {@code metric} whose labels contain every one of {@code labels}. */
	private static double sample(String scrape, String metric, String... labels) {
		Matcher lines = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)").matcher(scrape);
		double sum = 0;
		boolean found = false;
		while (lines.find()) {
			String present = lines.group(1);
			if (List.of(labels).stream().allMatch(present::contains)) {
				sum += Double.parseDouble(lines.group(2));
				found = true;
			}
		}
		assertThat(found).as("%s%s in the scrape", metric, List.of(labels)).isTrue();
		return sum;
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
