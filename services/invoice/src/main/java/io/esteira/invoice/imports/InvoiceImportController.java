package io.esteira.invoice.imports;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/imports/{uploadId}} (also under {@code /api/invoices/imports}): the summary of one upload's import, with its first errors. */
@RestController
@RequestMapping({ "/api/imports", "/api/invoices/imports" })
class InvoiceImportController {

	private final InvoiceImportRepository imports;

	InvoiceImportController(InvoiceImportRepository imports) {
		this.imports = imports;
	}

	@GetMapping("/{uploadId}")
	ImportSummary summary(@PathVariable UUID uploadId) {
		return this.imports.find(uploadId).orElseThrow(() -> new ImportNotFoundException(uploadId));
	}

}
