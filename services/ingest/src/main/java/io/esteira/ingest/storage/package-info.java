/**
 * S3 access that several features share: looking an object up, with "not found" as an answer rather than an error.
 */
package io.esteira.ingest.storage;
