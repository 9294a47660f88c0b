package io.esteira.invoice.imports;

import java.util.UUID;

import io.esteira.invoice.access.CallerScope;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/imports/{uploadId}} (also under {@code /api/invoices/imports}): the summary of one upload's import,
 * with its first errors. Only an import the caller may see ({@link CallerScope}: its tenant's, every tenant's for an
 * admin; a customer-scoped caller's, only one made for its customer); any other is {@code import-not-found}, as one
 * that does not exist.
 */
@RestController
@RequestMapping({ "/api/imports", "/api/invoices/imports" })
class InvoiceImportController {

	private final InvoiceImportRepository imports;

	InvoiceImportController(InvoiceImportRepository imports) {
		this.imports = imports;
	}

	@GetMapping("/{uploadId}")
	ImportSummary summary(@PathVariable UUID uploadId, Authentication caller) {
		return this.imports.find(CallerScope.of(caller), uploadId)
			.orElseThrow(() -> new ImportNotFoundException(uploadId));
	}

}
