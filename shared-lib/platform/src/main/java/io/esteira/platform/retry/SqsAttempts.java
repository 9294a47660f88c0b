package io.esteira.platform.retry;

/**
 * The attempt number of an SQS delivery, from the message's {@code ApproximateReceiveCount} system attribute
 * ({@code SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT} as a listener header).
 */
public final class SqsAttempts {

	private SqsAttempts() {
	}

	/** The 1-based attempt: the receive count, or 1 when it is missing or not a number. */
	public static int attempt(String receiveCount) {
		if (receiveCount == null) {
			return 1;
		}
		try {
			return Math.max(1, Integer.parseInt(receiveCount.strip()));
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

}
