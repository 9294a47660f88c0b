package io.esteira.imageprocessing.thumbnail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.esteira.imageprocessing.ImageFixtures;
import org.imgscalr.Scalr;

/**
 * Thumbnail benchmark: Esteira's renderer against {@code vipsthumbnail} on the same generated files, each Esteira path
 * rendered twice side by side, before ({@link Downscale#AREA_AVERAGING}: our {@link AreaScaler} all the way) and after
 * imgscalr ({@link Downscale#AREA_AVERAGING_THEN_IMGSCALR}, what the service ships); and a stress run of concurrent
 * large images. Run it with {@code services/image-processing/bench/run.sh} (see the README).
 * <ul>
 * <li>{@code speed <dir> <iterations> [smoke]}: per input (12 MP JPEG, 2 MP JPEG, 2000x2000 PNG with alpha; in smoke
 * mode a 2 MP JPEG and a 400x300 PNG with alpha): CPU ms per image (process CPU, so GC and JIT threads count; the
 * lowest of three rounds, the paths of a row pair taking turns), images/s per core, peak heap, MB allocated per
 * image, the ratio to vips, and PSNR of each 256 px result against an area-averaged (box filter) downscale of the full
 * decode. For the 12 MP JPEG also imgscalr alone (the measured reason
 * AreaScaler keeps the reduction). Exits non-zero when a PSNR is implausible (below 30 dB) or the shipped path loses
 * more than 0.5 dB against AreaScaler alone.</li>
 * <li>{@code generate <dir>}: writes the 40 MP stress input (needs about 1 GB of heap).</li>
 * <li>{@code stress <dir> [callers] [file]}: {@code callers} threads (20) render {@code file}
 * ({@code photo-40mp.jpg}) at once, each with its own copy of the source, under whatever {@code -Xmx} the JVM has;
 * exits non-zero on any failure.</li>
 * </ul>
 */
public final class ThumbnailBenchmark {

	private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private static final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	/** Lowest PSNR a working pipeline gives on these inputs (they measure 33 to 41 dB). */
	private static final double PLAUSIBLE_PSNR = 30;

	/** How much PSNR the shipped path may lose against AreaScaler alone. */
	private static final double PSNR_TOLERANCE = 0.5;

	/** Turns each measured path takes (vips too); each keeps its lowest CPU time. */
	private static final int ROUNDS = 3;

	private static final Downscale BEFORE = Downscale.AREA_AVERAGING;

	private static final Downscale AFTER = Downscale.AREA_AVERAGING_THEN_IMGSCALR;

	private ThumbnailBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0) ? args[0] : "speed";
		Path dir = Path.of(args.length > 1 ? args[1] : "target/bench").toAbsolutePath();
		Files.createDirectories(dir);
		switch (mode) {
			case "stress" -> stress(dir, args.length > 2 ? Integer.parseInt(args[2]) : 20,
					args.length > 3 ? args[3] : "photo-40mp.jpg");
			case "generate" -> generateStressInput(dir);
			case "speed" -> speed(dir, args.length > 2 ? Integer.parseInt(args[2]) : 20,
					args.length > 3 && args[3].equals("smoke"));
			default -> throw new IllegalArgumentException("Unknown mode " + mode + ": speed, generate or stress");
		}
	}

	private static void speed(Path dir, int iterations, boolean smoke) throws Exception {
		System.out.printf("JDK %s, %d cores, -Xmx %d MB, %d iterations per case%s%n", Runtime.version(),
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, iterations,
				smoke ? " (smoke: small inputs, figures not meaningful)" : "");
		List<Input> inputs = smoke
				? List.of(new Input("2 MP JPEG", "photo-2mp.jpg", () -> jpeg(photo(1632, 1224))),
						new Input("400x300 PNG with alpha", "alpha-400.png", ImageFixtures::aPngWithAlpha))
				: List.of(new Input("12 MP JPEG", "photo-12mp.jpg", () -> jpeg(photo(4000, 3000))),
						new Input("2 MP JPEG", "photo-2mp.jpg", () -> jpeg(photo(1632, 1224))),
						new Input("2000² PNG with alpha", "alpha-2000.png", ImageFixtures::aLargePngWithAlpha));
		Bench bench = new Bench(iterations, smoke ? 1 : Math.max(5, iterations / 2), smoke ? 1 : ROUNDS);
		List<String> rows = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		for (Input input : inputs) {
			Path file = dir.resolve(input.file());
			if (!Files.exists(file)) {
				Files.write(file, input.content().get());
			}
			byte[] source = Files.readAllBytes(file);
			BufferedImage full = flatten(ImageIO.read(new ByteArrayInputStream(source)));
			boolean jpeg = input.file().endsWith(".jpg");
			Vips vips = vips(file, dir, iterations, !jpeg, smoke ? 1 : ROUNDS);
			double vipsPsnr = psnr(full, flatten(ImageIO.read(vips.output().toFile())));

			List<Case> cases = new ArrayList<>();
			cases.add(new Case("configured", List.of(256), true));
			if (jpeg) {
				cases.add(new Case("imageio", List.of(256), false));
			}
			cases.add(new Case("default", List.of(256, 1024), true));
			for (Case c : cases) {
				List<Row> measured = bench.rows(c, List.of(BEFORE, AFTER), source, full);
				Row before = measured.get(0);
				Row after = measured.get(1);
				String path = switch (c.label()) {
					case "default" -> "Esteira, 256 + 1024 (default)";
					case "imageio" -> "Esteira (imageio), 256";
					default -> "Esteira (" + after.decoder() + "), 256";
				};
				rows.add(before.format(input.name(), path, "AreaScaler (before)", vips));
				rows.add(after.format(input.name(), path, "AreaScaler + imgscalr (after)", vips));
				check(failures, input.name() + ", " + path, before, after);
			}
			if (input.file().equals("photo-12mp.jpg")) {
				List<Row> alone = bench.rows(cases.getFirst(),
						List.of(imgscalrAlone(Scalr.Method.QUALITY), imgscalrAlone(Scalr.Method.ULTRA_QUALITY)), source,
						full);
				String path = "Esteira (" + alone.getFirst().decoder() + "), 256";
				rows.add(alone.get(0).format(input.name(), path, "imgscalr QUALITY alone", vips));
				rows.add(alone.get(1).format(input.name(), path, "imgscalr ULTRA_QUALITY alone", vips));
			}
			rows.add(String.format(Locale.ROOT, "| %s | vipsthumbnail -s 256 | vips | %.0f | %.1f | | | 1.00× | %.1f dB |",
					input.name(), vips.cpuMillis(), 1000 / vips.cpuMillis(), vipsPsnr));
		}
		System.out.println();
		System.out.println("| input | path | resize | CPU ms/image | images/s per core | peak heap MB "
				+ "| MB allocated/image | CPU vs vips | PSNR vs reference |");
		System.out.println("|---|---|---|---|---|---|---|---|---|");
		rows.forEach(System.out::println);
		System.out.println();
		if (!failures.isEmpty()) {
			failures.forEach((failure) -> System.out.println("FAILED: " + failure));
			System.exit(1);
		}
		System.out.printf(Locale.ROOT, "Checks passed: every PSNR at least %.0f dB, after imgscalr within %.1f dB of "
				+ "AreaScaler alone%n", PLAUSIBLE_PSNR, PSNR_TOLERANCE);
	}

	private static void check(List<String> failures, String what, Row before, Row after) {
		if (before.psnr() == null) {
			return;
		}
		if (before.psnr() < PLAUSIBLE_PSNR || after.psnr() < PLAUSIBLE_PSNR) {
			failures.add(String.format(Locale.ROOT, "%s: PSNR %.1f / %.1f dB, below %.0f dB", what, before.psnr(),
					after.psnr(), PLAUSIBLE_PSNR));
		}
		if (after.psnr() < before.psnr() - PSNR_TOLERANCE) {
			failures.add(String.format(Locale.ROOT, "%s: PSNR %.2f dB after imgscalr, %.2f dB before", what,
					after.psnr(), before.psnr()));
		}
	}

	/**
	 * Runs vipsthumbnail over {@code iterations} copies of the file, {@code rounds} times, and keeps the lowest CPU
	 * time (the shell's {@code times} for its children).
	 */
	private static Vips vips(Path file, Path dir, int iterations, boolean png, int rounds) throws Exception {
		Path out = dir.resolve("vips");
		Files.createDirectories(out);
		// Like Esteira's default: JPEG at quality 85, transparency drawn on white.
		String format = png ? "%s_vips.jpg[Q=85,background=255]" : "%s_vips.jpg[Q=85]";
		String files = String.join(" ", Collections.nCopies(iterations, "'" + file + "'"));
		String script = "vipsthumbnail -s 256 -o '" + out + "/" + format + "' " + files + " && times";
		// Warm the page cache and the shared libraries.
		run("vipsthumbnail -s 256 -o '" + out + "/" + format + "' '" + file + "'");
		double cpuMillis = Double.MAX_VALUE;
		for (int round = 0; round < rounds; round++) {
			String[] times = run(script).strip().split("\\R");
			String[] children = times[times.length - 1].trim().split("\\s+");
			cpuMillis = Math.min(cpuMillis, (seconds(children[0]) + seconds(children[1])) * 1000 / iterations);
		}
		String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
		return new Vips(cpuMillis, out.resolve(base + "_vips.jpg"));
	}

	private static String run(String script) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
		// One thread, so CPU time is not inflated by thread hand-offs, as for the single-threaded Java path.
		builder.environment().put("VIPS_CONCURRENCY", "1");
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("vipsthumbnail failed (is libvips-tools installed?): " + output);
		}
		return output;
	}

	/** {@code 0m1.234s} in seconds. */
	private static double seconds(String time) {
		int m = time.indexOf('m');
		return Integer.parseInt(time.substring(0, m)) * 60 + Double.parseDouble(time.substring(m + 1, time.length() - 1));
	}

	private static void stress(Path dir, int callers, String name) throws Exception {
		Path file = dir.resolve(name);
		if (!Files.exists(file)) {
			throw new IllegalStateException(file + " is missing: generate it first (run.sh does)");
		}
		byte[] source = Files.readAllBytes(file);
		ThumbnailRenderer renderer = new ThumbnailRenderer(List.of(256, 1024), 0.85f, AlphaOutput.JPEG_ON_WHITE,
				50_000_000, 1000, Duration.ofSeconds(60), 2, true);
		System.out.printf("Stress: %d concurrent renders of %s (%d MB), -Xmx %d MB, 2 decode slots%n", callers, name,
				source.length >> 20, Runtime.getRuntime().maxMemory() >> 20);
		resetPeaks();
		long start = System.nanoTime();
		List<Future<Renditions>> results = new ArrayList<>();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < callers; i++) {
				// Each caller holds its own copy, as each message holds the object it downloaded.
				byte[] copy = Arrays.copyOf(source, source.length);
				results.add(executor.submit(() -> renderer.render(copy)));
			}
		}
		int done = 0;
		for (Future<Renditions> result : results) {
			Renditions made = result.get();
			if (made.thumbnails().getLast().width() == 1024) {
				done++;
			}
		}
		System.out.printf("Stress: %d of %d completed in %.1f s, peak heap %d MB, no OutOfMemoryError%n", done,
				callers, (System.nanoTime() - start) / 1e9, peakHeapMb());
		if (done != callers) {
			System.exit(1);
		}
	}

	/** A photo-like image: smooth gradients, edges, fine texture and sensor-like noise. */
	static BufferedImage photo(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Random random = new Random(42);
		int[] row = new int[width];
		for (int y = 0; y < height; y++) {
			double v = (double) y / height;
			for (int x = 0; x < width; x++) {
				double u = (double) x / width;
				double texture = 18 * Math.sin(x * 0.21 + 7 * Math.sin(y * 0.013)) * Math.sin(y * 0.17);
				double blob = ((u - 0.6) * (u - 0.6) + (v - 0.4) * (v - 0.4) < 0.04) ? 60 : 0;
				int noise = (int) (random.nextGaussian() * 6);
				int r = clamp(200 * u + texture + blob + noise);
				int g = clamp(180 * v + 40 * Math.sin(u * 9) + texture + noise);
				int b = clamp(120 + 80 * Math.cos(v * 5 + u * 3) - blob + noise);
				row[x] = (r << 16) | (g << 8) | b;
			}
			image.setRGB(0, y, width, 1, row, 0, width);
		}
		return image;
	}

	static byte[] jpeg(BufferedImage image) {
		return ImageFixtures.encode(image, "jpeg");
	}

	/** Generates the 40 MP stress input next to the others. */
	static void generateStressInput(Path dir) throws IOException {
		Path file = dir.resolve("photo-40mp.jpg");
		if (!Files.exists(file)) {
			Files.write(file, jpeg(photo(7300, 5480)));
		}
	}

	private static int clamp(double value) {
		return (int) Math.max(0, Math.min(255, value));
	}

	/** Peak signal-to-noise ratio of {@code candidate} against {@code full} box-filtered to the candidate's size. */
	static double psnr(BufferedImage full, BufferedImage candidate) {
		int w = candidate.getWidth();
		int h = candidate.getHeight();
		BufferedImage reference = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = reference.createGraphics();
		graphics.drawImage(full.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
		graphics.dispose();
		double sum = 0;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				int a = reference.getRGB(x, y);
				int b = candidate.getRGB(x, y);
				for (int shift = 0; shift <= 16; shift += 8) {
					double d = ((a >> shift) & 0xFF) - ((b >> shift) & 0xFF);
					sum += d * d;
				}
			}
		}
		double mse = sum / (3.0 * w * h);
		return 10 * Math.log10(255.0 * 255.0 / mse);
	}

	static BufferedImage flatten(BufferedImage image) {
		BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = rgb.createGraphics();
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
		graphics.drawImage(image, 0, 0, null);
		graphics.dispose();
		return rgb;
	}

	private static void resetPeaks() {
		ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
	}

	/** Sum of the heap pools' peaks since the last reset (an upper bound of the peak heap). */
	private static long peakHeapMb() {
		return ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.mapToLong((pool) -> pool.getPeakUsage().getUsed())
			.sum() >> 20;
	}

	/**
	 * What one row renders: {@code label} names it ({@code configured}: the 256 px rendition, libjpeg-turbo on;
	 * {@code imageio}: libjpeg-turbo off; {@code default}: both renditions), with libjpeg-turbo on or off.
	 */
	private record Case(String label, List<Integer> sizes, boolean nativeJpeg) {
	}

	/**
	 * Measures renderers side by side: each is warmed up, then they take turns for {@code rounds} rounds of
	 * {@code iterations} renders, and each keeps its lowest CPU time per image (other processes on the machine only
	 * ever add to it).
	 */
	private record Bench(int iterations, int warmUps, int rounds) {

		List<Row> rows(Case c, List<Downscale> downscales, byte[] source, BufferedImage full) throws Exception {
			List<ThumbnailRenderer> renderers = new ArrayList<>();
			try {
				for (Downscale downscale : downscales) {
					ThumbnailRenderer renderer = new ThumbnailRenderer(c.sizes(), 0.85f, AlphaOutput.JPEG_ON_WHITE,
							50_000_000, 1000, Duration.ofSeconds(30), Duration.ofSeconds(60), 1,
							(c.nativeJpeg() && TurboJpeg.available()) ? TurboJpeg::decode : null, downscale);
					renderers.add(renderer);
					for (int i = 0; i < this.warmUps; i++) {
						renderer.render(source);
					}
				}
				Row[] best = new Row[renderers.size()];
				for (int round = 0; round < this.rounds; round++) {
					for (int r = 0; r < renderers.size(); r++) {
						Row row = measure(renderers.get(r), c, source, full);
						best[r] = (best[r] == null) ? row : best[r].bestWith(row);
					}
				}
				return List.of(best);
			}
			finally {
				renderers.forEach(ThumbnailRenderer::close);
			}
		}

		private Row measure(ThumbnailRenderer renderer, Case c, byte[] source, BufferedImage full) throws Exception {
			System.gc();
			resetPeaks();
			long allocated = threads.getTotalThreadAllocatedBytes();
			long cpu = os.getProcessCpuTime();
			Renditions made = null;
			for (int i = 0; i < this.iterations; i++) {
				made = renderer.render(source);
			}
			double cpuMillis = (os.getProcessCpuTime() - cpu) / 1e6 / this.iterations;
			double allocatedMb = (threads.getTotalThreadAllocatedBytes() - allocated) / 1048576.0 / this.iterations;
			Thumbnail smallest = made.thumbnails().getFirst();
			Double psnr = (c.sizes().size() == 1)
					? psnr(full, ImageIO.read(new ByteArrayInputStream(smallest.content()))) : null;
			return new Row(made.decoder(), cpuMillis, peakHeapMb(), allocatedMb, psnr);
		}

	}

	/** imgscalr alone: {@code method} all the way from the decoded image. */
	private static Downscale imgscalrAlone(Scalr.Method method) {
		return (image, width, height) -> Scalr.resize(image, method, Scalr.Mode.FIT_EXACT, width, height);
	}

	private record Row(String decoder, double cpuMillis, long peakHeapMb, double allocatedMb, Double psnr) {

		/** The lower CPU time, the higher peak heap. */
		Row bestWith(Row other) {
			return new Row(this.decoder, Math.min(this.cpuMillis, other.cpuMillis),
					Math.max(this.peakHeapMb, other.peakHeapMb), this.allocatedMb, this.psnr);
		}

		String format(String input, String path, String resize, Vips vips) {
			return String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f | %d | %.0f | %.2f× | %s |", input, path,
					resize, this.cpuMillis, 1000 / this.cpuMillis, this.peakHeapMb, this.allocatedMb,
					this.cpuMillis / vips.cpuMillis(),
					(this.psnr == null) ? "" : String.format(Locale.ROOT, "%.1f dB", this.psnr));
		}

	}

	private record Input(String name, String file, Supplier<byte[]> content) {
	}

	private record Vips(double cpuMillis, Path output) {
	}

}
