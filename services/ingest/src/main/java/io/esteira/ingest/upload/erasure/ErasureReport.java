package io.esteira.ingest.upload.erasure;

import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code DELETE /api/uploads/{id}}: what was erased and what was kept, and why.
 *
 * @param kind {@code image} or {@code invoice}
 * @param erased what was erased (row fields, objects, the CRM photo)
 * @param kept what was kept
 * @param reason why, in words
 */
public record ErasureReport(UUID uploadId, String kind, List<String> erased, List<String> kept, String reason) {

	static final List<String> IMAGE_ERASED = List.of("original", "renditions", "crmPhoto", "customerEmail",
			"customerPhone", "crmContactId", "externalRef", "customerDocument", "originalFilename", "callbackUrl");

	static final List<String> IMAGE_KEPT = List.of("timeline");

	static final String IMAGE_REASON = "Erased at the customer's request (LGPD): the original and its renditions are"
			+ " deleted, the permalink answers 410 Gone, CRM sync clears the photo on the contact; the timeline is"
			+ " kept without personal data.";

	static final List<String> INVOICE_ERASED = List.of("customerEmail", "customerPhone", "crmContactId");

	static final List<String> INVOICE_KEPT = List.of("original", "invoices", "customerDocument", "externalRef",
			"timeline");

	static final String INVOICE_REASON = "Fiscal records are kept: Brazilian law requires keeping NF-e for 5 years."
			+ " Only the customer's contact data was erased; the original is deleted when its retention ends.";

	static ErasureReport image(UUID id) {
		return new ErasureReport(id, "image", IMAGE_ERASED, IMAGE_KEPT, IMAGE_REASON);
	}

	static ErasureReport invoice(UUID id) {
		return new ErasureReport(id, "invoice", INVOICE_ERASED, INVOICE_KEPT, INVOICE_REASON);
	}

}
