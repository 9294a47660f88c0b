package io.esteira.crmsync.photo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.esteira.contracts.event.ImageProcessedEvent;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.crmsync.crm.CrmRateLimiter;
import io.esteira.testkit.EsteiraInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.esteira.crmsync.photo.ImageEvents.aContactId;
import static io.esteira.crmsync.photo.ImageEvents.anImageOfContact;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * More image events than the rate limit lets through: waiting for tokens is back-pressure, never a failed attempt.
 * Another replica (here: the test) keeps the shared bucket empty for several seconds, longer than a request may wait
 * ({@code max-wait} 500 ms in these tests) and longer than the retry policy's three attempts would last; every event
 * is sent again to wait, more than once, and still completes on its first attempt — none {@code FAILED}, nothing in
 * the dead-letter queue.
 */
@CrmSyncTest
class RateLimitBackPressureTest {

	private static final int EVENTS = 12;

	private final EsteiraInfrastructure infrastructure = EsteiraInfrastructure.shared();

	@Autowired
	private CrmRateLimiter limiter;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private JdbcClient jdbc;

	private PipelineQueues queues;

	@BeforeEach
	void cleanSlate() {
		this.queues = PipelineQueues.cleared(this.infrastructure);
	}

	@Test
	void eventsThatFindNoTokenWaitWithoutUsingAttemptsAndAllComplete() throws Exception {
		double deferredBefore = this.meters.get("esteira.crm.deferred").counter().count();
		ScheduledExecutorService otherReplica = Executors.newSingleThreadScheduledExecutor();
		otherReplica.scheduleAtFixedRate(this.limiter::penalize, 0, 500, TimeUnit.MILLISECONDS);
		List<ImageProcessedEvent> events = new ArrayList<>();
		try {
			Thread.sleep(200);
			for (int i = 0; i < EVENTS; i++) {
				events.add(anImageOfContact(aContactId()));
			}
			this.queues.sendRawImageEvents(events.stream().map(this.queues::toJson).toList());
			// Longer than three attempts of the policy (1 s, then 2 s) would take.
			Thread.sleep(6_000);
			assertThat(events).allSatisfy((event) -> assertThat(this.queues.statusEventsFor(event.uploadId())).isEmpty());
		}
		finally {
			otherReplica.shutdownNow();
			otherReplica.awaitTermination(5, TimeUnit.SECONDS);
		}

		List<UploadStatusEvent> statuses = events.stream()
			.map((event) -> this.queues.awaitStatusEvent(event.uploadId()))
			.toList();

		assertThat(statuses).allSatisfy((status) -> {
			assertThat(status.status()).isEqualTo(UploadStatus.COMPLETED);
			assertThat(status.attempt()).isEqualTo(1);
		});
		this.queues.awaitImageEventsSettled();
		assertThat(this.queues.deadLetterCount()).isZero();
		assertThat(this.meters.get("esteira.crm.deferred").counter().count() - deferredBefore)
			.isGreaterThanOrEqualTo(EVENTS);
		assertThat(this.jdbc.sql("select count(*) from crm_sync.crm_syncs where status = 'FAILED' and upload_id = any(?)")
			.param(events.stream().map(ImageProcessedEvent::uploadId).toArray(java.util.UUID[]::new))
			.query(Long.class)
			.single()).isZero();
	}

}
