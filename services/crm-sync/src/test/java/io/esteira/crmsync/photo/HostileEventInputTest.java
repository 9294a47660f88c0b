package io.esteira.crmsync.photo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.testkit.TestProbes;
import io.esteira.testkit.EsteiraInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.esteira.crmsync.photo.HubSpotStubs.NOTES;
import static io.esteira.crmsync.photo.HubSpotStubs.READ;
import static io.esteira.crmsync.photo.HubSpotStubs.TASKS;
import static io.esteira.crmsync.photo.HubSpotStubs.json;
import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anEmail;
import static io.esteira.crmsync.photo.ImageEvents.anImage;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input on crm-sync's queue, end to end (image-events queue, database, HubSpot stand-in, status queue): each
 * case asserts its outcome — the dead-letter queue for what is no image event, {@code NEEDS_REVIEW} with a reason
 * for values no upload has (before any CRM call), nothing done twice for a replay — and that the service is still
 * healthy afterwards: the queue settled (no retry loop), no dead letter it did not expect, {@code /livez} and
 * {@code /readyz} answering {@code UP}.
 */
@CrmSyncTest
class HostileEventInputTest {

	/** What HubSpot answers a request holding a value as long as the absurd ones here: it refuses the whole batch. */
	private static final String ABSURD_RUN = "9{300}|x{300}";

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	private final WireMockServer hubSpot = this.infrastructure.hubSpot().server();

	@Autowired
	private JdbcClient jdbc;

	@LocalServerPort
	private int port;

	private PipelineQueues queues;

	private SyncRows rows;

	private int expectedDeadLetters;

	@BeforeEach
	void cleanSlate() {
		this.queues = PipelineQueues.cleared(this.infrastructure);
		this.rows = new SyncRows(this.jdbc);
		this.expectedDeadLetters = 0;
		// As HubSpot does: an input it cannot take fails the whole batch request (400), for every upload in it.
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(1)
			.withRequestBody(matching("(?s).*(" + ABSURD_RUN + ").*"))
			.willReturn(json(400, "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
					+ "\"message\":\"Invalid input\"}")));
	}

	@AfterEach
	void serviceIsStillHealthy() throws Exception {
		this.queues.awaitImageEventsSettled();
		assertThat(this.queues.deadLetterCount()).as("dead letters").isEqualTo(this.expectedDeadLetters);
		assertHealthy();
	}

	/** A body that is no image event, named. */
	record BadMessage(String name, String body) {
	}

	/**
	 * Every bad message is sent at once with a good event: each ends in the dead-letter queue untouched, reaches no
	 * CRM, and holds nothing back: the good event completes.
	 */
	@TestFactory
	Stream<DynamicTest> messagesThatAreNoImageEventsEndInTheDeadLetterQueue() {
		ImageProcessedEvent good = anImageOfContact(aContactId());
		String event = this.queues.toJson(anImageOfContact(aContactId()));
		List<BadMessage> bad = List.of(new BadMessage("malformed JSON", "{\"eventId\":\"" + UUID.randomUUID()),
				new BadMessage("JSON null", "null"),
				new BadMessage("an S3 event notification, not an image event",
						S3Events.encode(new S3ObjectEvent("ObjectCreated:Put", Instant.now(), "esteira-uploads",
								"images/a.jpg", 1234, "0123", null, "01"), "us-east-1")),
				new BadMessage("a status event, the wrong event type",
						this.queues.toJson(UploadStatusEvent.of(UUID.randomUUID(), "image-processing", "thumbnail",
								StepOutcome.SUCCEEDED, null, null, Instant.now()))),
				new BadMessage("oversized body (70000 characters)",
						event.replace("{\"eventId\"", "{\"padding\":\"" + "x".repeat(70_000) + "\",\"eventId\"")),
				new BadMessage("uploadId that is not a UUID",
						event.replaceFirst("\"uploadId\":\"[^\"]+\"", "\"uploadId\":\"../../etc/passwd\"")),
				new BadMessage("no uploadId", event.replaceFirst("\"uploadId\":\"[^\"]+\",", "")),
				new BadMessage("no occurredAt", event.replaceFirst("\"occurredAt\":\"[^\"]+\",", "")));
		bad.forEach((message) -> this.queues.sendRawImageEvent(message.body()));
		this.queues.sendRawImageEvent(this.queues.toJson(good));
		this.expectedDeadLetters = bad.size();
		await().atMost(Duration.ofSeconds(40)).until(this.queues::deadLetterCount, (count) -> count == bad.size());
		List<String> deadLetters = this.queues.deadLetterBodies();
		return Stream.concat(bad.stream()
			.map((message) -> DynamicTest.dynamicTest(message.name() + " -> dead-letter queue", () -> {
				assertThat(deadLetters).contains(message.body());
				assertHealthy();
			})), Stream.of(DynamicTest.dynamicTest("the good event sent with them completes, alone at HubSpot", () -> {
				assertThat(this.queues.awaitStatusEvent(good.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
				assertThat(this.hubSpot.getAllServeEvents()).isNotEmpty()
					.allSatisfy((call) -> assertThat(call.getRequest().getBodyAsString())
						.containsAnyOf(good.crmContactId(), OwnerNotifications.marker(good.uploadId())));
				assertHealthy();
			})));
	}

	/** An event whose values no upload has, and the reason it must need review with. */
	record Implausible(String name, ImageProcessedEvent event, String reason) {
	}

	/**
	 * Events with values no upload has, sent in one batch with a good one: each needs review with a reason naming
	 * the field and the limit, and no value reaches HubSpot (which would refuse the batch's request for every upload
	 * in it): the good one, found by its email, completes.
	 */
	@TestFactory
	Stream<DynamicTest> implausibleEventsNeedReviewWithoutReachingTheCrm() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		String email = anEmail();
		String contactId = aContactId();
		this.hubSpot.stubFor(post(urlPathEqualTo(READ)).atPriority(5)
			.withRequestBody(matching("(?s).*" + email.replace("+", "\\+") + ".*"))
			.willReturn(HubSpotStubs.contactWithEmail(contactId, HubSpotStubs.OWNER, email)));
		ImageProcessedEvent good = anImage(null, email, null, now);
		List<Implausible> implausible = List.of(
				new Implausible("contact id of 60000 digits", anImage("9".repeat(60_000), null, null, now),
						"the image event's crmContactId has 60000 characters, more than 100"),
				new Implausible("email of 10000 characters", anImage(null, "x".repeat(10_000) + "@example.com", null,
						now), "the image event's customerEmail has 10012 characters, more than 254"),
				new Implausible("phone of 1000 characters", anImage(null, null, "9".repeat(1_000), now),
						"the image event's customerPhone has 1000 characters, more than 32"),
				new Implausible("processed in the year 9999", anImage(aContactId(), null, null,
						Instant.parse("9999-12-31T23:59:59Z")),
						"the image event says it was processed in the future (9999-12-31T23:59:59Z)"));
		this.queues.sendRawImageEvents(Stream.concat(implausible.stream().map(Implausible::event), Stream.of(good))
			.map(this.queues::toJson)
			.toList());
		return Stream.concat(implausible.stream()
			.map((hostile) -> DynamicTest.dynamicTest(hostile.name() + " -> NEEDS_REVIEW", () -> {
				UploadStatusEvent review = this.queues.awaitStatusEvent(hostile.event().uploadId());
				assertThat(review.outcome()).isEqualTo(StepOutcome.NEEDS_REVIEW);
				assertThat(review.status()).isEqualTo(UploadStatus.NEEDS_REVIEW);
				assertThat(review.reason()).isEqualTo(hostile.reason());
				assertThat(this.rows.of(hostile.event().uploadId())).hasValueSatisfying((row) -> {
					assertThat(row.status()).isEqualTo("NEEDS_REVIEW");
					assertThat(row.reason()).isEqualTo(hostile.reason());
					assertThat(row.attempts()).isEqualTo(1);
				});
				assertThat(requestsTo(body -> body.contains("9".repeat(300)) || body.contains("x".repeat(300))))
					.as("requests holding an absurd value")
					.isEmpty();
				assertHealthy();
			})), Stream.of(DynamicTest.dynamicTest("the good event of the same batch completes", () -> {
				UploadStatusEvent synced = this.queues.awaitStatusEvent(good.uploadId());
				assertThat(synced.status()).as(synced.reason()).isEqualTo(UploadStatus.COMPLETED);
				assertThat(this.rows.of(good.uploadId())).map(SyncRows.Row::contactId).contains(contactId);
				assertHealthy();
			})));
	}

	@Test
	void photoOfTheFutureDoesNotHideTheContactsLaterPhotos() {
		String contactId = aContactId();
		ImageProcessedEvent future = anImage(contactId, null, null, Instant.now().plus(Duration.ofDays(3650)));
		this.queues.sendRawImageEvent(this.queues.toJson(future));
		assertThat(this.queues.awaitStatusEvent(future.uploadId()).status()).isEqualTo(UploadStatus.NEEDS_REVIEW);

		ImageProcessedEvent today = anImageOfContact(contactId);
		this.queues.sendRawImageEvent(this.queues.toJson(today));

		assertThat(this.queues.awaitStatusEvent(today.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, contactId)).singleElement()
			.satisfies((update) -> assertThat(update.getBodyAsString()).contains(today.uploadId().toString()));
	}

	@Test
	void replayedEventUpdatesTheContactAndTellsTheOwnerOnce() {
		ImageProcessedEvent event = anImageOfContact(aContactId());
		String body = this.queues.toJson(event);
		this.queues.sendRawImageEvent(body);
		assertThat(this.queues.awaitStatusEvent(event.uploadId()).status()).isEqualTo(UploadStatus.COMPLETED);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> HubSpotStubs.requests(this.hubSpot, NOTES, OwnerNotifications.marker(event.uploadId())),
					(notes) -> !notes.isEmpty());

		for (int i = 0; i < 3; i++) {
			this.queues.sendRawImageEvent(body);
		}
		this.queues.awaitImageEventsSettled();

		assertThat(HubSpotStubs.updatesOf(this.hubSpot, event.crmContactId())).hasSize(1);
		assertThat(HubSpotStubs.requests(this.hubSpot, TASKS, OwnerNotifications.marker(event.uploadId())))
			.hasSize(1);
		assertThat(HubSpotStubs.requests(this.hubSpot, NOTES, OwnerNotifications.marker(event.uploadId())))
			.hasSize(1);
		assertThat(this.queues.statusEventsFor(event.uploadId())).hasSize(1);
	}

	@Test
	void eventOfAContactTheCrmDoesNotKnowNeedsReviewWithoutRetryOrUpdate() {
		String unknown = aContactId();
		this.hubSpot.stubFor(HubSpotStubs.readOf(unknown).willReturn(HubSpotStubs.failedItems("OBJECT_NOT_FOUND",
				"Could not get some CONTACT objects, they may be deleted or not exist.", unknown)));
		ImageProcessedEvent event = anImageOfContact(unknown);

		this.queues.sendRawImageEvent(this.queues.toJson(event));

		UploadStatusEvent review = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(review.status()).isEqualTo(UploadStatus.NEEDS_REVIEW);
		assertThat(this.rows.of(event.uploadId())).map(SyncRows.Row::attempts).contains(1);
		assertThat(HubSpotStubs.updatesOf(this.hubSpot, unknown)).isEmpty();
	}

	@Test
	void oversizedTraceContextIsIgnoredAndTheEventSynced() {
		ImageProcessedEvent event = anImageOfContact(aContactId());

		this.queues.sendRawImageEvent(this.queues.toJson(event),
				Map.of(PipelineTracing.TRACEPARENT, "00-" + "f".repeat(10_000), ImageEventDelivery.ATTEMPTS_BEFORE,
						"999999999999"));

		UploadStatusEvent synced = this.queues.awaitStatusEvent(event.uploadId());
		assertThat(synced.status()).isEqualTo(UploadStatus.COMPLETED);
		assertThat(this.rows.of(event.uploadId())).map(SyncRows.Row::status).contains("SYNCED");
	}

	/** HubSpot requests whose body matches. */
	private List<ServeEvent> requestsTo(Predicate<String> body) {
		return this.hubSpot.getAllServeEvents()
			.stream()
			.filter((call) -> body.test(call.getRequest().getBodyAsString()))
			.toList();
	}

	/** The probes answer {@code UP}. */
	private void assertHealthy() throws Exception {
		TestProbes.assertUp(this.port);
	}

}
