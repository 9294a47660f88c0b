package io.esteira.crmsync.photo;

import java.time.Duration;

import io.esteira.crmsync.crm.CrmUnavailableException;

/** What becomes of one delivery of an image event once its batch was handled. */
sealed interface Verdict {

	/** Handled (or a duplicate of one that was): delete the message. */
	record Done() implements Verdict {
	}

	/** The CRM failed it: an attempt, retried after the policy's delay (or FAILED on the last attempt). */
	record Retry(CrmUnavailableException failure) implements Verdict {
	}

	/** Not tried (rate limit, another delivery at work, calls paused): back after {@code after}, not an attempt. */
	record Defer(Duration after, String why) implements Verdict {
	}

	/** Not an event, or already failed for good: on to the dead-letter queue. */
	record Dead(String why) implements Verdict {
	}

	Done DONE = new Done();

	/** A CRM failure as a verdict: an attempt when the CRM failed, else back-pressure. */
	static Verdict of(CrmUnavailableException failure) {
		return failure.countsAsAttempt() ? new Retry(failure)
				: new Defer(failure.retryAfter().orElse(Duration.ofSeconds(1)), failure.getMessage());
	}

}
