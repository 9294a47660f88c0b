package io.esteira.ingest.upload;

/**
 * Who an upload belongs to, as the client said; every field may be {@code null}.
 *
 * @param crmContactId the CRM contact the thumbnail link is written to
 * @param externalRef the client's own reference
 */
record Customer(String email, String phone, String crmContactId, String externalRef) {
}
