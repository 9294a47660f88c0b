/**
 * Wiring: settings ({@link io.esteira.ingest.config.IngestProperties}), the clock, multipart limits, and the API-key
 * security chain.
 */
package io.esteira.ingest.config;
