package io.esteira.invoice.imports;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes parsed invoices to {@code invoices} exactly once: one {@code INSERT ... ON CONFLICT DO NOTHING} per batch
 * (the rows travel as arrays, so the statement text never changes), then one query for the rows that were already
 * there to tell duplicates (same content) from conflicts (same series and number, other content). A stored invoice
 * is never overwritten.
 */
@Component
class InvoiceBatchWriter {

	private static final String INSERT = """
			INSERT INTO invoices (issuer_key, series, number, customer, amount, currency, issue_date, upload_id,
			                      created_at)
			SELECT ?, r.series, r.number, r.customer, r.amount::numeric(15, 2), r.currency, r.issue_date::date, ?, ?
			FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
			     AS r(series, number, customer, amount, currency, issue_date, ord)
			ORDER BY r.ord
			ON CONFLICT (issuer_key, series, number) DO NOTHING
			RETURNING series, number
			""";

	private static final String SELECT_STORED = """
			SELECT series, number, customer, amount, currency, issue_date
			FROM invoices
			WHERE issuer_key = ?
			  AND (series, number) IN (SELECT k.series, k.number FROM unnest(?::text[], ?::text[]) AS k(series, number))
			""";

	private final JdbcTemplate jdbc;

	InvoiceBatchWriter(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Stores a batch and counts each invoice as accepted, duplicate or conflict. */
	void write(List<ParsedRecord.Valid> batch, String issuerKey, UUID uploadId, Instant createdAt, ImportTally tally) {
		if (batch.isEmpty()) {
			return;
		}
		// A number repeated inside the batch is compared with its first occurrence after the insert.
		Map<Key, ParsedRecord.Valid> firsts = new LinkedHashMap<>();
		List<ParsedRecord.Valid> alreadyStored = new ArrayList<>();
		for (ParsedRecord.Valid invoice : batch) {
			if (firsts.putIfAbsent(Key.of(invoice), invoice) != null) {
				alreadyStored.add(invoice);
			}
		}
		Set<Key> inserted = insert(List.copyOf(firsts.values()), issuerKey, uploadId, createdAt);
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
		Map<Key, Stored> stored = stored(alreadyStored, issuerKey);
		for (ParsedRecord.Valid invoice : alreadyStored) {
			Stored existing = stored.get(Key.of(invoice));
			if (existing == null) {
				throw new IllegalStateException("Invoice series " + invoice.series() + " number " + invoice.number()
						+ " was neither inserted nor found");
			}
			if (existing.sameContentAs(invoice)) {
				tally.countDuplicate();
			}
			else {
				tally.countConflict(invoice);
			}
		}
	}

	private Set<Key> insert(List<ParsedRecord.Valid> invoices, String issuerKey, UUID uploadId, Instant createdAt) {
		Set<Key> inserted = new HashSet<>();
		this.jdbc.query((connection) -> {
			PreparedStatement statement = connection.prepareStatement(INSERT);
			statement.setString(1, issuerKey);
			statement.setObject(2, uploadId);
			statement.setObject(3, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
			setColumn(connection, statement, 4, invoices, ParsedRecord.Valid::series);
			setColumn(connection, statement, 5, invoices, ParsedRecord.Valid::number);
			setColumn(connection, statement, 6, invoices, ParsedRecord.Valid::customer);
			setColumn(connection, statement, 7, invoices, (invoice) -> invoice.amount().toPlainString());
			setColumn(connection, statement, 8, invoices, ParsedRecord.Valid::currency);
			setColumn(connection, statement, 9, invoices, (invoice) -> invoice.issueDate().toString());
			return statement;
		}, (row) -> {
			inserted.add(new Key(row.getString("series"), row.getString("number")));
		});
		return inserted;
	}

	private Map<Key, Stored> stored(List<ParsedRecord.Valid> invoices, String issuerKey) {
		Map<Key, Stored> stored = new HashMap<>();
		this.jdbc.query((connection) -> {
			PreparedStatement statement = connection.prepareStatement(SELECT_STORED);
			statement.setString(1, issuerKey);
			setColumn(connection, statement, 2, invoices, ParsedRecord.Valid::series);
			setColumn(connection, statement, 3, invoices, ParsedRecord.Valid::number);
			return statement;
		}, (row) -> {
			stored.put(new Key(row.getString("series"), row.getString("number")),
					new Stored(row.getString("customer"), row.getBigDecimal("amount"), row.getString("currency"),
							row.getObject("issue_date", LocalDate.class)));
		});
		return stored;
	}

	private static void setColumn(Connection connection, PreparedStatement statement, int index,
			List<ParsedRecord.Valid> invoices, Function<ParsedRecord.Valid, String> column) throws SQLException {
		statement.setArray(index, connection.createArrayOf("text", invoices.stream().map(column).toArray()));
	}

	/** The part of the uniqueness key that varies between invoices of one issuer. */
	private record Key(String series, String number) {

		static Key of(ParsedRecord.Valid invoice) {
			return new Key(invoice.series(), invoice.number());
		}

	}

	/** What is compared to tell a duplicate from a conflict. */
	private record Stored(String customer, BigDecimal amount, String currency, LocalDate issueDate) {

		boolean sameContentAs(ParsedRecord.Valid invoice) {
			return this.customer.equals(invoice.customer()) && this.amount.compareTo(invoice.amount()) == 0
					&& this.currency.equals(invoice.currency()) && Objects.equals(this.issueDate, invoice.issueDate());
		}

	}

}
