package io.esteira.invoice.imports;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.esteira.invoice.access.CallerScope;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code invoice_imports} table: one row per upload, claimed when an import starts and finished with it. */
@Repository
class InvoiceImportRepository {

	private static final TypeReference<List<ImportError>> ERRORS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	InvoiceImportRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Claims the import of {@code uploadId}'s object at {@code eTag}. A second delivery of the same event finds the
	 * row of the first (waiting for its transaction if it is still running) and gets {@code false}; an object
	 * written again under the same upload (another ETag), or one whose import FAILED (a redrive), is imported again.
	 * @param owner the tenant and customer the object's metadata names (known: the object was read)
	 * @return whether this caller should run the import
	 */
	boolean claim(UUID uploadId, ImportOwner owner, String bucket, String objectKey, String eTag, int run,
			Instant startedAt) {
		return this.jdbc.sql("""
				INSERT INTO invoice_imports (upload_id, tenant, customer_document, bucket, object_key, e_tag, status,
				                             started_at, run)
				VALUES (:uploadId, :tenant, :customerDocument, :bucket, :objectKey, :eTag, 'PROCESSING', :startedAt,
				        :run)
				ON CONFLICT (upload_id) DO UPDATE
				  SET tenant = excluded.tenant, customer_document = excluded.customer_document,
				      bucket = excluded.bucket, object_key = excluded.object_key, e_tag = excluded.e_tag,
				      status = excluded.status, accepted = 0, duplicates = 0, conflicts = 0, rejected = 0,
				      errors = '[]', started_at = excluded.started_at, finished_at = NULL,
				      format = NULL, error_report_key = NULL, parse_store_millis = NULL, total_errors = 0,
				      run = GREATEST(invoice_imports.run, excluded.run)
				  WHERE invoice_imports.e_tag IS DISTINCT FROM excluded.e_tag OR invoice_imports.status = 'FAILED'
				""")
			.param("uploadId", uploadId)
			.param("tenant", owner.tenant())
			.param("customerDocument", owner.customerDocument())
			.param("bucket", bucket)
			.param("objectKey", objectKey)
			.param("eTag", eTag)
			.param("startedAt", utc(startedAt))
			.param("run", Math.max(1, run))
			.update() == 1;
	}

	/**
	 * Takes a redrive's run for an import of {@code uploadId}'s object at {@code eTag} that finished (COMPLETED,
	 * COMPLETED_WITH_ERRORS, REJECTED) in an earlier run, so that its outcome is reported once for the new run.
	 * @return whether this caller should report it again
	 */
	boolean takeRun(UUID uploadId, String eTag, int run) {
		return this.jdbc.sql("""
				UPDATE invoice_imports SET run = :run
				WHERE upload_id = :uploadId AND e_tag = :eTag AND run < :run
				  AND status IN ('COMPLETED', 'COMPLETED_WITH_ERRORS', 'REJECTED')
				""")
			.param("run", run)
			.param("uploadId", uploadId)
			.param("eTag", eTag)
			.update() == 1;
	}

	/**
	 * Records the import of {@code uploadId}'s object at {@code eTag} as FAILED with {@code reason}, unless that
	 * object version's import finished (COMPLETED, COMPLETED_WITH_ERRORS, REJECTED).
	 * @param owner the tenant and customer the object's metadata names; when {@link ImportOwner#UNKNOWN} (the metadata
	 * could not be read) a recorded import keeps its owner, and a new one is {@link ImportOwner#UNKNOWN_TENANT}'s
	 * (visible to admins only) rather than another tenant's
	 * @return whether it was recorded
	 */
	boolean fail(UUID uploadId, ImportOwner owner, String bucket, String objectKey, String eTag, String reason,
			Instant failedAt) {
		return this.jdbc.sql("""
				INSERT INTO invoice_imports (upload_id, tenant, customer_document, bucket, object_key, e_tag, status,
				                             errors, total_errors, started_at, finished_at)
				VALUES (:uploadId, COALESCE(CAST(:tenant AS text), :unknownTenant), CAST(:customerDocument AS text),
				        :bucket, :objectKey, :eTag, 'FAILED', CAST(:errors AS jsonb), 1, :failedAt, :failedAt)
				ON CONFLICT (upload_id) DO UPDATE
				  SET tenant = COALESCE(CAST(:tenant AS text), invoice_imports.tenant),
				      customer_document = CASE WHEN CAST(:tenant AS text) IS NULL THEN invoice_imports.customer_document
				                               ELSE excluded.customer_document END,
				      bucket = excluded.bucket, object_key = excluded.object_key, e_tag = excluded.e_tag,
				      status = 'FAILED', accepted = 0, duplicates = 0, conflicts = 0, rejected = 0,
				      errors = excluded.errors, total_errors = 1, finished_at = excluded.finished_at,
				      format = NULL, error_report_key = NULL, parse_store_millis = NULL
				  WHERE invoice_imports.e_tag IS DISTINCT FROM excluded.e_tag OR invoice_imports.status = 'FAILED'
				""")
			.param("uploadId", uploadId)
			.param("bucket", bucket)
			.param("objectKey", objectKey)
			.param("eTag", eTag)
			.param("tenant", owner.tenant())
			.param("unknownTenant", ImportOwner.UNKNOWN_TENANT)
			.param("customerDocument", owner.customerDocument())
			.param("errors", this.json.writeValueAsString(List.of(ImportError.of(null, null, null, reason))))
			.param("failedAt", utc(failedAt))
			.update() == 1;
	}

	void finish(UUID uploadId, String status, ImportTally tally, String format, String errorReportKey,
			long durationMillis, Instant finishedAt) {
		this.jdbc.sql("""
				UPDATE invoice_imports
				SET status = :status, accepted = :accepted, duplicates = :duplicates, conflicts = :conflicts,
				    rejected = :rejected, errors = CAST(:errors AS jsonb), finished_at = :finishedAt,
				    format = :format, error_report_key = :errorReportKey, parse_store_millis = :durationMillis,
				    total_errors = :totalErrors
				WHERE upload_id = :uploadId
				""")
			.param("format", format)
			.param("errorReportKey", errorReportKey)
			.param("durationMillis", durationMillis)
			.param("totalErrors", tally.totalErrors())
			.param("status", status)
			.param("accepted", tally.accepted())
			.param("duplicates", tally.duplicates())
			.param("conflicts", tally.conflicts())
			.param("rejected", tally.rejected())
			.param("errors", this.json.writeValueAsString(tally.errors()))
			.param("finishedAt", utc(finishedAt))
			.param("uploadId", uploadId)
			.update();
	}

	/**
	 * The import of {@code uploadId}, if the caller may see it: in its scope's tenant and, for a customer-scoped
	 * caller, made for its customer ({@code customer_document}).
	 */
	Optional<ImportSummary> find(CallerScope scope, UUID uploadId) {
		List<String> conditions = new ArrayList<>(List.of("upload_id = :uploadId"));
		Map<String, Object> params = new HashMap<>(Map.of("uploadId", uploadId));
		scope.addConditions(conditions, params, "customer_document");
		return this.jdbc.sql("""
				SELECT upload_id, bucket, object_key, e_tag, status, accepted, duplicates, conflicts, rejected,
				       errors::text AS errors, started_at, finished_at,
				       format, error_report_key, parse_store_millis, total_errors
				FROM invoice_imports
				WHERE\s""" + String.join(" AND ", conditions)).params(params).query(this::summary).optional();
	}

	private ImportSummary summary(ResultSet row, int rowNum) throws SQLException {
		return new ImportSummary(row.getObject("upload_id", UUID.class), row.getString("bucket"),
				row.getString("object_key"), row.getString("e_tag"), row.getString("status"), row.getInt("accepted"),
				row.getInt("duplicates"), row.getInt("conflicts"), row.getInt("rejected"),
				row.getLong("total_errors"), this.json.readValue(row.getString("errors"), ERRORS),
				row.getString("format"), row.getString("error_report_key"),
				(Long) row.getObject("parse_store_millis"), instant(row, "started_at"), instant(row, "finished_at"));
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
