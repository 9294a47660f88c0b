package io.esteira.ingest.callback;

/**
 * A callback URL that may not be called: its form, its scheme, its host, or an address its host resolves to (the
 * message says which, for the client and the timeline). Refusals are final: a refused delivery is not retried.
 */
public class CallbackRefusedException extends RuntimeException {

	CallbackRefusedException(String message) {
		super(message);
	}

}
