/**
 * Retention of originals ({@code esteira.ingest.retention.*}): a scheduled job deletes originals older than their
 * kind's period and clears the customer's contact data on their rows; renditions and permalinks stay.
 */
package io.esteira.ingest.upload.retention;
