/**
 * Uploads: the REST API that accepts a file, checks its real type, stores it in S3 and records it, and the upload's
 * status timeline that every service reports steps to.
 */
package io.esteira.ingest.upload;
