/**
 * API-key authentication for the public REST APIs: clients send {@code X-Api-Key}; the configuration holds only
 * SHA-256 hashes of the keys, each with its scopes (e.g. {@code uploads:write}, {@code invoices:read}).
 */
package io.esteira.platform.security;
