/**
 * LGPD erasure: {@code DELETE /api/uploads/{id}} and {@code DELETE /api/customers} erase image uploads (personal
 * data cleared on the row, original and renditions deleted, CRM sync told), keep invoice uploads' fiscal records
 * (only their contact data is erased), and leave the timeline as a tombstone. The objects are deleted, and CRM sync
 * is told, from the outbox after the erasure committed.
 */
package io.esteira.ingest.upload.erasure;
