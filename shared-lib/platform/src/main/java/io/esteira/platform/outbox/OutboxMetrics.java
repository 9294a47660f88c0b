package io.esteira.platform.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.JdbcOperations;

/**
 * The outbox's backlog, for an alert: {@code esteira.outbox.incomplete} (publications not completed: in flight,
 * failed, or waiting for their next attempt) and {@code esteira.outbox.oldest.age} (seconds since the oldest of them
 * was published; 0 when there is none). Both are read from the service's {@code event_publication} table when
 * scraped; the table is indexed on {@code completion_date}.
 */
public class OutboxMetrics implements MeterBinder {

	private static final String INCOMPLETE = "SELECT count(*) FROM event_publication WHERE completion_date IS NULL";

	private static final String OLDEST = "SELECT min(publication_date) FROM event_publication WHERE completion_date IS NULL";

	private final JdbcOperations jdbc;

	private final Clock clock;

	public OutboxMetrics(JdbcOperations jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("esteira.outbox.incomplete", this, OutboxMetrics::incomplete)
			.description("Outbox publications not completed yet")
			.register(registry);
		Gauge.builder("esteira.outbox.oldest.age", this, OutboxMetrics::oldestAgeSeconds)
			.description("Age of the oldest outbox publication not completed yet")
			.baseUnit("seconds")
			.register(registry);
	}

	double incomplete() {
		Long count = this.jdbc.queryForObject(INCOMPLETE, Long.class);
		return (count != null) ? count : 0;
	}

	double oldestAgeSeconds() {
		Timestamp oldest = this.jdbc.queryForObject(OLDEST, Timestamp.class);
		if (oldest == null) {
			return 0;
		}
		return Math.max(0, Duration.between(oldest.toInstant(), this.clock.instant()).toMillis() / 1000.0);
	}

}
