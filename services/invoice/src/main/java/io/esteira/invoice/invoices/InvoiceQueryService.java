package io.esteira.invoice.invoices;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finds stored invoices; returns views, never entities. */
@Service
@Transactional(readOnly = true)
class InvoiceQueryService {

	/** Newest issue date first, then by number; series and id make the order total, so pages never overlap. */
	static final Sort ORDER = Sort.by(Sort.Order.desc("issueDate"), Sort.Order.asc("number"),
			Sort.Order.asc("series"), Sort.Order.asc("id"));

	private static final TypeReference<List<InvoiceView.Item>> ITEMS = new TypeReference<>() {
	};

	private final InvoiceRepository invoices;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	InvoiceQueryService(InvoiceRepository invoices, JdbcClient jdbc, JsonMapper json) {
		this.invoices = invoices;
		this.jdbc = jdbc;
		this.json = json;
	}

	/** The orders {@code sort} may name; a leading {@code -} means descending. */
	static final Map<String, String> SORTABLE = Map.of("issueDate", "issueDate", "amount", "amount", "number",
			"number", "customer", "customer", "createdAt", "createdAt");

	PageResponse<InvoiceView> search(InvoiceSearch search, int page, int size) {
		return search(search, page, size, null);
	}

	/**
	 * An offset page in the order {@code sort} names ({@code null}: the listing's order), ties broken by number,
	 * series and id so pages never overlap.
	 */
	PageResponse<InvoiceView> search(InvoiceSearch search, int page, int size, String sort) {
		return PageResponse.of(this.invoices.findAll(search.toSpecification(), PageRequest.of(page, size, order(sort)))
			.map(Invoice::toView));
	}

	static Sort order(String sort) {
		if (sort == null || sort.isBlank() || sort.equals("-issueDate")) {
			return ORDER;
		}
		boolean descending = sort.startsWith("-");
		String property = SORTABLE.get(descending ? sort.substring(1) : sort);
		if (property == null) {
			throw new InvalidInvoiceQueryException("'sort' must be one of " + new java.util.TreeSet<>(SORTABLE.keySet())
					+ ", optionally with a leading '-' for descending");
		}
		Sort first = Sort.by(descending ? Sort.Order.desc(property) : Sort.Order.asc(property));
		return first.and(Sort.by(Sort.Order.asc("number"), Sort.Order.asc("series"), Sort.Order.asc("id")));
	}

	/** A keyset page: the invoices after {@code cursor} ({@code null} for the first page). */
	CursorPage<InvoiceView> searchAfter(InvoiceSearch search, String cursor, int size) {
		Specification<Invoice> filters = search.toSpecification();
		if (cursor != null && !cursor.isBlank()) {
			InvoiceCursor after = InvoiceCursor.decode(cursor);
			filters = filters.and((root, query, cb) -> after.after(root, cb));
		}
		List<InvoiceView> rows = this.invoices
			.findBy(filters, (query) -> query.sortBy(ORDER).limit(size + 1).all())
			.stream()
			.map(Invoice::toView)
			.toList();
		if (rows.size() <= size) {
			return new CursorPage<>(rows, size, null);
		}
		List<InvoiceView> page = rows.subList(0, size);
		return new CursorPage<>(page, size, InvoiceCursor.after(page.getLast()).encode());
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
