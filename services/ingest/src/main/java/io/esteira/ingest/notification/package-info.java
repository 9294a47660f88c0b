/**
 * Notifications on terminal statuses, delivered from the outbox: an SNS message with filterable attributes, and a
 * signed callback to the client's URL, each retried with backoff until delivered.
 */
package io.esteira.ingest.notification;
