package io.esteira.crmsync.crm;

/**
 * What stands before every request an adapter sends: {@link #beforeRequest} waits for the rate limit (back-pressure:
 * the caller's thread waits, the consumer receives nothing meanwhile) or refuses when calls are paused or the wait
 * would be too long; {@link #onUnavailable} hears how the CRM answered when it could not serve, {@link #onServed}
 * that it could.
 */
public interface CrmRequestGate {

	/** A gate that lets everything through (adapter tests). */
	CrmRequestGate OPEN = new CrmRequestGate() {
	};

	/** Which of the CRM's limits a request counts against. */
	enum Kind {

		/** Reads and writes: the account's request limit. */
		STANDARD,

		/** Searches: the account's limit and the search endpoint's own, lower one. */
		SEARCH

	}

	/**
	 * Called right before a request is sent; returns when it may go.
	 * @throws CrmUnavailableException reason {@code THROTTLED} when no token comes within the longest wait, or the
	 * reason of the pause in force
	 */
	default void beforeRequest(Kind kind) {
	}

	/**
	 * Called with every whole-request failure, before it is thrown.
	 * @return what to throw: {@code failure}, or what it turned out to be (a failure that shows the CRM is down is a
	 * reason to pause, not an attempt)
	 */
	default CrmUnavailableException onUnavailable(CrmUnavailableException failure) {
		return failure;
	}

	/** Called when the CRM served a request (a 2xx answer): it is up. */
	default void onServed() {
	}

}
