package io.esteira.invoice.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import io.esteira.invoice.access.CallerScope;
import io.esteira.invoice.config.InvoiceProperties;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.contracts.event.PipelineNames;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.platform.observability.PipelineTracing;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports one invoice file, in one transaction: claims the upload's import (a redelivered event finds it claimed and
 * does nothing), streams the object from S3 through the parser, stores each valid invoice once, records the summary
 * and publishes the status steps through the outbox ({@code processing}, then {@code invoice-import}).
 * <p>
 * Bad files are permanent errors: they end as REJECTED, never thrown, and always with an error report in the output
 * bucket (at least one error names the whole file); a file beyond one of the limits ({@code esteira.invoices.limits.*})
 * is one, with the reason {@code limit_exceeded: <what> (<setting>)}. Anything else (S3 or the database
 * unavailable) is thrown, so the message comes back and, after its last attempt, goes to the dead-letter queue.
 */
@Service
public class InvoiceImportService {

	static final String SERVICE = PipelineNames.Services.INVOICE;

	static final String IMPORT_STEP = PipelineNames.Steps.INVOICE_IMPORT;

	static final String UNSUPPORTED_FORMAT = "unsupported_format";

	static final String NO_VALID_INVOICES = "no valid invoices";

	static final String ALL_OR_NOTHING = "all_or_nothing";

	static final String LIMIT_EXCEEDED = "limit_exceeded";

	private static final Logger logger = LoggerFactory.getLogger(InvoiceImportService.class);

	private final S3Client s3;

	private final InvoiceFileParser parser;

	private final InvoiceBatchWriter writer;

	private final InvoiceImportRepository imports;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final InvoiceProperties properties;

	private final EsteiraAwsProperties aws;

	private final Clock clock;

	private final ImportMetrics metrics;

	private final PipelineTracing tracing;

	InvoiceImportService(S3Client s3, InvoiceFileParser parser, InvoiceBatchWriter writer,
			InvoiceImportRepository imports, JdbcClient jdbc, ApplicationEventPublisher events,
			InvoiceProperties properties, EsteiraAwsProperties aws, Clock clock, ImportMetrics metrics,
			PipelineTracing tracing) {
		this.metrics = metrics;
		this.tracing = tracing;
		this.aws = aws;
		this.s3 = s3;
		this.parser = parser;
		this.writer = writer;
		this.imports = imports;
		this.jdbc = jdbc;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	/** Imports the object an {@code ObjectCreated} event announces, unless this object version was imported. */
	@Transactional
	public void importObject(S3ObjectEvent event) {
		importObject(event, 1);
	}

	/**
	 * Imports the object an {@code ObjectCreated} event announces, unless this object version was imported (or its
	 * import FAILED: then it runs again, e.g. for a redrive).
	 * @param attempt the delivery's attempt number (1-based), put on the status events
	 */
	@Transactional
	public void importObject(S3ObjectEvent event, int attempt) {
		importObject(event, attempt, 0);
	}

	/**
	 * Imports the object an {@code ObjectCreated} event announces, which may be a redrive's ({@code POST
	 * /api/uploads/{id}/retry}): an import of this object version that FAILED runs again; one that finished is not
	 * run again, its outcome is reported again for the new run (once).
	 * @param attempt the delivery's attempt number (1-based), put on the status events
	 * @param redriveRun the run a redrive's notification starts (2 for the first), 0 for S3's own events
	 */
	@Transactional
	public void importObject(S3ObjectEvent event, int attempt, int redriveRun) {
		ResponseInputStream<GetObjectResponse> object;
		try {
			object = this.s3.getObject((request) -> request.bucket(event.bucket()).key(event.key()));
		}
		catch (NoSuchKeyException ex) {
			// Deleted before we got to it: nothing to import, and retrying will not bring it back.
			logger.warn("Invoice file s3://{}/{} no longer exists; event dropped", event.bucket(), event.key());
			return;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() != HttpStatus.BAD_REQUEST.value()) {
				throw ex;
			}
			// S3 refuses the request for this key (one longer than 1024 bytes, say): no retry will change that.
			logger.warn("Invoice file s3://{}/{} cannot be read ({}); event dropped", event.bucket(), event.key(),
					ex.getMessage());
			return;
		}
		try (object) {
			GetObjectResponse response = object.response();
			UUID uploadId = uploadId(event, response);
			ImportOwner owner = ImportOwner.of(response.metadata());
			// The rest of the transaction, and what its outbox sends after the commit, continues the upload's trace.
			this.tracing.continueInTransaction(uploadId, response.metadata(), IMPORT_STEP);
			String eTag = Optional.ofNullable(S3Events.unquoteETag(response.eTag())).orElse(event.eTag());
			Instant startedAt = this.clock.instant();
			if (!this.imports.claim(uploadId, owner, event.bucket(), event.key(), eTag, redriveRun, startedAt)) {
				object.abort();
				if (redriveRun > 1 && this.imports.takeRun(uploadId, eTag, redriveRun)) {
					reportAgain(new Step(uploadId, owner, event, attempt), redriveRun);
					return;
				}
				logger.info("Upload {} (ETag {}) is already imported; redelivered event ignored", uploadId, eTag);
				return;
			}
			Step step = new Step(uploadId, owner, event, attempt);
			// The step's start under its own name: ingest times the step from it and its end.
			publish(step, IMPORT_STEP, StepOutcome.STARTED, UploadStatus.PROCESSING, null);
			ErrorReport report = new ErrorReport(this.properties.errorReport());
			ImportTally tally = new ImportTally(this.properties.maxReportedErrors(), report);
			run(object, step, startedAt, tally, report);
			this.metrics.countAfterCommit(tally);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A redrive of a finished import: its outcome, as recorded, for the new run; nothing is imported again. */
	private void reportAgain(Step step, int run) {
		ImportSummary done = this.imports.find(CallerScope.UNRESTRICTED, step.uploadId()).orElseThrow();
		UploadStatus status = UploadStatus.valueOf(done.status());
		publish(step, IMPORT_STEP, StepOutcome.STARTED, UploadStatus.PROCESSING, null);
		publish(step, IMPORT_STEP, (status == UploadStatus.REJECTED) ? StepOutcome.REJECTED : StepOutcome.SUCCEEDED,
				status, "run " + run + ": imported at " + done.finishedAt() + ", not again (" + done.accepted()
						+ " accepted, " + done.duplicates() + " duplicates, " + done.rejected() + " rejected)");
		logger.info("Upload {}: redrive run {} of a finished import ({}); reported again", step.uploadId(), run,
				status);
	}

	private void run(ResponseInputStream<GetObjectResponse> object, Step step, Instant startedAt, ImportTally tally,
			ErrorReport report) {
		S3ObjectEvent event = step.event();
		UUID uploadId = step.uploadId();
		long started = System.nanoTime();
		// The batch statements are planned afresh each time; LLVM JIT compilation would cost more than it saves.
		this.jdbc.sql("SET LOCAL jit = off").update();
		// JpaTransactionManager offers no savepoints with Hibernate, so the SQL is spelled out: a file that breaks
		// off half-way (or an all-or-nothing feed with an error) must leave none of its invoices behind, while the
		// claim and the status stay.
		this.jdbc.sql("SAVEPOINT invoice_rows").update();
		InvoiceFileParser.Format[] format = new InvoiceFileParser.Format[1];
		try {
			long maxFileSize = this.properties.limits().maxFileSize().toBytes();
			Long size = object.response().contentLength();
			if (size != null && size > maxFileSize) {
				// Refused from its size, unread: an object can reach the bucket without ingest's checks.
				throw InputLimitExceededException.fileSize(maxFileSize);
			}
			store(object, uploadId, step.owner().tenant(), startedAt, tally, (detected) -> format[0] = detected);
		}
		catch (UnsupportedFormatException ex) {
			this.jdbc.sql("ROLLBACK TO SAVEPOINT invoice_rows").update();
			object.abort();
			tally.unreadable(ex.getMessage());
			String reason = (ex instanceof InputLimitExceededException) ? LIMIT_EXCEEDED + ": " + ex.getMessage()
					: UNSUPPORTED_FORMAT;
			finish(step, UploadStatus.REJECTED, StepOutcome.REJECTED, reason, tally, format[0], report, started);
			logger.info("Upload {}: s3://{}/{} rejected: {}", uploadId, event.bucket(), event.key(),
					ex.getMessage());
			return;
		}
		boolean allOrNothing = this.properties.isAllOrNothing(event.key());
		if (allOrNothing && tally.conflicts() + tally.rejected() > 0) {
			this.jdbc.sql("ROLLBACK TO SAVEPOINT invoice_rows").update();
			tally.rolledBack();
			String reason = ALL_OR_NOTHING + ": " + tally.summary() + "; nothing stored";
			tally.fileRejected(reason);
			finish(step, UploadStatus.REJECTED, StepOutcome.REJECTED, reason, tally, format[0], report, started);
			logger.info("Upload {}: all-or-nothing feed s3://{}/{} rejected: {}", uploadId, event.bucket(),
					event.key(), tally.summary());
			return;
		}
		this.jdbc.sql("RELEASE SAVEPOINT invoice_rows").update();
		if (!tally.hasValidInvoices()) {
			tally.fileRejected((tally.rejected() == 0) ? NO_VALID_INVOICES + ": the file holds no invoice record"
					: NO_VALID_INVOICES);
			finish(step, UploadStatus.REJECTED, StepOutcome.REJECTED, NO_VALID_INVOICES, tally, format[0], report,
					started);
		}
		else {
			finish(step, tally.completedStatus(), StepOutcome.SUCCEEDED, tally.summary(), tally, format[0], report,
					started);
		}
		logger.info("Upload {}: s3://{}/{} ({}) imported in {} ms: {}", uploadId, event.bucket(), event.key(),
				format[0], (System.nanoTime() - started) / 1_000_000, tally.summary());
	}

	private void store(ResponseInputStream<GetObjectResponse> object, UUID uploadId, String tenant, Instant createdAt,
			ImportTally tally, Consumer<InvoiceFileParser.Format> detected) {
		int batchSize = this.properties.batchSize();
		String issuerKey = this.properties.issuerKey();
		List<ParsedRecord.Valid> batch = new ArrayList<>(batchSize);
		long[] writeNanos = { 0 };
		long started = System.nanoTime();
		this.parser.parse(object, (record) -> {
			switch (record) {
				case ParsedRecord.Valid invoice -> {
					batch.add(invoice);
					if (batch.size() >= batchSize) {
						long writeStarted = System.nanoTime();
						this.writer.write(batch, issuerKey, tenant, uploadId, createdAt, tally);
						writeNanos[0] += System.nanoTime() - writeStarted;
						batch.clear();
					}
				}
				case ParsedRecord.Rejected rejected -> tally.countRejected(rejected.errors());
			}
		}, detected);
		long writeStarted = System.nanoTime();
		this.writer.write(batch, issuerKey, tenant, uploadId, createdAt, tally);
		writeNanos[0] += System.nanoTime() - writeStarted;
		logger.debug("Upload {}: {} ms reading and validating, {} ms writing", uploadId,
				(System.nanoTime() - started - writeNanos[0]) / 1_000_000, writeNanos[0] / 1_000_000);
	}

	private void finish(Step step, UploadStatus status, StepOutcome outcome, String reason, ImportTally tally,
			InvoiceFileParser.Format format, ErrorReport report, long startedNanos) {
		String reportKey = this.properties.errorReportPrefix() + "/" + step.uploadId() + "/errors.csv";
		if (!report.upload(this.s3, this.aws.outputBucket(), reportKey)) {
			reportKey = null;
		}
		this.imports.finish(step.uploadId(), status.name(), tally, (format != null) ? format.name() : null,
				reportKey, (System.nanoTime() - startedNanos) / 1_000_000, this.clock.instant());
		publish(step, IMPORT_STEP, outcome, status, reason);
	}

	/**
	 * Records that the import of the event's object FAILED for good (its last attempt failed on something other than
	 * the file: S3 or the database unavailable): the import summary says FAILED with the reason, and the step is
	 * published FAILED. Runs in a transaction of its own, after the import's was rolled back. Does nothing when this
	 * object version was already imported (a late duplicate delivery must not turn a finished import into a failed
	 * one).
	 * @return whether the failure was recorded
	 */
	@Transactional
	public boolean fail(S3ObjectEvent event, int attempt, String reason) {
		Step step = stepOf(event, attempt);
		if (!this.imports.fail(step.uploadId(), step.owner(), event.bucket(), event.key(), event.eTag(), reason,
				this.clock.instant())) {
			return false;
		}
		publish(step, IMPORT_STEP, StepOutcome.FAILED, UploadStatus.FAILED, reason);
		return true;
	}

	/**
	 * The upload an event's object belongs to, and its owner, found without reading the object (S3 may be what
	 * failed): from its metadata, else the upload id from the key and the owner {@linkplain ImportOwner#UNKNOWN
	 * unknown}.
	 */
	private Step stepOf(S3ObjectEvent event, int attempt) {
		try {
			HeadObjectResponse head = this.s3.headObject((request) -> request.bucket(event.bucket()).key(event.key()));
			return new Step(UploadMetadata.uploadId(event.bucket(), event.key(), head.metadata()),
					ImportOwner.of(head.metadata()), event, attempt);
		}
		catch (RuntimeException ex) {
			logger.debug("s3://{}/{}: no metadata ({}); upload id from the key", event.bucket(), event.key(),
					ex.toString());
			return new Step(UploadMetadata.uploadIdInKey(event.key())
				.orElseGet(() -> UploadMetadata.nameBasedUploadId(event.bucket(), event.key())), ImportOwner.UNKNOWN,
					event, attempt);
		}
	}

	private void publish(Step step, String name, StepOutcome outcome, UploadStatus status, String reason) {
		// The object rides along so that ingest can register an upload it never received (a file another system
		// dropped into the bucket).
		this.events.publishEvent(UploadStatusEvent
			.of(step.uploadId(), SERVICE, name, outcome, status, reason, this.clock.instant())
			.withAttempt(step.attempt())
			.forObject(step.event().bucket(), step.event().key()));
	}

	/** The upload the object belongs to ({@link UploadMetadata#uploadId}, as every service derives it). */
	private static UUID uploadId(S3ObjectEvent event, GetObjectResponse response) {
		return UploadMetadata.uploadId(event.bucket(), event.key(), response.metadata());
	}

	/** One run of the import step: the upload, its owner, the event that started it and its attempt number. */
	private record Step(UUID uploadId, ImportOwner owner, S3ObjectEvent event, int attempt) {
	}

}
