/**
 * Reading uploads: {@code GET /api/uploads} (filtered, keyset-paged listing) and {@code GET /api/uploads/{id}} (one
 * upload with its timeline).
 */
package io.esteira.ingest.upload.query;
