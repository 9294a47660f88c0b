/**
 * Ingest, the front door of the pipeline: uploads in, objects in the uploads bucket, and the status timeline that the
 * other services report to over the status queue.
 */
package io.esteira.ingest;
