package io.esteira.ingest.stuck;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.platform.observability.PipelineTracing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Marks uploads that are still {@code RECEIVED} or {@code PROCESSING} and had no step recorded for
 * {@code esteira.ingest.stuck.threshold}: sets {@code stuck_since} and adds a step {@code ingest/stuck-check}
 * ({@code NEEDS_REVIEW}, no status change: a late step still moves the upload on and clears the mark). Every replica
 * runs the check; a transaction-scoped PostgreSQL advisory lock lets exactly one of them work per round, the others
 * skip. The gauge {@value #GAUGE} counts the uploads marked and not yet moved on.
 */
@Component
public class StuckUploads {

	static final String GAUGE = "esteira.uploads.stuck";

	/** The advisory lock key: any constant shared by the replicas ("esteira-stuck" in ASCII). */
	static final long LOCK_KEY = 0x65737465697261L;

	private static final Logger logger = LoggerFactory.getLogger(StuckUploads.class);

	private final JdbcClient jdbc;

	private final IngestProperties.Stuck settings;

	private final Clock clock;

	private final TransactionTemplate transaction;

	private final PipelineTracing tracing;

	StuckUploads(JdbcClient jdbc, IngestProperties properties, Clock clock, MeterRegistry meters,
			PlatformTransactionManager transactionManager, PipelineTracing tracing) {
		this.tracing = tracing;
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.settings = properties.stuck();
		this.clock = clock;
		Gauge.builder(GAUGE, this, StuckUploads::countStuck)
			.description("Unfinished uploads marked stuck and not moved on since")
			.register(meters);
	}

	/** What one round did. */
	public record Result(boolean won, List<UUID> marked) {
	}

	@Scheduled(initialDelayString = "${esteira.ingest.stuck.check-interval:1m}",
			fixedDelayString = "${esteira.ingest.stuck.check-interval:1m}")
	void scheduled() {
		check();
	}

	/**
	 * One round, in one transaction: marks what is stuck, unless another replica holds the round (the advisory lock
	 * lives as long as the transaction).
	 */
	public Result check() {
		return this.transaction.execute((status) -> checkLocked());
	}

	private Result checkLocked() {
		Boolean won = this.jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", LOCK_KEY)
			.query(Boolean.class)
			.single();
		if (!Boolean.TRUE.equals(won)) {
			logger.debug("Stuck-upload check skipped: another replica is running it");
			return new Result(false, List.of());
		}
		Instant now = this.clock.instant();
		OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
		List<UUID> marked = this.jdbc.sql("""
				update uploads set stuck_since = :now, version = version + 1
				where status in ('RECEIVED', 'PROCESSING') and stuck_since is null and updated_at < :before
				returning id""")
			.param("now", at)
			.param("before", now.minus(this.settings.threshold()).atOffset(ZoneOffset.UTC))
			.query(UUID.class)
			.list();
		for (UUID id : marked) {
			this.jdbc.sql("""
					insert into upload_steps (id, upload_id, event_id, service, step, outcome, status, reason, attempt,
					                          occurred_at, recorded_at, trace_id)
					values (:id, :uploadId, :eventId, 'ingest', 'stuck-check', 'NEEDS_REVIEW', null, :reason, 1,
					        :now, :now, :traceId)""")
				.param("id", UUID.randomUUID())
				.param("uploadId", id)
				.param("eventId", UUID.randomUUID())
				.param("reason", "no progress for " + this.settings.threshold().toMinutes() + " min")
				.param("now", at)
				.param("traceId", this.tracing.currentTraceId())
				.update();
		}
		if (!marked.isEmpty()) {
			logger.warn("Marked {} upload(s) stuck (no progress for {}): {}", marked.size(), this.settings.threshold(),
					marked);
		}
		return new Result(true, marked);
	}

	private double countStuck() {
		return this.jdbc.sql("select count(*) from uploads where stuck_since is not null"
				+ " and status in ('RECEIVED', 'PROCESSING')")
			.query(Long.class)
			.single();
	}

}
