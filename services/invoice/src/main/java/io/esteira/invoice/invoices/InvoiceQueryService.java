package io.esteira.invoice.invoices;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import io.esteira.invoice.access.CallerScope;
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

	/**
	 * The columns naming an invoice's customers, as a customer-scoped caller's document is compared: the recipient's
	 * CPF/CNPJ and the issuer's ({@code issuer_key}: the issuer document, or the configured default issuer, which is
	 * not a document). Both are stored without punctuation, upper case, as {@code EsteiraPrincipal} holds it.
	 */
	private static final String[] CUSTOMER_COLUMNS = { "customer_document", "issuer_key" };

	private static final TypeReference<List<InvoiceView.Item>> ITEMS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final long maxOffsetRows;

	InvoiceQueryService(JdbcClient jdbc, JsonMapper json, InvoiceProperties properties) {
		this.jdbc = jdbc;
		this.json = json;
		this.maxOffsetRows = properties.paging().maxOffsetRows();
	}

	/**
	 * An offset page in the order {@code sort} names ({@code null}: the listing's order), ties broken by number,
	 * series and id so pages never overlap. Pages starting beyond {@code max-offset-rows} are refused
	 * ({@link OffsetPagingLimitException}: cursor paging serves them).
	 * @param scope the invoices the caller may see
	 * @param count whether to count the matching invoices too (a second query that reads all of them)
	 */
	PageResponse<InvoiceView> search(CallerScope scope, InvoiceSearch search, int page, int size, String sort,
			boolean count) {
		long offset = (long) page * size;
		if (offset > this.maxOffsetRows) {
			throw new OffsetPagingLimitException(page, size, this.maxOffsetRows);
		}
		String order = order(sort);
		List<String> conditions = new ArrayList<>();
		Map<String, Object> params = new HashMap<>();
		addConditions(scope, search, conditions, params);
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
	 * A cursor is taken only by the query (scope and filters) that returned it.
	 */
	@Transactional(propagation = Propagation.SUPPORTS)
	CursorPage<InvoiceView> searchAfter(CallerScope scope, InvoiceSearch search, String cursor, int size) {
		List<String> conditions = new ArrayList<>();
		Map<String, Object> params = new HashMap<>();
		addConditions(scope, search, conditions, params);
		String query = InvoiceCursor.fingerprint(scope, search);
		params.put("limit", size + 1);
		String sql;
		if (cursor == null || cursor.isBlank()) {
			sql = "SELECT " + COLUMNS + " FROM invoices" + where(conditions) + " ORDER BY " + ORDER + " LIMIT :limit";
		}
		else {
			InvoiceCursor.decode(cursor, query).addParams(params);
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
		return new CursorPage<>(page, size, InvoiceCursor.after(page.getLast(), query).encode());
	}

	/**
	 * The caller's scope (its tenant, or every tenant for an admin; a customer-scoped caller's invoices, issued to or
	 * by its customer) and the filters.
	 */
	private static void addConditions(CallerScope scope, InvoiceSearch search, List<String> conditions,
			Map<String, Object> params) {
		scope.addConditions(conditions, params, CUSTOMER_COLUMNS);
		search.addConditions(conditions, params);
	}

	private static String where(List<String> conditions, String more) {
		List<String> all = new ArrayList<>(conditions);
		all.add(more);
		return where(all);
	}

	private static String where(List<String> conditions) {
		return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
	}

	/**
	 * Count and total per customer (name) or per issue month of the invoices the caller may see, largest total first;
	 * at most 1000 groups.
	 */
	List<InvoiceTotals> summary(CallerScope scope, String groupBy, LocalDate from, LocalDate to) {
		String key = switch (groupBy) {
			case "customer" -> "customer";
			case "month" -> "to_char(issue_date, 'YYYY-MM')";
			default -> throw new InvalidInvoiceQueryException("'groupBy' must be customer or month");
		};
		List<String> conditions = new ArrayList<>();
		Map<String, Object> params = new HashMap<>();
		addConditions(scope, new InvoiceSearch(null, from, to), conditions, params);
		return this.jdbc
			.sql("SELECT " + key + " AS key, count(*) AS count, sum(amount) AS total FROM invoices" + where(conditions)
					+ " GROUP BY 1 ORDER BY total DESC, key LIMIT 1000")
			.params(params)
			.query((row, n) -> new InvoiceTotals(row.getString("key"), row.getLong("count"),
					row.getBigDecimal("total")))
			.list();
	}

	/** The invoice with {@code id}, if the caller may see it; one that exists but is not visible is just as absent. */
	InvoiceView find(CallerScope scope, UUID id) {
		return findOne(scope, "id = :id", Map.of("id", id)).orElseThrow(() -> new InvoiceNotFoundException(id));
	}

	/** The invoice with the NF-e access key, if the caller may see it (the same key may be stored in other tenants). */
	InvoiceView findByAccessKey(CallerScope scope, String accessKey) {
		return findOne(scope, "access_key = :accessKey", Map.of("accessKey", accessKey))
			.orElseThrow(() -> new InvoiceNotFoundException(accessKey));
	}

	/** One invoice, with its items (a jsonb column read only for single invoices), within the caller's scope. */
	private Optional<InvoiceView> findOne(CallerScope scope, String condition, Map<String, Object> values) {
		List<String> conditions = new ArrayList<>(List.of(condition));
		Map<String, Object> params = new HashMap<>(values);
		scope.addConditions(conditions, params, CUSTOMER_COLUMNS);
		return this.jdbc.sql("SELECT " + COLUMNS + ", items::text AS items FROM invoices" + where(conditions))
			.params(params)
			.query((row, n) -> VIEW.mapRow(row, n).withItems(this.json.readValue(row.getString("items"), ITEMS)))
			.optional();
	}

}
