package io.esteira.invoice.imports;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes parsed invoices to {@code invoices} exactly once: one {@code INSERT ... ON CONFLICT DO NOTHING} per batch
 * (the rows travel as arrays, so the statement text never changes), then one query for the rows that were already
 * there to tell duplicates (same content) from conflicts (same natural key, other content). The natural key is the
 * NF-e access key when there is one, and always (issuer, series, number): the access key embeds the issuer, series
 * and number, and the validator made them agree. A stored invoice is never overwritten. While an import finds more
 * stored invoices than new ones (a file imported again), each batch is looked up first and only the missing invoices
 * are inserted. While an import has found nothing stored (a new file), each batch is first tried as a plain
 * {@code COPY} inside a savepoint: it is all new or it fails on a unique constraint, is rolled back to the savepoint and
 * goes the {@code INSERT ... ON CONFLICT} way; the constraints, not the path, make the rows unique.
 */
@Component
class InvoiceBatchWriter {

	private static final String INSERT = """
			INSERT INTO invoices (issuer_key, series, number, customer, customer_document, amount, currency,
			                      issue_date, due_date, access_key, authorization_status, items, upload_id, created_at,
			                      tenant)
			SELECT r.issuer_key, r.series, r.number, r.customer, r.customer_document, r.amount::numeric(15, 2),
			       r.currency, r.issue_date::date, r.due_date::date, r.access_key, r.authorization_status,
			       r.items::jsonb, ?, ?, ?
			FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
			            ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
			     AS r(issuer_key, series, number, customer, customer_document, amount, currency, issue_date, due_date,
			          access_key, authorization_status, items, ord)
			ORDER BY r.ord
			ON CONFLICT DO NOTHING
			RETURNING issuer_key, series, number
			""";

	private static final String COPY = """
			COPY invoices (issuer_key, series, number, customer, customer_document, amount, currency, issue_date,
			               due_date, access_key, authorization_status, items, upload_id, created_at, tenant) FROM STDIN
			""";

	/** PostgreSQL's unique_violation. */
	private static final String UNIQUE_VIOLATION = "23505";

	/** A join from the keys, so each key is one lookup in the unique index (an IN over a subquery scanned). */
	private static final String SELECT_STORED = """
			SELECT i.issuer_key, i.series, i.number, i.customer, i.customer_document, i.amount, i.currency,
			       i.issue_date, i.due_date, i.access_key
			FROM unnest(?::text[], ?::text[], ?::text[]) AS k(issuer_key, series, number)
			JOIN invoices i ON i.tenant = ? AND i.issuer_key = k.issuer_key AND i.series = k.series
			                   AND i.number = k.number
			""";

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	InvoiceBatchWriter(JdbcTemplate jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Stores a batch in {@code tenant} and counts each invoice as accepted, duplicate or conflict. Invoices are unique
	 * per tenant: another tenant's invoices are never compared, counted or reported.
	 * @param defaultIssuer the issuer of invoices that name none
	 */
	void write(List<ParsedRecord.Valid> batch, String defaultIssuer, String tenant, UUID uploadId, Instant createdAt,
			ImportTally tally) {
		if (batch.isEmpty()) {
			return;
		}
		Function<ParsedRecord.Valid, String> issuer = (invoice) -> Objects.requireNonNullElse(invoice.issuerDocument(),
				defaultIssuer);
		// A key repeated inside the batch is compared with its first occurrence after the insert.
		Map<Key, ParsedRecord.Valid> firsts = new LinkedHashMap<>();
		List<ParsedRecord.Valid> alreadyStored = new ArrayList<>();
		for (ParsedRecord.Valid invoice : batch) {
			if (firsts.putIfAbsent(Key.of(invoice, issuer), invoice) != null) {
				alreadyStored.add(invoice);
			}
		}
		// Mostly stored already so far (a file imported again): look the batch up first and insert only what is
		// missing, instead of letting every row's insert run into its conflict and then looking it up anyway.
		Map<Key, Stored> stored = new HashMap<>();
		List<ParsedRecord.Valid> candidates = List.copyOf(firsts.values());
		if (tally.duplicates() + tally.conflicts() > tally.accepted()) {
			stored.putAll(stored(candidates, issuer, tenant));
			candidates = candidates.stream().filter((invoice) -> !stored.containsKey(Key.of(invoice, issuer))).toList();
		}
		Set<Key> inserted;
		if (candidates.isEmpty()) {
			inserted = Set.of();
		}
		else if (tally.duplicates() + tally.conflicts() == 0 && copy(candidates, issuer, tenant, uploadId, createdAt)) {
			// All of the candidates were stored.
			inserted = candidates.stream().map((invoice) -> Key.of(invoice, issuer)).collect(Collectors.toSet());
		}
		else {
			inserted = insert(candidates, issuer, tenant, uploadId, createdAt);
		}
		firsts.forEach((key, invoice) -> {
			if (inserted.contains(key)) {
				tally.countAccepted();
			}
			else {
				alreadyStored.add(invoice);
			}
		});
		if (alreadyStored.isEmpty()) {
			return;
		}
		List<ParsedRecord.Valid> unknown = alreadyStored.stream()
			.filter((invoice) -> !stored.containsKey(Key.of(invoice, issuer)))
			.toList();
		if (!unknown.isEmpty()) {
			stored.putAll(stored(unknown, issuer, tenant));
		}
		// File order, so that the error report lists conflicts as the file has them.
		alreadyStored.sort(Comparator.comparingInt(ParsedRecord.Valid::index));
		for (ParsedRecord.Valid invoice : alreadyStored) {
			Stored existing = stored.get(Key.of(invoice, issuer));
			if (existing != null && existing.sameContentAs(invoice)) {
				tally.countDuplicate();
			}
			else {
				// Not found under its key: its access key is taken by an invoice with another key.
				tally.countConflict(invoice);
			}
		}
	}

	private Set<Key> insert(List<ParsedRecord.Valid> invoices, Function<ParsedRecord.Valid, String> issuer,
			String tenant, UUID uploadId, Instant createdAt) {
		Set<Key> inserted = new HashSet<>();
		this.jdbc.query((connection) -> {
			PreparedStatement statement = connection.prepareStatement(INSERT);
			statement.setObject(1, uploadId);
			statement.setObject(2, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
			statement.setString(3, tenant);
			setColumn(connection, statement, 4, invoices, issuer);
			setColumn(connection, statement, 5, invoices, ParsedRecord.Valid::series);
			setColumn(connection, statement, 6, invoices, ParsedRecord.Valid::number);
			setColumn(connection, statement, 7, invoices, ParsedRecord.Valid::customer);
			setColumn(connection, statement, 8, invoices, ParsedRecord.Valid::customerDocument);
			setColumn(connection, statement, 9, invoices, (invoice) -> invoice.amount().toPlainString());
			setColumn(connection, statement, 10, invoices, ParsedRecord.Valid::currency);
			setColumn(connection, statement, 11, invoices, (invoice) -> invoice.issueDate().toString());
			setColumn(connection, statement, 12, invoices,
					(invoice) -> (invoice.dueDate() != null) ? invoice.dueDate().toString() : null);
			setColumn(connection, statement, 13, invoices, ParsedRecord.Valid::accessKey);
			setColumn(connection, statement, 14, invoices, ParsedRecord.Valid::authorizationStatus);
			setColumn(connection, statement, 15, invoices,
					(invoice) -> invoice.items().isEmpty() ? "[]" : this.json.writeValueAsString(invoice.items()));
			return statement;
		}, (row) -> {
			inserted.add(new Key(row.getString("issuer_key"), row.getString("series"), row.getString("number")));
		});
		return inserted;
	}

	/**
	 * Copies the invoices into {@code invoices} if none of them is stored yet.
	 * @return {@code false}, with nothing written, when one of them breaks a unique constraint
	 */
	private boolean copy(List<ParsedRecord.Valid> invoices, Function<ParsedRecord.Valid, String> issuer,
			String tenant, UUID uploadId, Instant createdAt) {
		StringBuilder rows = new StringBuilder(invoices.size() * 160);
		String upload = uploadId.toString();
		String created = OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC).toString();
		for (ParsedRecord.Valid invoice : invoices) {
			field(rows, issuer.apply(invoice)).append('\t');
			field(rows, invoice.series()).append('\t');
			field(rows, invoice.number()).append('\t');
			field(rows, invoice.customer()).append('\t');
			field(rows, invoice.customerDocument()).append('\t');
			rows.append(invoice.amount().toPlainString()).append('\t');
			field(rows, invoice.currency()).append('\t');
			rows.append(invoice.issueDate()).append('\t');
			field(rows, (invoice.dueDate() != null) ? invoice.dueDate().toString() : null).append('\t');
			field(rows, invoice.accessKey()).append('\t');
			field(rows, invoice.authorizationStatus()).append('\t');
			field(rows, invoice.items().isEmpty() ? "[]" : this.json.writeValueAsString(invoice.items())).append('\t');
			rows.append(upload).append('\t').append(created).append('\t');
			field(rows, tenant).append('\n');
		}
		Boolean copied = this.jdbc.execute((ConnectionCallback<Boolean>) (connection) -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SAVEPOINT invoice_batch");
			}
			try {
				connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(rows.toString()));
				try (Statement statement = connection.createStatement()) {
					statement.execute("RELEASE SAVEPOINT invoice_batch");
				}
				return true;
			}
			catch (SQLException ex) {
				if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
					throw ex;
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("ROLLBACK TO SAVEPOINT invoice_batch");
					statement.execute("RELEASE SAVEPOINT invoice_batch");
				}
				return false;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		return Boolean.TRUE.equals(copied);
	}

	/** A field in COPY's text format: {@code \N} for null; backslash, tab, newline and carriage return escaped. */
	private static StringBuilder field(StringBuilder row, String value) {
		if (value == null) {
			return row.append("\\N");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> row.append("\\\\");
				case '\t' -> row.append("\\t");
				case '\n' -> row.append("\\n");
				case '\r' -> row.append("\\r");
				default -> row.append(c);
			}
		}
		return row;
	}

	private Map<Key, Stored> stored(List<ParsedRecord.Valid> invoices, Function<ParsedRecord.Valid, String> issuer,
			String tenant) {
		Map<Key, Stored> stored = new HashMap<>();
		this.jdbc.query((connection) -> {
			PreparedStatement statement = connection.prepareStatement(SELECT_STORED);
			setColumn(connection, statement, 1, invoices, issuer);
			setColumn(connection, statement, 2, invoices, ParsedRecord.Valid::series);
			setColumn(connection, statement, 3, invoices, ParsedRecord.Valid::number);
			statement.setString(4, tenant);
			return statement;
		}, (row) -> {
			stored.put(new Key(row.getString("issuer_key"), row.getString("series"), row.getString("number")),
					new Stored(row.getString("customer"), row.getString("customer_document"),
							row.getBigDecimal("amount"), row.getString("currency"),
							row.getObject("issue_date", LocalDate.class), row.getObject("due_date", LocalDate.class),
							row.getString("access_key")));
		});
		return stored;
	}

	private static void setColumn(Connection connection, PreparedStatement statement, int index,
			List<ParsedRecord.Valid> invoices, Function<ParsedRecord.Valid, String> column) throws SQLException {
		statement.setArray(index, connection.createArrayOf("text", invoices.stream().map(column).toArray()));
	}

	/** The natural key: issuer (document or the default issuer), series, number. */
	private record Key(String issuer, String series, String number) {

		static Key of(ParsedRecord.Valid invoice, Function<ParsedRecord.Valid, String> issuer) {
			return new Key(issuer.apply(invoice), invoice.series(), invoice.number());
		}

	}

	/** What is compared to tell a duplicate from a conflict. */
	private record Stored(String customer, String customerDocument, BigDecimal amount, String currency,
			LocalDate issueDate, LocalDate dueDate, String accessKey) {

		boolean sameContentAs(ParsedRecord.Valid invoice) {
			return this.customer.equals(invoice.customer())
					&& Objects.equals(this.customerDocument, invoice.customerDocument())
					&& this.amount.compareTo(invoice.amount()) == 0 && this.currency.equals(invoice.currency())
					&& Objects.equals(this.issueDate, invoice.issueDate())
					&& Objects.equals(this.dueDate, invoice.dueDate())
					&& Objects.equals(this.accessKey, invoice.accessKey());
		}

	}

}
