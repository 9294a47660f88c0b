/**
 * API-key security for the public REST APIs: clients send {@code X-Api-Key}; the configuration holds only
 * SHA-256 hashes of the keys, each with its scopes (e.g. {@code uploads:write}, {@code invoices:read}). Where
 * {@code esteira.security.jwt.*} is set, bearer tokens (JWTs) from an identity provider are accepted beside the keys;
 * either way the caller is an {@link io.esteira.platform.security.EsteiraPrincipal}. Abuse limits
 * (a request limit per client, failed authentications per address) answer {@code 429} with {@code Retry-After}.
 */
package io.esteira.platform.security;
