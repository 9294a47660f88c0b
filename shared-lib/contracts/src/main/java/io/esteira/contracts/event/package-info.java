/**
 * Events that cross service boundaries over SQS: status steps reported to ingest, and "image processed" for CRM sync.
 * They are records, serialised as JSON, and carry an {@code eventId} so that consumers can drop duplicates.
 */
package io.esteira.contracts.event;
