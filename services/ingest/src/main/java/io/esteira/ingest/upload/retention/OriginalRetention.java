package io.esteira.ingest.upload.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.esteira.contracts.event.StepOutcome;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.ObjectsDeletionRequested;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes originals whose retention period ended ({@code esteira.ingest.retention.image-originals}, default 180 days;
 * {@code invoice-originals}, default 1830 days): in small batches, each one transaction that marks the rows
 * ({@code original_deleted_at}), clears the customer's contact data (e-mail, phone, CRM contact id; an image's
 * customer document too — an invoice's stays with its fiscal records), records a step
 * {@code ingest/original-expired} and puts the deletion of the originals into the outbox
 * ({@link ObjectsDeletionRequested}), so the objects go after the commit and again after a failure. Safe on several
 * replicas: rows are claimed with {@code FOR UPDATE SKIP LOCKED} and the update only takes rows not marked yet. The
 * S3 lifecycle rule deletes the same objects on AWS; deleting again is harmless. Renditions stay, and so do the
 * permalinks; a retry of such an upload is refused ({@code original-expired}).
 */
@Component
class OriginalRetention {

	/** The step that marks the deletion on the timeline. */
	static final String ORIGINAL_EXPIRED = "original-expired";

	/** At most this many batches per run; the next run goes on. */
	private static final int MAX_BATCHES = 100;

	private static final Logger logger = LoggerFactory.getLogger(OriginalRetention.class);

	private final JdbcClient jdbc;

	private final UploadTimeline timeline;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final IngestProperties.Retention settings;

	private final Clock clock;

	OriginalRetention(JdbcClient jdbc, UploadTimeline timeline, ApplicationEventPublisher events,
			PlatformTransactionManager transactionManager, IngestProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.timeline = timeline;
		this.events = events;
		this.transaction = new TransactionTemplate(transactionManager);
		this.settings = properties.retention();
		this.clock = clock;
	}

	private record Expired(UUID id, String bucket, String objectKey) {
	}

	@Scheduled(initialDelayString = "${esteira.ingest.retention.interval:1h}",
			fixedDelayString = "${esteira.ingest.retention.interval:1h}")
	void scheduled() {
		if (this.settings.enabled()) {
			expireOriginals();
		}
	}

	/** @return how many originals were expired in this run */
	int expireOriginals() {
		int expired = 0;
		for (int batch = 0; batch < MAX_BATCHES; batch++) {
			Integer count = this.transaction.execute((status) -> expireBatch());
			expired += count;
			if (count < this.settings.batchSize()) {
				break;
			}
		}
		if (expired > 0) {
			logger.info("Retention: {} originals expired", expired);
		}
		return expired;
	}

	private int expireBatch() {
		Instant now = this.clock.instant();
		List<Expired> expired = this.jdbc.sql("""
				update uploads set original_deleted_at = :now, customer_email = null, customer_phone = null,
				       crm_contact_id = null,
				       customer_document = case when kind = 'image' then null else customer_document end,
				       version = version + 1
				where id in (select id from uploads
				             where original_deleted_at is null
				               and ((kind = 'image' and created_at < :imageCutoff)
				                 or (kind = 'invoice' and created_at < :invoiceCutoff))
				             order by created_at limit :batch for update skip locked)
				  and original_deleted_at is null
				returning id, bucket, object_key""")
			.param("now", now.atOffset(ZoneOffset.UTC))
			.param("imageCutoff", now.minus(this.settings.imageOriginals()).atOffset(ZoneOffset.UTC))
			.param("invoiceCutoff", now.minus(this.settings.invoiceOriginals()).atOffset(ZoneOffset.UTC))
			.param("batch", this.settings.batchSize())
			.query((rs, row) -> new Expired(rs.getObject("id", UUID.class), rs.getString("bucket"),
					rs.getString("object_key")))
			.list();
		for (Expired upload : expired) {
			this.timeline.recordOwnStep(upload.id(), ORIGINAL_EXPIRED, StepOutcome.SUCCEEDED,
					"original deleted: its retention period ended; contact data cleared, renditions kept");
			this.events.publishEvent(
					new ObjectsDeletionRequested(upload.id(), upload.bucket(), upload.objectKey(), List.of()));
		}
		return expired.size();
	}

}
