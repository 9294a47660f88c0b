/**
 * API-key security for the public REST APIs: clients send {@code X-Api-Key}; the configuration holds only
 * SHA-256 hashes of the keys, each with its scopes (e.g. {@code uploads:write}, {@code invoices:read}); abuse limits
 * (a request limit per client, failed authentications per address) answer {@code 429} with {@code Retry-After}.
 */
package io.esteira.platform.security;
