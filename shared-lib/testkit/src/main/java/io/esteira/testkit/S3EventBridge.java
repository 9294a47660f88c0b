package io.esteira.testkit;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What S3's bucket notifications do on AWS, for emulators that have none: watches a bucket and sends an AWS-format
 * event notification to the queue configured for the object's prefix, for <em>any</em> write (REST upload,
 * presigned PUT, {@code aws s3 cp}) and any delete. It lists the bucket every {@code interval}; a new key or a
 * changed ETag is an {@code ObjectCreated:Put}, a vanished key an {@code ObjectRemoved:Delete}. Sequencers grow
 * monotonically, like S3's for one key.
 * <p>
 * Only complete objects get events: S3Proxy writes an object to {@code <key>-<random UUID>} and then renames it, and a
 * listing can catch that file in between. A key of that shape is announced only once a second listing still shows it
 * unchanged (a real object that happens to end with a UUID is then announced one interval later); a file that
 * vanished meanwhile gets no event at all, neither created nor removed.
 */
public final class S3EventBridge implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(S3EventBridge.class);

	private final S3Client s3;

	private final SqsClient sqs;

	private final String bucket;

	private final Map<String, String> queueUrlByPrefix;

	/** A name S3Proxy gives an object while writing it: the key, a dash and a random UUID. */
	private static final Pattern IN_PROGRESS = Pattern
		.compile(".+-\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

	private final Map<String, S3Object> seen = new HashMap<>();

	/** Keys that may be a write in progress, seen once, with what the listing said. */
	private final Map<String, S3Object> unsettled = new HashMap<>();

	private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 16);

	private final Clock clock = Clock.systemUTC();

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("esteira-s3-event-bridge").factory());

	/**
	 * @param queueUrlByPrefix e.g. {@code images/ -> <images queue url>}; objects under no prefix send nothing
	 */
	public S3EventBridge(S3Client s3, SqsClient sqs, String bucket, Map<String, String> queueUrlByPrefix) {
		this.s3 = s3;
		this.sqs = sqs;
		this.bucket = bucket;
		this.queueUrlByPrefix = new LinkedHashMap<>(queueUrlByPrefix);
	}

	/**
	 * Takes the bucket's current content as known (no events for it), then watches for changes: lists it
	 * {@code interval} after the last listing ended, or four times as long as that listing took when longer (a
	 * listing costs more as the bucket grows; the bridge keeps to about a fifth of a core).
	 */
	public S3EventBridge start(Duration interval) {
		this.seen.putAll(list());
		schedule(interval.toNanos(), interval);
		return this;
	}

	private void schedule(long delayNanos, Duration interval) {
		try {
			this.scheduler.schedule(() -> {
				long started = System.nanoTime();
				pollSafely();
				schedule(Math.max(interval.toNanos(), 4 * (System.nanoTime() - started)), interval);
			}, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed.
		}
	}

	/** Compares the bucket with what was seen last and sends one event per change. */
	public synchronized void poll() {
		Map<String, S3Object> now = list();
		Map<String, S3Object> unsettled = new HashMap<>();
		now.forEach((key, object) -> {
			S3Object before = this.seen.get(key);
			if (before != null && before.eTag().equals(object.eTag())) {
				return;
			}
			if (before == null && IN_PROGRESS.matcher(key).matches() && !sameAs(this.unsettled.get(key), object)) {
				unsettled.put(key, object);
				return;
			}
			send(key, "ObjectCreated:Put", object.eTag(), object.size());
		});
		this.seen.keySet()
			.stream()
			.filter((key) -> !now.containsKey(key))
			.toList()
			.forEach((key) -> send(key, "ObjectRemoved:Delete", null, 0));
		this.seen.clear();
		now.forEach((key, object) -> {
			if (!unsettled.containsKey(key)) {
				this.seen.put(key, object);
			}
		});
		this.unsettled.clear();
		this.unsettled.putAll(unsettled);
	}

	private static boolean sameAs(S3Object before, S3Object now) {
		return before != null && before.eTag().equals(now.eTag()) && before.size().equals(now.size());
	}

	private void pollSafely() {
		try {
			poll();
		}
		catch (RuntimeException ex) {
			logger.warn("S3 event bridge could not poll bucket {}: {}", this.bucket, ex.getMessage());
		}
	}

	private void send(String key, String eventName, String eTag, long size) {
		this.queueUrlByPrefix.entrySet()
			.stream()
			.filter((route) -> key.startsWith(route.getKey()))
			.findFirst()
			.ifPresent((route) -> {
				S3ObjectEvent event = new S3ObjectEvent(eventName, this.clock.instant(), this.bucket, key, size, eTag,
						null, Long.toHexString(this.sequencer.incrementAndGet()).toUpperCase());
				this.sqs.sendMessage((request) -> request.queueUrl(route.getValue())
					.messageBody(S3Events.encode(event, AwsTestClients.REGION.id())));
				logger.debug("{} {} -> {}", eventName, key, route.getValue());
			});
	}

	private Map<String, S3Object> list() {
		Map<String, S3Object> objects = new HashMap<>();
		for (S3Object object : this.s3.listObjectsV2Paginator((request) -> request.bucket(this.bucket)).contents()) {
			objects.put(object.key(), object);
		}
		return objects;
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
