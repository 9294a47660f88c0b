/**
 * The stuck-upload check: a scheduled job, one winner per round across replicas, that marks unfinished uploads
 * without progress and keeps a gauge of them.
 */
package io.esteira.ingest.stuck;
