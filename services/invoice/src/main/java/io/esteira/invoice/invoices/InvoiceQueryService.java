package io.esteira.invoice.invoices;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import io.esteira.invoice.config.InvoiceProperties;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Finds stored invoices; returns views, never entities. */
@Service
@Transactional(readOnly = true)
class InvoiceQueryService {

	/** Newest issue date first, then by number; series and id make the order total, so pages never overlap. */
	static final String ORDER = "issue_date DESC, number, series, id";

	/** The orders {@code sort} may name (a leading {@code -} means descending), and their columns. */
	static final Map<String, String> SORTABLE = Map.of("issueDate", "issue_date", "amount", "amount", "number",
			"number", "customer", "customer", "createdAt", "created_at");

	private static final String COLUMNS = "id, issuer_key, series, number, customer, customer_document, amount,"
			+ " currency, issue_date, due_date, access_key, authorization_status, upload_id, created_at";

	private static final RowMapper<InvoiceView> VIEW = (row, n) -> new InvoiceView(row.getObject("id", UUID.class),
			row.getString("issuer_key"), row.getString("series"), row.getString("number"), row.getString("customer"),
			row.getString("customer_document"), row.getBigDecimal("amount"), row.getString("currency"),
			row.getObject("issue_date", LocalDate.class), row.getObject("due_date", LocalDate.class),
			row.getString("access_key"), row.getString("authorization_status"),
			row.getObject("upload_id", UUID.class), row.getObject("created_at", OffsetDateTime.class).toInstant(),
			null);

	private static final TypeReference<List<InvoiceView.Item>> ITEMS = new TypeReference<>() {
	};

	private final InvoiceRepository invoices;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final long maxOffsetRows;

	InvoiceQueryService(InvoiceRepository invoices, JdbcClient jdbc, JsonMapper json, InvoiceProperties properties) {
		this.invoices = invoices;
		this.jdbc = jdbc;
		this.json = json;
		this.maxOffsetRows = properties.paging().maxOffsetRows();
	}

	/**
	 * An offset page in the order {@code sort} names ({@code null}: the listing's order), ties broken by number,
	 * series and id so pages never overlap. Pages starting beyond {@code max-offset-rows} are refused
	 * ({@link OffsetPagingLimitException}: cursor paging serves them).
	 * @param count whether to count the matching invoices too (a second query that reads all of them)
	 */
	PageResponse<InvoiceView> search(InvoiceSearch search, int page, int size, String sort, boolean count) {
		long offset = (long) page * size;
		if (offset > this.maxOffsetRows) {
			throw new OffsetPagingLimitException(page, size, this.maxOffsetRows);
		}
		String order = order(sort);
		List<String> conditions = new ArrayList<>();
		Map<String, Object> params = new HashMap<>();
		search.addConditions(conditions, params);
		String where = where(conditions);
		Long total = count
				? this.jdbc.sql("SELECT count(*) FROM invoices" + where).params(params).query(Long.class).single()
				: null;
		params.put("limit", size);
		params.put("offset", offset);
		List<InvoiceView> content = this.jdbc
			.sql("SELECT " + COLUMNS + " FROM invoices" + where + " ORDER BY " + order + " LIMIT :limit OFFSET :offset")
			.params(params)
			.query(VIEW)
			.list();
		return new PageResponse<>(content, page, size, total,
				(total != null) ? (int) ((total + size - 1) / size) : null);
	}

	/** The SQL order {@code sort} names; {@code sort} is looked up in {@link #SORTABLE}, never written into SQL. */
	static String order(String sort) {
		if (sort == null || sort.isBlank() || sort.equals("-issueDate")) {
			return ORDER;
		}
		boolean descending = sort.startsWith("-");
		String column = SORTABLE.get(descending ? sort.substring(1) : sort);
		if (column == null) {
			throw new InvalidInvoiceQueryException("'sort' must be one of " + new TreeSet<>(SORTABLE.keySet())
					+ ", optionally with a leading '-' for descending");
		}
		return column + (descending ? " DESC" : "") + ", number, series, id";
	}

	/**
	 * A keyset page: the invoices after {@code cursor} ({@code null} for the first page). Straight into views, no
	 * transaction, no entities (the listing is the API's hot path). After a cursor, the rest of its date and the
	 * earlier dates are two index range scans of at most one page each, so a deep page costs what the first one does.
	 */
	@Transactional(propagation = Propagation.SUPPORTS)
	CursorPage<InvoiceView> searchAfter(InvoiceSearch search, String cursor, int size) {
		List<String> conditions = new ArrayList<>();
		Map<String, Object> params = new HashMap<>();
		search.addConditions(conditions, params);
		params.put("limit", size + 1);
		String sql;
		if (cursor == null || cursor.isBlank()) {
			sql = "SELECT " + COLUMNS + " FROM invoices" + where(conditions) + " ORDER BY " + ORDER + " LIMIT :limit";
		}
		else {
			InvoiceCursor.decode(cursor).addParams(params);
			sql = "(SELECT " + COLUMNS + " FROM invoices" + where(conditions, InvoiceCursor.SAME_DATE_AFTER)
					+ " ORDER BY number, series, id LIMIT :limit) UNION ALL (SELECT " + COLUMNS + " FROM invoices"
					+ where(conditions, InvoiceCursor.EARLIER_DATES) + " ORDER BY " + ORDER + " LIMIT :limit)"
					+ " ORDER BY " + ORDER + " LIMIT :limit";
		}
		List<InvoiceView> rows = this.jdbc.sql(sql).params(params).query(VIEW).list();
		if (rows.size() <= size) {
			return new CursorPage<>(rows, size, null);
		}
		List<InvoiceView> page = rows.subList(0, size);
		return new CursorPage<>(page, size, InvoiceCursor.after(page.getLast()).encode());
	}

	private static String where(List<String> conditions, String more) {
		List<String> all = new ArrayList<>(conditions);
		all.add(more);
		return where(all);
	}

	private static String where(List<String> conditions) {
		return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
	}

	/** Count and total per customer (name) or per issue month, largest total first; at most 1000 groups. */
	List<InvoiceTotals> summary(String groupBy, LocalDate from, LocalDate to) {
		String key = switch (groupBy) {
			case "customer" -> "customer";
			case "month" -> "to_char(issue_date, 'YYYY-MM')";
			default -> throw new InvalidInvoiceQueryException("'groupBy' must be customer or month");
		};
		return this.jdbc.sql("SELECT " + key + " AS key, count(*) AS count, sum(amount) AS total FROM invoices"
				+ " WHERE issue_date >= COALESCE(CAST(:from AS date), '-infinity')"
				+ " AND issue_date <= COALESCE(CAST(:to AS date), 'infinity')"
				+ " GROUP BY 1 ORDER BY total DESC, key LIMIT 1000")
			.param("from", from)
			.param("to", to)
			.query((row, n) -> new InvoiceTotals(row.getString("key"), row.getLong("count"),
					row.getBigDecimal("total")))
			.list();
	}

	InvoiceView find(UUID id) {
		return this.invoices.findById(id)
			.map(Invoice::toView)
			.map(this::withItems)
			.orElseThrow(() -> new InvoiceNotFoundException(id));
	}

	InvoiceView findByAccessKey(String accessKey) {
		return this.invoices.findByAccessKey(accessKey)
			.map(Invoice::toView)
			.map(this::withItems)
			.orElseThrow(() -> new InvoiceNotFoundException(accessKey));
	}

	/** Items live in a jsonb column the entity does not map; they are read only for single invoices. */
	private InvoiceView withItems(InvoiceView view) {
		String items = this.jdbc.sql("SELECT items::text FROM invoices WHERE id = :id")
			.param("id", view.id())
			.query(String.class)
			.single();
		return view.withItems(this.json.readValue(items, ITEMS));
	}

}
