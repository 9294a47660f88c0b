/**
 * {@code POST /api/uploads}: a file in a multipart form, checked by size and by the type its bytes show, registered,
 * then written to the uploads bucket.
 */
package io.esteira.ingest.upload.multipart;
