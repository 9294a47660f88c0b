package io.esteira.imageprocessing.thumbnail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The decode time limit on the path that cannot be aborted: a "native" JPEG decoder that ignores interrupts and only
 * returns when the test lets it, standing in for libjpeg-turbo stuck in a pathological file.
 */
class DecodeTimeLimitTest {

	/** Lets the stuck decodes return. */
	private final CountDownLatch release = new CountDownLatch(1);

	/** Decodes that started. */
	private final AtomicInteger started = new AtomicInteger();

	/** Decodes that returned. */
	private final AtomicInteger ended = new AtomicInteger();

	/** The first {@code stuck} native decodes block until released; later ones leave the JPEG to ImageIO. */
	private ScaledJpegDecoder stuckDecoder(int stuck) {
		return (jpeg, minSide) -> {
			if (this.started.incrementAndGet() <= stuck) {
				boolean interrupted = false;
				while (this.release.getCount() > 0) {
					try {
						this.release.await();
					}
					catch (InterruptedException ex) {
						// Native code does not notice interrupts either.
						interrupted = true;
					}
				}
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
			this.ended.incrementAndGet();
			return null;
		};
	}

	/**
	 * A renderer with a time limit generous enough for a real decode on a loaded machine (the stuck decodes overrun
	 * any limit), and a short wait for a slot.
	 */
	private ThumbnailRenderer renderer(int slots, int stuck) {
		return new ThumbnailRenderer(List.of(256), 0.85f, AlphaOutput.JPEG_ON_WHITE, 50_000_000, 1000,
				Duration.ofSeconds(2), Duration.ofMillis(100), slots, stuckDecoder(stuck), Downscale.AREA_AVERAGING_THEN_IMGSCALR);
	}

	@AfterEach
	void releaseStuckDecodes() {
		this.release.countDown();
	}

	@Test
	void nativeDecodesPastTheTimeLimitAreRejectedAndKeepTheirSlotsUntilTheyReallyEnd() throws Exception {
		ThumbnailRenderer renderer = renderer(2, 2);
		byte[] jpeg = aJpeg(600, 400);
		List<CompletableFuture<Throwable>> renders = Stream.generate(() -> CompletableFuture
			.supplyAsync(() -> catchThrowable(() -> renderer.render(jpeg)))).limit(2).toList();

		for (CompletableFuture<Throwable> render : renders) {
			assertThat(render.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(UnreadableImageException.class,
					(ex) -> {
						assertThat(ex.problem().code()).isEqualTo("decode_timeout");
						assertThat(ex.format()).isEqualTo("jpeg");
					});
		}
		// The callers stopped waiting; the decodes are still running and still hold both slots.
		assertThat(this.started).hasValue(2);
		assertThat(this.ended).hasValue(0);
		assertThat(renderer.freeDecodeSlots()).isZero();

		// A third image gets no slot and its decode never starts: overrunning decodes cannot pile up in memory.
		assertThatExceptionOfType(DecodeSlotsBusyException.class).isThrownBy(() -> renderer.render(jpeg));
		assertThat(this.started).hasValue(2);

		this.release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> renderer.freeDecodeSlots() == 2);
		assertThat(this.ended).hasValue(2);

		Renditions made = renderer.render(jpeg);
		assertThat(made.thumbnails()).extracting(Thumbnail::width).containsExactly(256);
		assertThat(made.decoder()).isEqualTo("imageio");
		assertThat(renderer.freeDecodeSlots()).isEqualTo(2);
	}

	@Test
	void decodeWithinTheLimitReturnsItsSlot() throws Exception {
		ThumbnailRenderer renderer = new ThumbnailRenderer(List.of(256), 0.85f, AlphaOutput.JPEG_ON_WHITE, 50_000_000, 1000,
				Duration.ofSeconds(30), Duration.ofSeconds(30), 1, stuckDecoder(0), Downscale.AREA_AVERAGING_THEN_IMGSCALR);

		Renditions made = renderer.render(aJpeg(600, 400));

		assertThat(made.thumbnails()).extracting(Thumbnail::height).containsExactly(171);
		assertThat(renderer.freeDecodeSlots()).isEqualTo(1);
		assertThat(this.ended).hasValue(1);
	}

}
