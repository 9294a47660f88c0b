/**
 * Image processing: consumes S3 events for {@code images/} in the uploads bucket, writes JPEG renditions to the
 * output bucket and reports the outcome through the outbox.
 */
package io.esteira.imageprocessing;
