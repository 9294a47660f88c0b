package io.esteira.invoice.invoices;

import java.util.List;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
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

	PageResponse<InvoiceView> search(InvoiceSearch search, int page, int size) {
		return PageResponse
			.of(this.invoices.findAll(search.toSpecification(), PageRequest.of(page, size, ORDER)).map(Invoice::toView));
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
