/**
 * Error responses: every failure of the REST API becomes an RFC 9457 problem detail with a stable {@code type} URI.
 */
package io.esteira.ingest.web;
