/**
 * Callbacks that cannot reach inside: the one check of a {@code callbackUrl} ({@link
 * io.esteira.ingest.callback.CallbackTargets}: scheme, host allow-lists, and every address the host resolves to,
 * refusing internal and metadata addresses unless allow-listed), made at registration and again at delivery; the
 * delivery itself ({@link io.esteira.ingest.callback.CallbackSender}), connected to exactly the checked addresses;
 * the per-client signing secrets and the timestamped signature ({@link io.esteira.ingest.callback.CallbackSignature}).
 */
package io.esteira.ingest.callback;
