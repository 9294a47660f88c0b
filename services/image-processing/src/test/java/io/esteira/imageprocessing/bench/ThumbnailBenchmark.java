package io.esteira.imageprocessing.bench;

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
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;

import io.esteira.imageprocessing.ImageFixtures;
import io.esteira.imageprocessing.thumbnail.AlphaOutput;
import io.esteira.imageprocessing.thumbnail.Renditions;
import io.esteira.imageprocessing.thumbnail.ThumbnailRenderer;

/**
 * Thumbnail benchmark: Esteira's renderer against {@code vipsthumbnail} on the same generated files, and a stress run
 * of 20 concurrent 40 MP images. Run it with {@code services/image-processing/bench/run.sh} (see the README).
 * <ul>
 * <li>{@code speed <dir> <iterations>}: per input (12 MP JPEG, 2 MP JPEG, 2000x2000 PNG with alpha): CPU ms per
 * image (process CPU, so GC and JIT threads count), images/s per core, peak heap, MB allocated per image, the ratio to
 * vips, and PSNR of each 256 px result against an area-averaged (box filter) downscale of the full decode.</li>
 * <li>{@code generate <dir>}: writes the 40 MP stress input (needs about 1 GB of heap).</li>
 * <li>{@code stress <dir>}: 20 threads render a 40 MP JPEG at once, each with its own copy of the source, under
 * whatever {@code -Xmx} the JVM has; exits non-zero on any failure.</li>
 * </ul>
 */
public final class ThumbnailBenchmark {

	private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private static final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	private ThumbnailBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args.length > 1 ? args[1] : "target/bench");
		Files.createDirectories(dir);
		if (args.length > 0 && args[0].equals("stress")) {
			stress(dir);
		}
		else if (args.length > 0 && args[0].equals("generate")) {
			generateStressInput(dir);
		}
		else {
			speed(dir, args.length > 2 ? Integer.parseInt(args[2]) : 20);
		}
	}

	private static void speed(Path dir, int iterations) throws Exception {
		System.out.printf("JDK %s, %d cores, -Xmx %d MB, %d iterations per case%n", Runtime.version(),
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, iterations);
		List<Input> inputs = List.of(new Input("12 MP JPEG", "photo-12mp.jpg", () -> jpeg(photo(4000, 3000))),
				new Input("2 MP JPEG", "photo-2mp.jpg", () -> jpeg(photo(1632, 1224))),
				new Input("2000² PNG with alpha", "alpha-2000.png", ImageFixtures::aLargePngWithAlpha));
		ThumbnailRenderer only256 = new ThumbnailRenderer(List.of(256), 0.85f, AlphaOutput.JPEG_ON_WHITE, 50_000_000,
				Duration.ofSeconds(30), 1, true);
		ThumbnailRenderer imageIo256 = new ThumbnailRenderer(List.of(256), 0.85f, AlphaOutput.JPEG_ON_WHITE,
				50_000_000, Duration.ofSeconds(30), 1, false);
		ThumbnailRenderer defaults = new ThumbnailRenderer(List.of(256, 1024), 0.85f, AlphaOutput.JPEG_ON_WHITE,
				50_000_000, Duration.ofSeconds(30), 1, true);
		List<String> rows = new ArrayList<>();
		for (Input input : inputs) {
			Path file = dir.resolve(input.file());
			if (!Files.exists(file)) {
				Files.write(file, input.content().get());
			}
			byte[] source = Files.readAllBytes(file);
			BufferedImage full = flatten(ImageIO.read(new ByteArrayInputStream(source)));

			Measured esteira = measure(only256, source, iterations);
			Measured both = measure(defaults, source, iterations);
			Renditions made = only256.render(source);
			byte[] ours = made.thumbnails().getFirst().content();
			double oursPsnr = psnr(full, ImageIO.read(new ByteArrayInputStream(ours)));
			boolean jpeg = input.file().endsWith(".jpg");
			Measured pure = jpeg ? measure(imageIo256, source, iterations) : null;
			double purePsnr = jpeg ? psnr(full, ImageIO.read(new ByteArrayInputStream(
					imageIo256.render(source).thumbnails().getFirst().content()))) : 0;

			Vips vips = vips(file, dir, iterations, input.file().endsWith(".png"));
			double vipsPsnr = psnr(full, flatten(ImageIO.read(vips.output().toFile())));

			rows.add(String.format(Locale.ROOT, "| %s | Esteira (%s), 256 | %.0f | %.1f | %d | %.0f | %.2f× | %.1f dB |",
					input.name(), made.decoder(), esteira.cpuMillis(), 1000 / esteira.cpuMillis(), esteira.peakHeapMb(),
					esteira.allocatedMb(), esteira.cpuMillis() / vips.cpuMillis(), oursPsnr));
			if (pure != null) {
				rows.add(String.format(Locale.ROOT,
						"| %s | Esteira (imageio), 256 | %.0f | %.1f | %d | %.0f | %.2f× | %.1f dB |", input.name(),
						pure.cpuMillis(), 1000 / pure.cpuMillis(), pure.peakHeapMb(), pure.allocatedMb(),
						pure.cpuMillis() / vips.cpuMillis(), purePsnr));
			}
			rows.add(String.format(Locale.ROOT,
					"| %s | Esteira, 256 + 1024 (default) | %.0f | %.1f | %d | %.0f | %.2f× | |",
					input.name(), both.cpuMillis(), 1000 / both.cpuMillis(), both.peakHeapMb(), both.allocatedMb(),
					both.cpuMillis() / vips.cpuMillis()));
			rows.add(String.format(Locale.ROOT, "| %s | vipsthumbnail -s 256 | %.0f | %.1f | | | 1.00× | %.1f dB |",
					input.name(), vips.cpuMillis(), 1000 / vips.cpuMillis(), vipsPsnr));
		}
		System.out.println();
		System.out.println("| input | path | CPU ms/image | images/s per core | peak heap MB | MB allocated/image "
				+ "| CPU vs vips | PSNR vs reference |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		rows.forEach(System.out::println);
	}

	private static Measured measure(ThumbnailRenderer renderer, byte[] source, int iterations) throws Exception {
		for (int i = 0; i < Math.max(5, iterations / 2); i++) {
			renderer.render(source);
		}
		System.gc();
		resetPeaks();
		long allocated = threads.getTotalThreadAllocatedBytes();
		long cpu = os.getProcessCpuTime();
		for (int i = 0; i < iterations; i++) {
			Renditions made = renderer.render(source);
			if (made.thumbnails().isEmpty()) {
				throw new IllegalStateException();
			}
		}
		double cpuMillis = (os.getProcessCpuTime() - cpu) / 1e6 / iterations;
		double allocatedMb = (threads.getTotalThreadAllocatedBytes() - allocated) / 1048576.0 / iterations;
		return new Measured(cpuMillis, peakHeapMb(), allocatedMb);
	}

	/** Runs vipsthumbnail once over {@code iterations} copies of the file; CPU from the shell's {@code times}. */
	private static Vips vips(Path file, Path dir, int iterations, boolean png) throws Exception {
		Path out = dir.resolve("vips");
		Files.createDirectories(out);
		// Like Esteira's default: JPEG at quality 85, transparency drawn on white.
		String format = png ? "%s_vips.jpg[Q=85,background=255]" : "%s_vips.jpg[Q=85]";
		String files = String.join(" ", java.util.Collections.nCopies(iterations, "'" + file + "'"));
		String script = "vipsthumbnail -s 256 -o '" + out + "/" + format + "' " + files + " && times";
		// Warm the page cache and the shared libraries.
		run("vipsthumbnail -s 256 -o '" + out + "/" + format + "' '" + file + "'");
		String[] times = run(script).strip().split("\\R");
		String[] children = times[times.length - 1].trim().split("\\s+");
		double cpuMillis = (seconds(children[0]) + seconds(children[1])) * 1000 / iterations;
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

	private static void stress(Path dir) throws Exception {
		int callers = 20;
		Path file = dir.resolve("photo-40mp.jpg");
		if (!Files.exists(file)) {
			throw new IllegalStateException(file + " is missing: run the speed benchmark first (it generates it)");
		}
		byte[] source = Files.readAllBytes(file);
		ThumbnailRenderer renderer = new ThumbnailRenderer(List.of(256, 1024), 0.85f, AlphaOutput.JPEG_ON_WHITE,
				50_000_000, Duration.ofSeconds(60), 2, true);
		System.out.printf("Stress: %d concurrent renders of a 40 MP JPEG (%d MB), -Xmx %d MB, 2 decode slots%n",
				callers, source.length >> 20, Runtime.getRuntime().maxMemory() >> 20);
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

	private static BufferedImage flatten(BufferedImage image) {
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

	private record Input(String name, String file, java.util.function.Supplier<byte[]> content) {
	}

	private record Measured(double cpuMillis, long peakHeapMb, double allocatedMb) {
	}

	private record Vips(double cpuMillis, Path output) {
	}

}
