package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/invoices} (paged, newest issue date first, then by number; filters {@code customer}, {@code from},
 * {@code to}) and {@code GET /api/invoices/{id}}.
 */
@RestController
@RequestMapping("/api/invoices")
class InvoiceController {

	static final int MAX_PAGE_SIZE = 200;

	private final InvoiceQueryService invoices;

	InvoiceController(InvoiceQueryService invoices) {
		this.invoices = invoices;
	}

	@GetMapping
	PageResponse<InvoiceView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int size,
			@RequestParam(required = false) String customer,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestParam(required = false) String customerDocument,
			@RequestParam(required = false) BigDecimal minAmount,
			@RequestParam(required = false) BigDecimal maxAmount, @RequestParam(required = false) UUID uploadId) {
		return this.invoices.search(
				new InvoiceSearch(customer, from, to, customerDocument, minAmount, maxAmount, uploadId), page, size);
	}

	@GetMapping("/by-key/{accessKey}")
	InvoiceView byAccessKey(@PathVariable @Pattern(regexp = "\\d{44}", message = "must be 44 digits") String accessKey) {
		return this.invoices.findByAccessKey(accessKey);
	}

	@GetMapping("/{id}")
	InvoiceView get(@PathVariable UUID id) {
		return this.invoices.find(id);
	}

}
