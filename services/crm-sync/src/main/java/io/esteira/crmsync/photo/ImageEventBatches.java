package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmConnection;
import io.esteira.crmsync.crm.CrmConnections;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.RetryPolicy;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Gathers the polls of the image-events consumer into batches for the CRM and hands each batch to
 * {@link PhotoLinkService} and then {@link OwnerNotifications} (erasures to {@link PhotoErasures}), one tenant at a
 * time, then to {@link ImageEventSettlement}. A batch is
 * handled when it holds {@code esteira.crm.batch.max-events} events, {@value #DRAINED_GRACE_MILLIS} ms after a poll
 * came back short (the queue had no more: at low load batching adds next to no wait; the grace lets the other polls
 * the container runs at the same time join), or when {@code esteira.crm.batch.window} has passed since its first
 * poll. One batch is handled at a time per instance: the polls that arrive meanwhile make the next one, so batches
 * grow when the CRM or the rate limit is slow.
 * <p>
 * A batch holding a late photo (uploaded more than {@code esteira.crm.batch.late-after} ago: the pipeline is behind,
 * as in a burst) gathers for half that photo's lateness, at most {@code esteira.crm.batch.late-max-window}, from its
 * first poll: a photo already a minute late loses nothing by a few seconds more, and each batch's few requests serve
 * many photos instead of spending the account's rate limit, which its other apps share. Only first attempts count as
 * late: a retry keeps its policy's delays. Metric
 * {@code esteira.crm.batch.size}: events per batch.
 */
@Component
class ImageEventBatches implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ImageEventBatches.class);

	/** How long a batch waits, after a short poll, for the polls that returned with it. */
	static final long DRAINED_GRACE_MILLIS = 20;

	private final PhotoLinkService photoLinks;

	private final PhotoErasures erasures;

	private final CrmConnections connections;

	private final OwnerNotifications notifications;

	private final ImageEventSettlement settlement;

	private final RetryPolicy retry;

	private final Duration window;

	private final int maxEvents;

	private final Duration lateAfter;

	private final Duration lateMaxWindow;

	private final Clock clock;

	private final DistributionSummary sizes;

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("crm-batch-window").factory());

	private final List<Gathered> gathered = new ArrayList<>();

	private int gatheredEvents;

	private ScheduledFuture<?> deadline;

	private long deadlineAt;

	/** Whether a batch is being handled (one at a time). */
	private boolean running;

	/** When the gathered polls began (nanoTime). */
	private long gatheringSince;

	/** When the gathered polls, holding a late photo, are handled (nanoTime); {@code 0} when none is late. */
	private long lateDeadlineAt;

	ImageEventBatches(PhotoLinkService photoLinks, PhotoErasures erasures, CrmConnections connections,
			OwnerNotifications notifications, ImageEventSettlement settlement, RetryPolicies retryPolicies,
			CrmProperties settings, MeterRegistry meters, Clock clock) {
		this.photoLinks = photoLinks;
		this.erasures = erasures;
		this.connections = connections;
		this.notifications = notifications;
		this.settlement = settlement;
		this.retry = retryPolicies.forStep(PhotoLinkService.STEP);
		this.window = settings.batch().window();
		this.maxEvents = settings.batch().maxEvents();
		this.lateAfter = settings.batch().lateAfter();
		this.lateMaxWindow = settings.batch().lateMaxWindow();
		this.clock = clock;
		this.sizes = DistributionSummary.builder("esteira.crm.batch.size")
			.description("Image events handled together in one CRM batch")
			.register(meters);
	}

	/**
	 * Adds one poll's deliveries and returns once they are settled.
	 * @param drained whether the poll came back short (nothing else is queued)
	 */
	void handle(List<ImageEventDelivery> deliveries, boolean drained) {
		if (deliveries.isEmpty()) {
			return;
		}
		Gathered mine = new Gathered(deliveries, new CompletableFuture<>());
		Duration lateness = lateness(deliveries);
		List<Gathered> batch = null;
		synchronized (this) {
			long now = System.nanoTime();
			if (this.gathered.isEmpty()) {
				this.gatheringSince = now;
			}
			this.gathered.add(mine);
			this.gatheredEvents += deliveries.size();
			if (lateness.compareTo(this.lateAfter) > 0) {
				long due = this.gatheringSince + min(lateness.dividedBy(2), this.lateMaxWindow).toNanos();
				this.lateDeadlineAt = (this.lateDeadlineAt == 0) ? due : later(this.lateDeadlineAt, due);
			}
			if (!this.running) {
				if (this.gatheredEvents >= this.maxEvents || (this.window.isZero() && this.lateDeadlineAt == 0)) {
					batch = take();
					this.running = true;
				}
				else if (this.lateDeadlineAt != 0) {
					flushAt(this.lateDeadlineAt);
				}
				else {
					flushWithin(drained ? Math.min(DRAINED_GRACE_MILLIS, this.window.toMillis())
							: this.window.toMillis());
				}
			}
			// Else the batch being handled takes these polls when it ends.
		}
		if (batch != null) {
			start(batch);
		}
		mine.settled().join();
	}

	/**
	 * How late the earliest-uploaded photo of {@code deliveries} is; zero when none says when it was uploaded. Only
	 * first attempts count: a retry comes when its policy's delay says, not later.
	 */
	private Duration lateness(List<ImageEventDelivery> deliveries) {
		Instant now = this.clock.instant();
		return deliveries.stream()
			.filter((delivery) -> delivery.attempt() == 1)
			.map(ImageEventDelivery::event)
			.filter((event) -> event != null && event.uploadedAt() != null)
			.map((event) -> Duration.between(event.uploadedAt(), now))
			.max(Duration::compareTo)
			.orElse(Duration.ZERO);
	}

	/** Makes sure the gathered polls are handled within {@code millis} from now. */
	private void flushWithin(long millis) {
		long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		if (this.deadline != null && this.deadlineAt - at <= 0) {
			return;
		}
		flushAt(at);
	}

	/** Handles the gathered polls at {@code at} (nanoTime), instead of any earlier or later deadline. */
	private void flushAt(long at) {
		if (this.deadline != null) {
			if (this.deadlineAt == at) {
				return;
			}
			this.deadline.cancel(false);
		}
		this.deadlineAt = at;
		this.deadline = this.timer.schedule(this::flushByDeadline, Math.max(0, at - System.nanoTime()),
				TimeUnit.NANOSECONDS);
	}

	private static long later(long one, long other) {
		return (one - other >= 0) ? one : other;
	}

	private static Duration min(Duration one, Duration other) {
		return (one.compareTo(other) <= 0) ? one : other;
	}

	private void flushByDeadline() {
		List<Gathered> batch;
		synchronized (this) {
			this.deadline = null;
			if (this.running || this.gathered.isEmpty()) {
				return;
			}
			batch = take();
			this.running = true;
		}
		start(batch);
	}

	/**
	 * Handles {@code batch}, then, one after another, what was gathered meanwhile: one batch at a time per
	 * instance, so while the CRM is slow or the rate limit makes a batch wait, the next one grows instead of more
	 * small batches spending more requests.
	 */
	private void start(List<Gathered> batch) {
		Thread.ofVirtual().name("crm-batch").start(() -> {
			List<Gathered> next = batch;
			try {
				while (next != null) {
					run(next);
					synchronized (this) {
						next = null;
						if (this.gathered.isEmpty()) {
							// Nothing waits.
						}
						else if (this.gatheredEvents >= this.maxEvents || this.lateDeadlineAt == 0
								|| this.lateDeadlineAt - System.nanoTime() <= 0) {
							next = take();
						}
						else {
							// Late photos gather until their deadline.
							flushAt(this.lateDeadlineAt);
						}
						this.running = (next != null);
					}
				}
			}
			finally {
				if (next != null) {
					// Left by an error: the next poll starts the batches again.
					synchronized (this) {
						this.running = false;
					}
				}
			}
		});
	}

	/** The gathered polls, up to {@code max-events} events (whole polls); the rest stay gathered. */
	private List<Gathered> take() {
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
		List<Gathered> batch = new ArrayList<>();
		int events = 0;
		while (!this.gathered.isEmpty() && (batch.isEmpty() || events + this.gathered.getFirst().deliveries().size()
				<= this.maxEvents)) {
			Gathered first = this.gathered.removeFirst();
			batch.add(first);
			events += first.deliveries().size();
		}
		this.gatheredEvents -= events;
		if (this.gathered.isEmpty()) {
			this.lateDeadlineAt = 0;
		}
		// Else more than a batch was gathered: the rest is handled right after this one (its deadline has passed).
		return batch;
	}

	private void run(List<Gathered> batch) {
		if (batch.isEmpty()) {
			return;
		}
		List<ImageEventDelivery> deliveries = batch.stream().flatMap((each) -> each.deliveries().stream()).toList();
		try {
			this.sizes.record(deliveries.size());
			settle(deliveries);
		}
		catch (RuntimeException ex) {
			// The database or the queue failed: nothing is acknowledged, every message comes back when its
			// visibility ends.
			logger.error("A batch of {} image events failed; its messages come back after their visibility timeout",
					deliveries.size(), ex);
		}
		finally {
			batch.forEach((each) -> each.settled().complete(null));
		}
	}

	/**
	 * Handles a batch one tenant at a time: each tenant has its own CRM account, key and rate limit, so no CRM
	 * request ever mixes tenants. Within a tenant, erasures go first: an image event of an upload erased in the same
	 * batch then does nothing.
	 */
	private void settle(List<ImageEventDelivery> deliveries) {
		Map<String, List<ImageEventDelivery>> byTenant = deliveries.stream()
			.collect(Collectors.groupingBy(ImageEventDelivery::tenant, LinkedHashMap::new, Collectors.toList()));
		Map<ImageEventDelivery, Verdict> verdicts = new LinkedHashMap<>();
		byTenant.forEach((tenant, ofTenant) -> verdicts.putAll(settle(tenant, ofTenant)));
		this.settlement.settle(verdicts, this.retry);
	}

	private Map<ImageEventDelivery, Verdict> settle(String tenant, List<ImageEventDelivery> deliveries) {
		Map<ImageEventDelivery, Verdict> verdicts = new LinkedHashMap<>();
		List<ImageEventDelivery> erasures = deliveries.stream().filter((delivery) -> delivery.erasure() != null).toList();
		if (!erasures.isEmpty()) {
			verdicts.putAll(this.erasures.erase(tenant, erasures));
		}
		List<ImageEventDelivery> images = deliveries.stream().filter((delivery) -> delivery.erasure() == null).toList();
		if (images.isEmpty()) {
			return verdicts;
		}
		PhotoLinkService.Result result = this.photoLinks.sync(tenant, images, this.retry.maxAttempts());
		verdicts.putAll(result.verdicts());
		Optional<CrmConnection> connection = this.connections.forTenant(tenant);
		if (!result.synced().isEmpty() && connection.isPresent()) {
			Map<UUID, CrmUnavailableException> failures = this.notifications.notifyOwners(connection.get(),
					result.synced().values());
			result.synced().forEach((delivery, uploadId) -> {
				CrmUnavailableException failure = failures.get(uploadId);
				if (failure != null) {
					verdicts.put(delivery, Verdict.of(failure));
				}
			});
		}
		return verdicts;
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

	private record Gathered(List<ImageEventDelivery> deliveries, CompletableFuture<Void> settled) {
	}

}
