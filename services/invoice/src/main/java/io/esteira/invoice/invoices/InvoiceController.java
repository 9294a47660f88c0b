package io.esteira.invoice.invoices;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import io.esteira.invoice.access.CallerScope;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/invoices} (paged, newest issue date first, then by number; filters {@code customer}, {@code from},
 * {@code to}) and {@code GET /api/invoices/{id}}. Offset pages ({@code page}, {@code size}) go as deep as
 * {@code esteira.invoices.paging.max-offset-rows} and carry totals only with {@code count=true}; cursor pages
 * ({@code cursor}) have no depth limit.
 * <p>
 * Every answer is limited to what the caller may see ({@link CallerScope}): its tenant's invoices (every tenant's with
 * the {@code admin} scope, which may narrow to one with {@code tenant}); a customer-scoped caller's, only those issued
 * to or by its customer. An invoice the caller may not see is {@code invoice-not-found}, as one that does not exist.
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
			@RequestParam(required = false) BigDecimal maxAmount, @RequestParam(required = false) UUID uploadId,
			@RequestParam(required = false) String sort, @RequestParam(defaultValue = "false") boolean count,
			@RequestParam(required = false) String tenant, Authentication caller) {
		InvoiceSearch search = new InvoiceSearch(customer, from, to, customerDocument, minAmount, maxAmount, uploadId);
		return this.invoices.search(CallerScope.of(caller, tenant), search, page, size, sort, count);
	}

	/** Keyset paging: {@code cursor} empty for the first page, then each page's {@code nextCursor}. */
	@GetMapping(params = "cursor")
	CursorPage<InvoiceView> listAfter(@RequestParam String cursor,
			@RequestParam(required = false) @Pattern(regexp = "-issueDate",
					message = "cursor paging has one order: -issueDate") String sort,
			@RequestParam(defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int size,
			@RequestParam(required = false) String customer,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestParam(required = false) String customerDocument,
			@RequestParam(required = false) BigDecimal minAmount,
			@RequestParam(required = false) BigDecimal maxAmount, @RequestParam(required = false) UUID uploadId,
			@RequestParam(required = false) String tenant, Authentication caller) {
		return this.invoices.searchAfter(CallerScope.of(caller, tenant),
				new InvoiceSearch(customer, from, to, customerDocument, minAmount, maxAmount, uploadId), cursor, size);
	}

	@GetMapping("/summary")
	List<InvoiceTotals> summary(@RequestParam @Pattern(regexp = "customer|month",
			message = "must be customer or month") String groupBy,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestParam(required = false) String tenant, Authentication caller) {
		return this.invoices.summary(CallerScope.of(caller, tenant), groupBy, from, to);
	}

	@GetMapping("/by-key/{accessKey}")
	ResponseEntity<InvoiceView> byAccessKey(
			@PathVariable @Pattern(regexp = "\\d{44}", message = "must be 44 digits") String accessKey,
			WebRequest request, Authentication caller) {
		return withETag(this.invoices.findByAccessKey(CallerScope.of(caller), accessKey), request);
	}

	@GetMapping("/{id}")
	ResponseEntity<InvoiceView> get(@PathVariable UUID id, WebRequest request, Authentication caller) {
		return withETag(this.invoices.find(CallerScope.of(caller), id), request);
	}

	/** Stored invoices never change, so their id is a strong validator; 304 when the client has it. */
	private static ResponseEntity<InvoiceView> withETag(InvoiceView invoice, WebRequest request) {
		String eTag = "\"" + invoice.id() + "\"";
		if (request.checkNotModified(eTag)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(eTag).build();
		}
		return ResponseEntity.ok().eTag(eTag).body(invoice);
	}

}
