package io.esteira.ingest.upload.query;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.CustomerPhones;
import io.esteira.ingest.upload.InvalidUploadException;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.UploadNotFoundException;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.ingest.upload.timeline.UploadTimeline;
import io.esteira.platform.security.EsteiraPrincipal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds one upload with its timeline, and lists uploads newest first with keyset paging on
 * {@code (created_at, id)}: a page costs the same at any depth and uploads arriving meanwhile neither repeat nor skip
 * entries. The cursor is opaque to clients (base64url of the last entry's creation time and id).
 */
@Component
class UploadSearch {

	/** A customer filter written like a phone number: matched by its digits against the phones' digits. */
	private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ().-]{6,30}[0-9]");

	private final JdbcClient jdbc;

	private final UploadRepository uploads;

	private final UploadTimeline timeline;

	private final IngestProperties.Listing settings;

	UploadSearch(JdbcClient jdbc, UploadRepository uploads, UploadTimeline timeline, IngestProperties properties) {
		this.jdbc = jdbc;
		this.uploads = uploads;
		this.timeline = timeline;
		this.settings = properties.listing();
	}

	/**
	 * @throws UploadNotFoundException if there is no such upload, or the caller may not see it (another tenant's,
	 * another customer's): the same answer
	 */
	@Transactional(readOnly = true)
	UploadView find(UUID id, EsteiraPrincipal caller) {
		Upload upload = this.uploads.findById(id)
			.filter((found) -> found.isVisibleTo(caller))
			.orElseThrow(() -> new UploadNotFoundException(id));
		return UploadView.of(upload, this.timeline.stepsOf(id));
	}

	/**
	 * Filters; each {@code null} means any.
	 *
	 * @param customer matches the customer e-mail (ignoring case), phone (by its digits, when written like a phone
	 * number), CRM contact id, external reference or customer document (with or without punctuation)
	 * @param from created at or after
	 * @param to created before
	 * @param tenant only this tenant's (an admin's filter; other callers see their own tenant's only anyway)
	 */
	record Filter(UploadStatus status, UploadKind kind, String customer, Instant from, Instant to, String tenant) {
	}

	/**
	 * The page of uploads the caller may see: its tenant's (every tenant's for an admin), and only its customer's
	 * for a customer-scoped caller.
	 */
	@Transactional(readOnly = true)
	UploadPage search(Filter filter, EsteiraPrincipal caller, String cursor, Integer limit) {
		int size = (limit != null) ? limit : this.settings.defaultLimit();
		if (size < 1 || size > this.settings.maxLimit()) {
			throw new InvalidUploadException("limit: must be between 1 and " + this.settings.maxLimit() + ".");
		}
		StringBuilder sql = new StringBuilder("""
				select id, tenant, kind, status, original_filename, content_type, size_bytes, customer_email,
				       customer_phone, crm_contact_id, external_ref, stuck_since, stuck_reason, erased_at, created_at,
				       updated_at
				from uploads where true""");
		Map<String, Object> params = new LinkedHashMap<>();
		if (!caller.isAdmin()) {
			sql.append(" and tenant = :callerTenant");
			params.put("callerTenant", caller.tenantId());
		}
		if (caller.isCustomerScoped()) {
			sql.append(" and customer_document = :customerDocument");
			params.put("customerDocument", caller.customerDocument());
		}
		if (filter.tenant() != null && !filter.tenant().isBlank()) {
			sql.append(" and tenant = :tenant");
			params.put("tenant", filter.tenant().strip());
		}
		if (filter.status() != null) {
			sql.append(" and status = :status");
			params.put("status", filter.status().name());
		}
		if (filter.kind() != null) {
			sql.append(" and kind = :kind");
			params.put("kind", filter.kind().value());
		}
		if (filter.customer() != null && !filter.customer().isBlank()) {
			// Each alternative is one of V9's indexes (a BitmapOr): the same expressions, or they would not be used.
			String customer = filter.customer().strip();
			sql.append(" and (lower(customer_email) = lower(:customer) or crm_contact_id = :customer"
					+ " or external_ref = :customer or customer_document = :customerDocument");
			if (PHONE.matcher(customer).matches()) {
				sql.append(" or " + CustomerPhones.DIGITS_SQL + " = :customerDigits");
				params.put("customerDigits", CustomerPhones.digits(customer));
			}
			sql.append(")");
			params.put("customer", customer);
			params.put("customerDocument", UploadMetadata.normalizeDocument(customer));
		}
		if (filter.from() != null) {
			sql.append(" and created_at >= :from");
			params.put("from", utc(filter.from()));
		}
		if (filter.to() != null) {
			sql.append(" and created_at < :to");
			params.put("to", utc(filter.to()));
		}
		if (cursor != null && !cursor.isBlank()) {
			Position after = Position.decode(cursor);
			sql.append(" and (created_at, id) < (:afterCreatedAt, :afterId)");
			params.put("afterCreatedAt", utc(after.createdAt()));
			params.put("afterId", after.id());
		}
		sql.append(" order by created_at desc, id desc limit :limit");
		params.put("limit", size + 1);
		List<UploadPage.Summary> rows = this.jdbc.sql(sql.toString()).params(params).query(UploadSearch::summary).list();
		if (rows.size() <= size) {
			return new UploadPage(rows, null);
		}
		List<UploadPage.Summary> page = rows.subList(0, size);
		UploadPage.Summary last = page.get(size - 1);
		return new UploadPage(List.copyOf(page), new Position(last.createdAt(), last.id()).encode());
	}

	private static UploadPage.Summary summary(ResultSet rs, int row) throws SQLException {
		return new UploadPage.Summary(rs.getObject("id", UUID.class), rs.getString("tenant"), rs.getString("kind"),
				UploadStatus.valueOf(rs.getString("status")), rs.getString("original_filename"),
				rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("customer_email"),
				rs.getString("customer_phone"), rs.getString("crm_contact_id"), rs.getString("external_ref"),
				instant(rs, "stuck_since"), rs.getString("stuck_reason"), instant(rs, "erased_at"),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** Where a page ended. */
	record Position(Instant createdAt, UUID id) {

		String encode() {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString((this.createdAt + "|" + this.id).getBytes(StandardCharsets.UTF_8));
		}

		static Position decode(String cursor) {
			try {
				String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8)
					.split("\\|", -1);
				if (parts.length != 2) {
					throw new IllegalArgumentException("two parts expected");
				}
				return new Position(Instant.parse(parts[0]), UUID.fromString(parts[1]));
			}
			catch (IllegalArgumentException | DateTimeParseException ex) {
				throw new InvalidUploadException("cursor: not a cursor from a previous page.");
			}
		}

	}

}
