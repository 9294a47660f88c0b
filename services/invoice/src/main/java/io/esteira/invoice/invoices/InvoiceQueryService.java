package io.esteira.invoice.invoices;

import java.util.UUID;

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

	private final InvoiceRepository invoices;

	InvoiceQueryService(InvoiceRepository invoices) {
		this.invoices = invoices;
	}

	PageResponse<InvoiceView> search(InvoiceSearch search, int page, int size) {
		return PageResponse
			.of(this.invoices.findAll(search.toSpecification(), PageRequest.of(page, size, ORDER)).map(Invoice::toView));
	}

	InvoiceView find(UUID id) {
		return this.invoices.findById(id).map(Invoice::toView).orElseThrow(() -> new InvoiceNotFoundException(id));
	}

}
