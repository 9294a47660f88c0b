/**
 * {@code POST /api/uploads/presign}: a direct upload, registered before its object arrives, with a presigned PUT
 * bound to the declared type and size.
 */
package io.esteira.ingest.upload.direct;
