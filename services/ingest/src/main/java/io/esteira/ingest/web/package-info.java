/**
 * Web concerns shared by the features: every failure of the REST API becomes an RFC 9457 problem detail with a stable
 * {@code type} URI, request bodies other than uploads are bounded, and the operations status page ({@code /status}).
 */
package io.esteira.ingest.web;
