package io.esteira.ingest.stuck;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.contracts.event.PipelineNames;
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
 * {@code esteira.ingest.stuck.threshold}: sets {@code stuck_since} and {@code stuck_reason} (the stage it waits on and
 * its last step, shown by the API and the status page) and adds a step {@code ingest/stuck-check}
 * ({@code NEEDS_REVIEW}, same reason, no status change: a late step still moves the upload on and clears the mark). Every replica
 * runs the check; a transaction-scoped PostgreSQL advisory lock lets exactly one of them work per round, the others
 * skip. The gauge {@value #GAUGE} counts the uploads marked and not yet moved on.
 */
@Component
public class StuckUploads {

	static final String GAUGE = "esteira.uploads.stuck";

	/** Uploads marked per round at most (the oldest first); the rest are marked by the next rounds. */
	static final int MAX_PER_ROUND = 1000;

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
				where id in (select id from uploads
				             where status in ('RECEIVED', 'PROCESSING') and stuck_since is null
				               and updated_at < :before
				             order by updated_at limit :limit)
				returning id""")
			.param("now", at)
			.param("before", now.minus(this.settings.threshold()).atOffset(ZoneOffset.UTC))
			.param("limit", MAX_PER_ROUND)
			.query(UUID.class)
			.list();
		Map<UUID, String> reasons = marked.isEmpty() ? Map.of() : reasons(marked);
		for (UUID id : marked) {
			String reason = reasons.get(id);
			this.jdbc.sql("update uploads set stuck_reason = :reason where id = :id")
				.param("reason", reason)
				.param("id", id)
				.update();
			this.jdbc.sql("""
					insert into upload_steps (id, upload_id, event_id, service, step, outcome, status, reason, attempt,
					                          occurred_at, recorded_at, trace_id)
					values (:id, :uploadId, :eventId, 'ingest', 'stuck-check', 'NEEDS_REVIEW', null, :reason, 1,
					        :now, :now, :traceId)""")
				.param("id", UUID.randomUUID())
				.param("uploadId", id)
				.param("eventId", UUID.randomUUID())
				.param("reason", reason)
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

	/**
	 * Why each of {@code ids} is stuck: the stage it waits on ({@link #stage}) and the last step it recorded, e.g.
	 * {@code no progress for 30 min at crm-sync; last step image-processing/thumbnail SUCCEEDED at ...}.
	 */
	private Map<UUID, String> reasons(List<UUID> ids) {
		Map<UUID, String> reasons = new HashMap<>();
		String idle = "no progress for " + this.settings.threshold().toMinutes() + " min at ";
		this.jdbc.sql("""
				select u.id, u.kind, s.service, s.step, s.outcome, s.occurred_at
				from uploads u
				left join lateral (select service, step, outcome, occurred_at from upload_steps
				                   where upload_id = u.id
				                     and not (service = 'ingest' and step in ('stuck-check', 'notified', 'status'))
				                   order by occurred_at desc, recorded_at desc limit 1) s on true
				where u.id in (:ids)""")
			.param("ids", ids)
			.query((rs, row) -> {
				String service = rs.getString("service");
				String last = (service != null) ? "last step " + service + "/" + rs.getString("step") + " "
						+ rs.getString("outcome") + " at " + rs.getObject("occurred_at", OffsetDateTime.class)
							.toInstant() : "no step recorded";
				reasons.put(rs.getObject("id", UUID.class), idle + stage(rs.getString("kind"), service,
						rs.getString("step"), rs.getString("outcome")) + "; " + last);
				return null;
			})
			.list();
		return reasons;
	}

	/**
	 * The stage an unfinished upload waits on, from its kind and its last step: the service that started a step and
	 * has not ended it; the next one after a step that succeeded (an image's renditions: CRM sync); the first
	 * processing service after ingest's own steps; the client, for a direct upload whose object never came.
	 */
	static String stage(String kind, String service, String step, String outcome) {
		String first = "image".equals(kind) ? PipelineNames.Services.IMAGE_PROCESSING
				: PipelineNames.Services.INVOICE;
		if (service == null || PipelineNames.Services.INGEST.equals(service)) {
			return PipelineNames.Steps.PRESIGNED.equals(step) ? "the client's upload (presigned, no object yet)"
					: first;
		}
		if (PipelineNames.Services.IMAGE_PROCESSING.equals(service) && "SUCCEEDED".equals(outcome)) {
			return PipelineNames.Services.CRM_SYNC;
		}
		return service;
	}

	private double countStuck() {
		return this.jdbc.sql("select count(*) from uploads where stuck_since is not null"
				+ " and status in ('RECEIVED', 'PROCESSING')")
			.query(Long.class)
			.single();
	}

}
