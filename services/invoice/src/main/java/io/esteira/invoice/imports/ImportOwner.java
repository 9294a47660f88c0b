package io.esteira.invoice.imports;

import java.util.Map;

import io.esteira.contracts.event.UploadMetadata;
import io.esteira.invoice.brazil.BrazilianDocuments;

/**
 * Whom an import and its invoices belong to, from the object's user metadata: the upload's tenant
 * ({@link UploadMetadata#tenant}: {@code esteira-tenant}, else {@code default}) and the customer the upload was made
 * for ({@link UploadMetadata#CUSTOMER_DOCUMENT}), if any.
 *
 * @param tenant the tenant; {@code null} when unknown (the object's metadata could not be read)
 * @param customerDocument the customer's CPF/CNPJ without punctuation, upper case (as {@code EsteiraPrincipal} holds
 * a customer-scoped caller's); {@code null} when none was named, or what was named is not a valid CPF/CNPJ
 */
record ImportOwner(String tenant, String customerDocument) {

	/** The owner of an import whose object's metadata could not be read. */
	static final ImportOwner UNKNOWN = new ImportOwner(null, null);

	/**
	 * What {@code invoice_imports.tenant} says when the owner is {@link #UNKNOWN}: not a tenant id
	 * ({@code Tenants.PATTERN}), so only an admin sees the row, until an import of the object records its tenant.
	 */
	static final String UNKNOWN_TENANT = "(unknown)";

	/** The owner named by an object's user metadata (keys without {@code x-amz-meta-}, in any case). */
	static ImportOwner of(Map<String, String> metadata) {
		String document = metadata.entrySet()
			.stream()
			.filter((entry) -> UploadMetadata.CUSTOMER_DOCUMENT.equalsIgnoreCase(entry.getKey())
					&& entry.getValue() != null)
			.map((entry) -> BrazilianDocuments.normalize(entry.getValue().strip()))
			.filter(BrazilianDocuments::isValidCpfOrCnpj)
			.findFirst()
			.orElse(null);
		return new ImportOwner(UploadMetadata.tenant(metadata), document);
	}

	/** Never the customer document itself: it is personal data. */
	@Override
	public String toString() {
		return "ImportOwner[tenant=" + this.tenant + ", customerDocument="
				+ ((this.customerDocument != null) ? "(set)" : "(none)") + "]";
	}

}
