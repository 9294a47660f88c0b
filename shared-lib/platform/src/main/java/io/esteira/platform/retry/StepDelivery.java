package io.esteira.platform.retry;

import java.time.Duration;
import java.util.List;

import io.awspring.cloud.sqs.listener.Visibility;
import io.esteira.contracts.s3.MalformedEventException;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;

/**
 * One SQS delivery of an S3 event notification to a pipeline step, and the step's {@link RetryPolicy} carried out
 * through the message's visibility, so that no thread waits:
 * <ul>
 * <li>a body that is not an S3 event notification (or, with limits, one longer or with more records than S3 ever
 * sends) is bad input, never retried: {@link #decode} makes the message visible at once and throws, so it reaches the dead-letter queue after the queue's {@code maxReceiveCount}
 * immediate redeliveries;</li>
 * <li>after a failed attempt, {@link #retryLater(Runnable)} makes the message visible again after the policy's delay for this
 * attempt (the SQS receive count), or, on the policy's last attempt, records the step {@code FAILED} and then makes
 * it visible at once: SQS then moves it to the dead-letter queue.</li>
 * </ul>
 * Either way the listener rethrows, so the message is not acknowledged. Keep the policy's {@code max-attempts} equal
 * to the queue's {@code maxReceiveCount}.
 * <p>
 * Why not Spring Cloud AWS's {@code ExponentialBackoffErrorHandler}: it sets the same kind of visibility from the
 * receive count, but one handler serves a whole listener container and knows nothing of the step: it cannot record
 * the step {@code FAILED} on the last attempt while the message is still invisible, make that last message visible at
 * once (it would wait the longest backoff before reaching the dead-letter queue), take a floor the remote side asked
 * for ({@code Retry-After}), or make malformed input visible at once without counting as a retry.
 */
public final class StepDelivery {

	private final RetryPolicy policy;

	private final int attempt;

	private final Visibility visibility;

	private int retryDelaySeconds;

	/**
	 * @param receiveCount the message's {@code ApproximateReceiveCount} (a listener header), {@code null} if absent
	 */
	public StepDelivery(RetryPolicy policy, String receiveCount, Visibility visibility) {
		this.policy = policy;
		this.attempt = SqsAttempts.attempt(receiveCount);
		this.visibility = visibility;
	}

	/** This delivery's attempt, 1-based. */
	public int attempt() {
		return this.attempt;
	}

	/** The policy's attempts in all. */
	public int maxAttempts() {
		return this.policy.maxAttempts();
	}

	/** The longest body {@link #decode(String)} reads: S3's notifications are 1 to 3 KB. */
	public static final int MAX_EVENT_CHARS = 65_536;

	/** The most records {@link #decode(String)} accepts in one message: S3 sends one. */
	public static final int MAX_EVENT_RECORDS = 10;

	/**
	 * The S3 events in the message's body (none for {@code s3:TestEvent}), at most {@value #MAX_EVENT_RECORDS}
	 * records in at most {@value #MAX_EVENT_CHARS} characters.
	 * @throws MalformedEventException when the body is not an S3 event notification or is over a limit, after making
	 * the message visible at once
	 */
	public List<S3ObjectEvent> decode(String body) {
		return decode(body, MAX_EVENT_CHARS, MAX_EVENT_RECORDS);
	}

	/**
	 * The S3 events in the message's body (none for {@code s3:TestEvent}), refusing what S3 never sends: a body
	 * longer than {@code maxChars} (it is not parsed), or more than {@code maxRecords} records (S3 sends one a
	 * message; each record is work, and rows, for the consumer).
	 * @throws MalformedEventException when the body is not an S3 event notification or is over a limit, after making
	 * the message visible at once
	 */
	public List<S3ObjectEvent> decode(String body, int maxChars, int maxRecords) {
		try {
			if (body != null && body.length() > maxChars) {
				throw new MalformedEventException(
						"Message of " + body.length() + " characters, more than " + maxChars + ": not an S3 event");
			}
			List<S3ObjectEvent> events = S3Events.decode(body);
			if (events.size() > maxRecords) {
				throw new MalformedEventException(
						"S3 event notification with " + events.size() + " records, more than " + maxRecords);
			}
			return events;
		}
		catch (MalformedEventException ex) {
			this.visibility.changeTo(0);
			throw ex;
		}
	}

	/**
	 * Sets the message's visibility after this attempt failed. On the policy's last attempt, {@code recordFailure}
	 * runs first (recording the step {@code FAILED}), while the message is still invisible, so no other delivery of
	 * it starts meanwhile; then the message is made visible at once, on its way to the dead-letter queue, even if
	 * recording threw.
	 * @return {@code true} when the policy allows another attempt (the message comes back after
	 * {@link #retryDelaySeconds()}); {@code false} on the last attempt
	 */
	public boolean retryLater(Runnable recordFailure) {
		return retryLater(recordFailure, Duration.ZERO);
	}

	/**
	 * {@link #retryLater(Runnable)}, waiting at least {@code floor} before the next attempt: what the other side asked
	 * for (HubSpot's {@code Retry-After}, a pause until a quota resets), on top of the policy's delay.
	 */
	public boolean retryLater(Runnable recordFailure, Duration floor) {
		if (this.policy.isLastAttempt(this.attempt)) {
			this.retryDelaySeconds = 0;
			try {
				recordFailure.run();
			}
			finally {
				this.visibility.changeTo(0);
			}
			return false;
		}
		Duration delay = this.policy.delay(this.attempt);
		this.retryDelaySeconds = RetryPolicy.toVisibilitySeconds((floor.compareTo(delay) > 0) ? floor : delay);
		this.visibility.changeTo(this.retryDelaySeconds);
		return true;
	}

	/** The delay {@link #retryLater(Runnable)} set, in seconds. */
	public int retryDelaySeconds() {
		return this.retryDelaySeconds;
	}

}
