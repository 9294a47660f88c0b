/**
 * Observability every service shares: one trace per upload across REST calls, S3 objects and SQS messages, the upload
 * id on every log line, queue lag, and the defaults that switch these on. The trace context travels in SQS message
 * attributes (Spring Cloud AWS's observation support) and, from ingest to the processing services, in the uploaded
 * object's {@code traceparent} metadata, because S3's event notifications carry none.
 */
package io.esteira.platform.observability;
