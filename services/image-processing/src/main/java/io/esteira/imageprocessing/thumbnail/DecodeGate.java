package io.esteira.imageprocessing.thumbnail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decode slots and deadlines: runs each decode (with its resize) on one of {@code slots} decode threads, holding one
 * slot of a fair semaphore, and stops waiting for it after {@code timeout}. The slot is released by the decode thread
 * when the work really ends: a decode that overran its limit (a native one cannot be stopped) keeps its slot, and the
 * memory it holds, until then, so timed-out decodes can never add up to more than {@code slots} decodes in memory;
 * its result is dropped. A caller that finds no free slot within {@code slotWait} gets a
 * {@link DecodeSlotsBusyException} (transient: try again later). Thread-safe.
 */
final class DecodeGate implements AutoCloseable {

	private final long timeoutNanos;

	private final long slotWaitNanos;

	private final Semaphore slots;

	private final ExecutorService executor;

	private final AtomicLong started = new AtomicLong();

	/**
	 * @param slots decodes running at once; callers beyond wait
	 * @param timeout how long a caller waits for its decode once it has a slot
	 * @param slotWait how long a caller waits for a free slot
	 */
	DecodeGate(int slots, Duration timeout, Duration slotWait) {
		this.timeoutNanos = timeout.toNanos();
		this.slotWaitNanos = slotWait.toNanos();
		this.slots = new Semaphore(slots, true);
		// Platform threads: a native decode pins its thread, which must not be one of the few virtual-thread carriers.
		ThreadPoolExecutor threads = new ThreadPoolExecutor(slots, slots, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), Thread.ofPlatform().name("image-decode-", 1).daemon().factory());
		threads.allowCoreThreadTimeOut(true);
		this.executor = threads;
	}

	/**
	 * Runs {@code work} on a decode thread once a slot is free, and waits for it until the time limit has passed.
	 * @param format the source's format, named in a {@code decode_timeout} rejection
	 * @throws UnreadableImageException what the work threw, or {@code decode_timeout} past the limit
	 * @throws DecodeSlotsBusyException when no slot came free within the slot wait
	 * @throws InterruptedException when interrupted while waiting (the work is then abandoned)
	 */
	<T> T run(String format, Work<T> work) throws UnreadableImageException, InterruptedException {
		if (!this.slots.tryAcquire(this.slotWaitNanos, TimeUnit.NANOSECONDS)) {
			throw new DecodeSlotsBusyException("No decode slot came free within " + this.slotWaitNanos / 1_000_000
					+ " ms (" + this.slots.getQueueLength() + " waiting)");
		}
		Deadline deadline = new Deadline(System.nanoTime() + this.timeoutNanos, this.timeoutNanos);
		Future<T> result;
		try {
			result = this.executor.submit(() -> {
				try {
					this.started.incrementAndGet();
					return work.run(deadline);
				}
				finally {
					this.slots.release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.slots.release();
			throw new DecodeSlotsBusyException("The decode threads are shut down");
		}
		try {
			return result.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			deadline.abandon();
			throw deadline.timedOut(format);
		}
		catch (InterruptedException ex) {
			deadline.abandon();
			throw ex;
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof UnreadableImageException unreadable) {
				throw unreadable;
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new UncheckedIOException(
					(cause instanceof IOException io) ? io : new IOException("Decode failed", cause));
		}
	}

	/** Decodes started since this gate was made. */
	long started() {
		return this.started.get();
	}

	/** Slots free now (a slot stays taken until its decode really ends, in time or not). */
	int freeSlots() {
		return this.slots.availablePermits();
	}

	/** Stops the decode threads (decodes still running end on their own; their results are dropped). */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/** What runs on a decode thread, holding a slot. */
	@FunctionalInterface
	interface Work<T> {

		T run(Deadline deadline) throws UnreadableImageException;

	}

	/**
	 * One decode's time limit, as seen from the decode thread: when it passes ({@link #isPast()}, for decoders that can
	 * be aborted) and whether the caller has stopped waiting ({@link #isAbandoned()}: skip any further work).
	 */
	static final class Deadline {

		private final long nanoTime;

		private final long limitNanos;

		private final AtomicBoolean abandoned = new AtomicBoolean();

		private Deadline(long nanoTime, long limitNanos) {
			this.nanoTime = nanoTime;
			this.limitNanos = limitNanos;
		}

		boolean isPast() {
			return System.nanoTime() > this.nanoTime;
		}

		boolean isAbandoned() {
			return this.abandoned.get();
		}

		private void abandon() {
			this.abandoned.set(true);
		}

		/** The {@code decode_timeout} rejection of a {@code format} source. */
		UnreadableImageException timedOut(String format) {
			return new UnreadableImageException(UnreadableImageException.Problem.DECODE_TIMEOUT, format,
					"Decoding took longer than " + this.limitNanos / 1_000_000 + " ms", null);
		}

	}

}
