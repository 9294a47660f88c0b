package io.esteira.platform.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.awspring.cloud.sqs.listener.Visibility;
import io.esteira.contracts.s3.MalformedEventException;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StepDeliveryTest {

	/** 3 attempts, 4 s then 8 s, no jitter. */
	private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(4), 2.0, Duration.ofMinutes(1),
			RetryPolicy.Jitter.NONE);

	private final List<Integer> visibilityChanges = new ArrayList<>();

	private final Visibility visibility = (seconds) -> {
		this.visibilityChanges.add(seconds);
		return CompletableFuture.completedFuture(null);
	};

	@Test
	void s3EventsAreDecodedWithoutTouchingTheVisibility() {
		S3ObjectEvent event = new S3ObjectEvent("ObjectCreated:Put", Instant.parse("2026-11-22T10:00:00Z"),
				"esteira-uploads", "invoices/notas de março.csv", 42, "etag", null, "00A1");

		List<S3ObjectEvent> events = new StepDelivery(POLICY, "1", this.visibility)
			.decode(S3Events.encode(event, "us-east-1"));

		assertThat(events).containsExactly(event);
		assertThat(this.visibilityChanges).isEmpty();
	}

	@Test
	void bodyThatIsNoS3EventIsMadeVisibleAtOnceAndThrown() {
		StepDelivery delivery = new StepDelivery(POLICY, "1", this.visibility);

		assertThatExceptionOfType(MalformedEventException.class).isThrownBy(() -> delivery.decode("{\"hello\":1}"));
		assertThat(this.visibilityChanges).containsExactly(0);
	}

	@Test
	void bodyLongerThanTheLimitIsNotParsedButMadeVisibleAtOnceAndThrown() {
		StepDelivery delivery = new StepDelivery(POLICY, "1", this.visibility);
		String padded = S3Events.encode(anEvent("images/a.jpg"), "us-east-1").replace("{\"Records\"",
				"{\"padding\":\"" + "x".repeat(70_000) + "\",\"Records\"");

		assertThatExceptionOfType(MalformedEventException.class)
			.isThrownBy(() -> delivery.decode(padded, 65_536, 10))
			.withMessageContaining("more than 65536");
		assertThat(this.visibilityChanges).containsExactly(0);
	}

	@Test
	void notificationWithMoreRecordsThanTheLimitIsMadeVisibleAtOnceAndThrown() {
		StepDelivery delivery = new StepDelivery(POLICY, "1", this.visibility);
		String one = S3Events.encode(anEvent("images/a.jpg"), "us-east-1");
		String record = one.substring(one.indexOf('[') + 1, one.lastIndexOf(']'));
		String eleven = "{\"Records\":[" + String.join(",", Collections.nCopies(11, record)) + "]}";

		assertThat(new StepDelivery(POLICY, "1", (seconds) -> CompletableFuture.completedFuture(null))
			.decode(one, 65_536, 10)).hasSize(1);
		assertThatExceptionOfType(MalformedEventException.class)
			.isThrownBy(() -> delivery.decode(eleven, 65_536, 10))
			.withMessage("S3 event notification with 11 records, more than 10");
		assertThat(this.visibilityChanges).containsExactly(0);
	}

	@Test
	void decodeWithoutLimitsStillRefusesWhatS3NeverSends() {
		StepDelivery delivery = new StepDelivery(POLICY, "1", this.visibility);
		String padded = S3Events.encode(anEvent("images/a.jpg"), "us-east-1").replace("{\"Records\"",
				"{\"padding\":\"" + "x".repeat(StepDelivery.MAX_EVENT_CHARS) + "\",\"Records\"");

		assertThatExceptionOfType(MalformedEventException.class).isThrownBy(() -> delivery.decode(padded))
			.withMessageContaining("more than " + StepDelivery.MAX_EVENT_CHARS);
		assertThat(this.visibilityChanges).containsExactly(0);
	}

	@Test
	void failedAttemptComesBackAfterThePolicysDelayUntilTheLastOneIsRecordedThenGoesOnAtOnce() {
		StepDelivery first = new StepDelivery(POLICY, "1", this.visibility);
		StepDelivery second = new StepDelivery(POLICY, "2", this.visibility);
		StepDelivery last = new StepDelivery(POLICY, "3", this.visibility);
		List<String> recorded = new ArrayList<>();

		assertThat(first.retryLater(() -> recorded.add("first"))).isTrue();
		assertThat(first.retryDelaySeconds()).isEqualTo(4);
		assertThat(second.retryLater(() -> recorded.add("second"))).isTrue();
		assertThat(second.retryDelaySeconds()).isEqualTo(8);
		assertThat(last.retryLater(() -> recorded.add("last, visibility changes so far: " + this.visibilityChanges)))
			.isFalse();
		// Recorded while the message was still invisible, then made visible at once.
		assertThat(recorded).containsExactly("last, visibility changes so far: [4, 8]");
		assertThat(this.visibilityChanges).containsExactly(4, 8, 0);
		assertThat(last.attempt()).isEqualTo(3);
		assertThat(last.maxAttempts()).isEqualTo(3);
	}

	@Test
	void lastAttemptGoesOnToTheDeadLetterQueueEvenWhenItsFailureCannotBeRecorded() {
		StepDelivery last = new StepDelivery(POLICY, "3", this.visibility);

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> last.retryLater(() -> {
			throw new IllegalStateException("database down");
		}));
		assertThat(this.visibilityChanges).containsExactly(0);
	}

	@Test
	void aFloorTheOtherSideAskedForWinsOverAShorterDelayButNotALongerOne() {
		StepDelivery first = new StepDelivery(POLICY, "1", this.visibility);
		StepDelivery second = new StepDelivery(POLICY, "2", this.visibility);

		assertThat(first.retryLater(() -> {
		}, Duration.ofSeconds(30))).isTrue();
		assertThat(second.retryLater(() -> {
		}, Duration.ofMillis(1500))).isTrue();

		assertThat(this.visibilityChanges).containsExactly(30, 8);
	}

	@Test
	void theLastAttemptIgnoresTheFloorAndGoesOnAtOnce() {
		List<String> recorded = new ArrayList<>();

		assertThat(new StepDelivery(POLICY, "3", this.visibility).retryLater(() -> recorded.add("failed"),
				Duration.ofHours(1)))
			.isFalse();

		assertThat(recorded).containsExactly("failed");
		assertThat(this.visibilityChanges).containsExactly(0);
	}

	@Test
	void deliveryWithoutAReceiveCountIsTheFirstAttempt() {
		assertThat(new StepDelivery(POLICY, null, this.visibility).attempt()).isEqualTo(1);
		assertThat(new StepDelivery(POLICY, "x", this.visibility).attempt()).isEqualTo(1);
	}

	private static S3ObjectEvent anEvent(String key) {
		return new S3ObjectEvent("ObjectCreated:Put", Instant.parse("2026-11-22T10:00:00Z"), "esteira-uploads", key, 42,
				"etag", null, "00A1");
	}

}
