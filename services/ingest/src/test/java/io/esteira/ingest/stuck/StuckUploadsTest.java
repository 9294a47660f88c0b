package io.esteira.ingest.stuck;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestIntegrationTest
class StuckUploadsTest {

	@LocalServerPort
	private int port;

	@Autowired
	private StuckUploads stuckUploads;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private MeterRegistry meters;

	private IngestApi api;

	@BeforeEach
	void cleanSlate() {
		this.api = new IngestApi(this.port);
		this.jdbc.sql("truncate uploads cascade").update();
	}

	@Test
	void twoConcurrentChecksMarkEachStuckUploadExactlyOnce() throws Exception {
		List<UUID> old = List.of(anUploadIdleFor(2), anUploadIdleFor(3), anUploadIdleFor(5));
		UUID fresh = anUploadIdleFor(0);
		UUID finished = anUploadIdleFor(4);
		this.jdbc.sql("update uploads set status = 'COMPLETED' where id = :id").param("id", finished).update();

		List<StuckUploads.Result> results = runConcurrently(this.stuckUploads::check, this.stuckUploads::check);

		assertThat(results).anyMatch(StuckUploads.Result::won);
		List<UUID> marked = results.stream().flatMap((result) -> result.marked().stream()).toList();
		assertThat(marked).containsExactlyInAnyOrderElementsOf(old);
		for (UUID id : old) {
			JsonNode upload = upload(id);
			assertThat(upload.path("stuckSince").isNull()).isFalse();
			assertThat(upload.path("status").asString()).isEqualTo("RECEIVED");
			assertThat(stuckChecks(upload)).isEqualTo(1);
		}
		assertThat(upload(fresh).path("stuckSince").isNull()).isTrue();
		assertThat(upload(finished).path("stuckSince").isNull()).isTrue();
		assertThat(this.meters.get(StuckUploads.GAUGE).gauge().value()).isEqualTo(3.0);

		// a later round marks nothing again
		assertThat(this.stuckUploads.check().marked()).isEmpty();
	}

	@Test
	void aStuckUploadNamesTheStageItWaitsOnAndItsLastStep() {
		UUID atCrm = anUploadIdleFor(0);
		report(atCrm, "image-processing", "thumbnail", StepOutcome.SUCCEEDED, null);
		UUID inThumbnail = anUploadIdleFor(0);
		report(inThumbnail, "image-processing", "thumbnail", StepOutcome.STARTED, UploadStatus.PROCESSING);
		UUID untouched = anUploadIdleFor(0);
		for (UUID id : List.of(atCrm, inThumbnail, untouched)) {
			idleFor(id, 2);
		}

		assertThat(this.stuckUploads.check().marked()).containsExactlyInAnyOrder(atCrm, inThumbnail, untouched);

		assertThat(upload(atCrm).path("stuckReason").asString())
			.startsWith("no progress for 30 min at crm-sync; last step image-processing/thumbnail SUCCEEDED at ");
		assertThat(upload(inThumbnail).path("stuckReason").asString())
			.startsWith("no progress for 30 min at image-processing; last step image-processing/thumbnail STARTED");
		JsonNode waiting = upload(untouched);
		assertThat(waiting.path("stuckReason").asString())
			.startsWith("no progress for 30 min at image-processing; last step ingest/received SUCCEEDED");
		assertThat(waiting.path("steps")).filteredOn((step) -> step.path("step").asString().equals("stuck-check"))
			.singleElement()
			.satisfies((step) -> assertThat(step.path("reason").asString())
				.isEqualTo(waiting.path("stuckReason").asString()));
		// The listing shows it too (the status page's source).
		assertThat(this.api.get(IngestApi.READER_KEY, "/api/uploads?limit=10").body().path("items"))
			.filteredOn((item) -> item.path("id").asString().equals(atCrm.toString()))
			.singleElement()
			.satisfies((item) -> assertThat(item.path("stuckReason").asString()).contains("at crm-sync"));
	}

	@Test
	void stagesFollowTheLastStep() {
		assertThat(StuckUploads.stage("image", null, null, null)).isEqualTo("image-processing");
		assertThat(StuckUploads.stage("invoice", "ingest", "redrive", "STARTED")).isEqualTo("invoice");
		assertThat(StuckUploads.stage("image", "ingest", "presigned", "SUCCEEDED"))
			.isEqualTo("the client's upload (presigned, no object yet)");
		assertThat(StuckUploads.stage("image", "image-processing", "thumbnail", "SUCCEEDED")).isEqualTo("crm-sync");
		assertThat(StuckUploads.stage("image", "crm-sync", "crm-sync", "STARTED")).isEqualTo("crm-sync");
		assertThat(StuckUploads.stage("invoice", "invoice", "invoice-import", "STARTED")).isEqualTo("invoice");
	}

	@Test
	void aCheckWhileAnotherReplicaHoldsTheRoundDoesNothing() throws Exception {
		UUID stuck = anUploadIdleFor(2);
		try (Connection otherReplica = this.dataSource.getConnection()) {
			otherReplica.setAutoCommit(false);
			try (PreparedStatement lock = otherReplica.prepareStatement("select pg_advisory_xact_lock(?)")) {
				lock.setLong(1, StuckUploads.LOCK_KEY);
				lock.execute();
			}

			StuckUploads.Result result = this.stuckUploads.check();

			assertThat(result.won()).isFalse();
			assertThat(upload(stuck).path("stuckSince").isNull()).isTrue();
			otherReplica.rollback();
		}
		assertThat(this.stuckUploads.check().marked()).containsExactly(stuck);
	}

	@Test
	void aStepAfterTheMarkClearsIt() {
		UUID id = anUploadIdleFor(2);
		this.stuckUploads.check();
		assertThat(this.meters.get(StuckUploads.GAUGE).gauge().value()).isEqualTo(1.0);

		new TestQueues(EsteiraInfrastructure.shared()).send("esteira-status",
				JsonMapper.builder().build().writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), id,
						"image-processing", "thumbnail", StepOutcome.STARTED, UploadStatus.PROCESSING, null, 1,
						Instant.now())));

		await().untilAsserted(() -> {
			JsonNode upload = upload(id);
			assertThat(upload.path("status").asString()).isEqualTo("PROCESSING");
			assertThat(upload.path("stuckSince").isNull()).isTrue();
		});
		assertThat(this.meters.get(StuckUploads.GAUGE).gauge().value()).isZero();
	}

	/** An upload whose last step was {@code hours} ago (the threshold is 30 minutes). */
	private UUID anUploadIdleFor(int hours) {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, "image", "p.png", TestFiles.aPng(),
				Map.of());
		assertThat(accepted.status()).isEqualTo(202);
		UUID id = UUID.fromString(accepted.body().path("id").asString());
		this.jdbc.sql("update uploads set updated_at = :at where id = :id")
			.param("at", Instant.now().minus(hours, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC))
			.param("id", id)
			.update();
		return id;
	}

	private void idleFor(UUID id, int hours) {
		this.jdbc.sql("update uploads set updated_at = :at where id = :id")
			.param("at", Instant.now().minus(hours, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC))
			.param("id", id)
			.update();
	}

	/** Reports a step through the status queue, as the service would, and waits until ingest recorded it. */
	private void report(UUID id, String service, String step, StepOutcome outcome, UploadStatus status) {
		new TestQueues(EsteiraInfrastructure.shared()).send("esteira-status",
				JsonMapper.builder().build().writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), id, service,
						step, outcome, status, null, 1, Instant.now())));
		await().until(() -> upload(id).path("steps").size() > 1);
	}

	private JsonNode upload(UUID id) {
		return this.api.get(IngestApi.READER_KEY, "/api/uploads/" + id).body();
	}

	private static long stuckChecks(JsonNode upload) {
		long count = 0;
		for (JsonNode step : upload.path("steps")) {
			if (step.path("step").asString().equals("stuck-check")
					&& step.path("outcome").asString().equals("NEEDS_REVIEW")) {
				count++;
			}
		}
		return count;
	}

	@SafeVarargs
	private static <T> List<T> runConcurrently(Callable<T>... tasks) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		try (ExecutorService executor = Executors.newFixedThreadPool(tasks.length)) {
			List<Future<T>> futures = new ArrayList<>();
			for (Callable<T> task : tasks) {
				futures.add(executor.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
	}

}
