package io.esteira.imageprocessing.thumbnail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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
import java.util.zip.InflaterInputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.trbl.blurhash.BlurHash;

/**
 * Makes the renditions of one image: for each configured size, the image with its longest side at most that many
 * pixels (never upscaled), oriented per EXIF, in sRGB, without metadata, as JPEG (or PNG for images with
 * transparency when so configured), plus a BlurHash. Thread-safe.
 * <p>
 * Safety: the format comes from the leading bytes (only JPEG, PNG, GIF, BMP and WebP are decoded); the pixel count
 * is read from the header and refused above {@code maxPixels} before anything is decoded; large images are decoded
 * subsampled to no less than twice the largest rendition, so a decode takes tens of megabytes at most whatever the
 * source's size; decodes run on at most {@code maxConcurrentDecodes} decode threads, one slot each; the caller stops
 * waiting for a decode after {@code decodeTimeout} ({@code decode_timeout}), whichever decoder runs it. ImageIO decodes
 * are also aborted at that deadline; a native decode cannot be stopped, so it keeps its slot (and its memory) until it
 * really ends and its result is dropped: however many decodes time out, no more than {@code maxConcurrentDecodes} are
 * ever in memory. A caller that finds no free slot within twice the time limit gets a
 * {@link DecodeSlotsBusyException} (transient: try again later).
 * <p>
 * Speed: plain JPEGs (YCbCr or grey, no ICC profile) are decoded at reduced size by libjpeg-turbo (DCT scaling,
 * {@link TurboJpeg}) when the library is present and {@code nativeJpeg} is on. Everything else goes through ImageIO.
 */
public class ThumbnailRenderer implements AutoCloseable {

	private static final String JPEG = "image/jpeg";

	private static final String PNG = "image/png";

	private final List<Integer> sizes;

	private final float quality;

	private final AlphaOutput alphaOutput;

	private final long maxPixels;

	private final long decodeTimeoutNanos;

	private final long slotWaitNanos;

	private final Semaphore decodes;

	private final ExecutorService executor;

	private final boolean nativeJpeg;

	private final JpegDecoder jpegDecoder;

	/**
	 * @param sizes longest side of each rendition in pixels
	 * @param quality JPEG quality, {@code 0.0} to {@code 1.0}
	 * @param alphaOutput what renditions of images with transparency become
	 * @param maxPixels sources whose header declares more pixels are refused before decoding
	 * @param decodeTimeout decodes running longer are aborted
	 * @param maxConcurrentDecodes decodes (and resizes) running at once; callers beyond wait
	 * @param nativeJpeg decode plain JPEGs at reduced size with libjpeg-turbo when the library is present
	 */
	public ThumbnailRenderer(List<Integer> sizes, float quality, AlphaOutput alphaOutput, long maxPixels,
			Duration decodeTimeout, int maxConcurrentDecodes, boolean nativeJpeg) {
		this(sizes, quality, alphaOutput, maxPixels, decodeTimeout, decodeTimeout.multipliedBy(2),
				maxConcurrentDecodes, (nativeJpeg && TurboJpeg.available()) ? TurboJpeg::decode : null);
	}

	/**
	 * A renderer whose scaled JPEG decoder is {@code jpegDecoder} (the test seam for a native decode that cannot be
	 * stopped), or that decodes everything with ImageIO when it is {@code null}; callers wait at most
	 * {@code slotWait} for a decode slot.
	 */
	ThumbnailRenderer(List<Integer> sizes, float quality, AlphaOutput alphaOutput, long maxPixels,
			Duration decodeTimeout, Duration slotWait, int maxConcurrentDecodes, JpegDecoder jpegDecoder) {
		if (sizes.isEmpty()) {
			throw new IllegalArgumentException("At least one rendition size is needed");
		}
		this.sizes = sizes.stream().distinct().sorted().toList();
		this.quality = quality;
		this.alphaOutput = alphaOutput;
		this.maxPixels = maxPixels;
		this.decodeTimeoutNanos = decodeTimeout.toNanos();
		this.slotWaitNanos = slotWait.toNanos();
		this.decodes = new Semaphore(maxConcurrentDecodes, true);
		// Platform threads: a native decode pins its thread, which must not be one of the few virtual-thread carriers.
		ThreadPoolExecutor threads = new ThreadPoolExecutor(maxConcurrentDecodes, maxConcurrentDecodes, 30,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				Thread.ofPlatform().name("image-decode-", 1).daemon().factory());
		threads.allowCoreThreadTimeOut(true);
		this.executor = threads;
		this.nativeJpeg = jpegDecoder != null;
		this.jpegDecoder = jpegDecoder;
		// Plugins on the application class path (TwelveMonkeys' JPEG and WebP readers) register with the thread that
		// first touches ImageIO; under a launcher class loader that may not see them, so register explicitly.
		ImageIO.scanForPlugins();
	}

	/** The rendition sizes, smallest first. */
	public List<Integer> sizes() {
		return this.sizes;
	}

	/**
	 * Decodes {@code source} and encodes its renditions.
	 * @throws UnreadableImageException when {@code source} is not a decodable image within the limits (including
	 * {@code decode_timeout})
	 * @throws DecodeSlotsBusyException when no decode slot came free in time (a transient condition)
	 * @throws InterruptedException when interrupted while waiting for a decode slot or the decode
	 */
	public Renditions render(byte[] source) throws UnreadableImageException, InterruptedException {
		ImageFormat format = ImageFormat.sniff(source);
		if (format == null) {
			String kind = ImageFormat.describeUnsupported(source);
			throw new UnreadableImageException(UnreadableImageException.Problem.UNSUPPORTED_FORMAT, kind,
					"Not a supported image format (looks like " + kind + ")", null);
		}
		String name = format.readerName();
		int[] size = dimensions(source, format);
		int width = size[0];
		int height = size[1];
		if (width <= 0 || height <= 0) {
			throw new UnreadableImageException(UnreadableImageException.Problem.CORRUPT_IMAGE, name,
					"Image declares " + width + "x" + height + " pixels", null);
		}
		if ((long) width * height > this.maxPixels) {
			throw new UnreadableImageException(UnreadableImageException.Problem.TOO_MANY_PIXELS, name,
					"Image declares " + width + "x" + height + " pixels, more than " + this.maxPixels, null);
		}
		int orientation = switch (format) {
			case JPEG -> ExifOrientation.ofJpeg(source);
			case PNG -> ExifOrientation.ofPng(source);
			case WEBP -> ExifOrientation.ofWebp(source);
			default -> ExifOrientation.NORMAL;
		};
		// An RGB profile other than sRGB that this class applies to the renditions (PNG iCCP; JPEG APP2 when
		// libjpeg-turbo decodes it: ImageIO's JPEG reader applies its profiles itself).
		ICC_Profile profile = (format == ImageFormat.PNG) ? pngProfile(source) : null;
		Decoded decoded = withinTimeLimit(name, (deadline, abandoned) -> decodeAndResize(source, format,
				Math.max(width, height), orientation, profile, deadline, abandoned));
		try {
			long encodeStart = System.nanoTime();
			List<Thumbnail> thumbnails = new ArrayList<>(decoded.images().size());
			for (int i = 0; i < decoded.images().size(); i++) {
				thumbnails.add(encode(Integer.toString(this.sizes.get(i)), decoded.images().get(i)));
			}
			String blurHash = blurHash(decoded.images().getFirst());
			long encodeNanos = System.nanoTime() - encodeStart;
			return new Renditions(name, width, height, orientation, List.copyOf(thumbnails), blurHash,
					decoded.decodeNanos() / 1_000_000, decoded.resizeNanos() / 1_000_000, encodeNanos / 1_000_000,
					decoded.decoder());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Decode slots free now (a slot stays taken until its decode really ends, in time or not). */
	int freeDecodeSlots() {
		return this.decodes.availablePermits();
	}

	/** Stops the decode threads (decodes still running end on their own; their results are dropped). */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/**
	 * Runs {@code work} on a decode thread once a decode slot is free, and waits for it until {@code decodeTimeout}
	 * has passed. The slot is released by the decode thread when the work really ends: a decode that overran its
	 * limit (a native one cannot be stopped) keeps its slot, and the memory it holds, until then, so timed-out
	 * decodes can never add up to more than {@code maxConcurrentDecodes} decodes in memory. Its result is dropped.
	 */
	private Decoded withinTimeLimit(String format, DecodeWork work)
			throws UnreadableImageException, InterruptedException {
		if (!this.decodes.tryAcquire(this.slotWaitNanos, TimeUnit.NANOSECONDS)) {
			throw new DecodeSlotsBusyException("No decode slot came free within " + this.slotWaitNanos / 1_000_000
					+ " ms (" + this.decodes.getQueueLength() + " waiting)");
		}
		long deadline = System.nanoTime() + this.decodeTimeoutNanos;
		AtomicBoolean abandoned = new AtomicBoolean();
		Future<Decoded> result;
		try {
			result = this.executor.submit(() -> {
				try {
					return work.run(deadline, abandoned);
				}
				finally {
					this.decodes.release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.decodes.release();
			throw new DecodeSlotsBusyException("The decode threads are shut down");
		}
		try {
			return result.get(this.decodeTimeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			abandoned.set(true);
			throw timedOut(format);
		}
		catch (InterruptedException ex) {
			abandoned.set(true);
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

	private UnreadableImageException timedOut(String format) {
		return new UnreadableImageException(UnreadableImageException.Problem.DECODE_TIMEOUT, format,
				"Decoding took longer than " + this.decodeTimeoutNanos / 1_000_000 + " ms", null);
	}

	/** Runs on a decode thread, holding a decode slot. */
	private Decoded decodeAndResize(byte[] source, ImageFormat format, int longestSide, int orientation,
			ICC_Profile profile, long deadline, AtomicBoolean abandoned) throws UnreadableImageException {
		long start = System.nanoTime();
		BufferedImage decoded = null;
		String decoder = "imageio";
		if (format == ImageFormat.JPEG && this.nativeJpeg) {
			JpegProfile jpegProfile = jpegProfile(source);
			if (jpegProfile.turboCanApply()) {
				decoded = this.jpegDecoder.decode(source, this.sizes.getLast() * 2);
			}
			if (decoded != null) {
				decoder = "libjpeg-turbo";
				profile = jpegProfile.profile();
			}
		}
		if (decoded == null && !abandoned.get()) {
			decoded = decode(source, format, longestSide, deadline);
		}
		if (abandoned.get()) {
			// Nobody waits for this any more (the time limit passed): skip the resize, free the slot.
			return null;
		}
		long decodedAt = System.nanoTime();
		List<BufferedImage> images = resize(decoded, orientation, profile);
		return new Decoded(images, decoder, decodedAt - start, System.nanoTime() - decodedAt);
	}

	/** Width and height from the header, without decoding pixels. */
	private static int[] dimensions(byte[] source, ImageFormat format) throws UnreadableImageException {
		// Memory-cached streams: ImageIO's default caches to temporary files.
		try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(source))) {
			ImageReader reader = reader(format);
			try {
				reader.setInput(input, true, true);
				return new int[] { dimension(reader, format.readerName(), true),
						dimension(reader, format.readerName(), false) };
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ImageReader reader(ImageFormat format) {
		Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName());
		if (!readers.hasNext()) {
			throw new IllegalStateException("No ImageIO reader for " + format + " on the class path");
		}
		return readers.next();
	}

	private static int dimension(ImageReader reader, String format, boolean width) throws UnreadableImageException {
		try {
			return width ? reader.getWidth(0) : reader.getHeight(0);
		}
		catch (IOException | RuntimeException ex) {
			throw corrupt(format, ex);
		}
	}

	/**
	 * Decodes the first image (the first frame of an animation). Images more than twice as large as the largest
	 * rendition are decoded subsampled to no less than twice its size: the decoded image then takes a few megabytes
	 * of heap instead of three or four bytes per source pixel, and the area-averaging downscale that follows still
	 * has detail to filter. The decode is aborted past the time limit (checked at each progress report of the
	 * reader, on the decoding thread: the JDK's JPEG reader refuses {@code abort()} from another thread), and
	 * truncated data (which readers report as a warning and fill with grey) is corrupt.
	 */
	private BufferedImage decode(byte[] source, ImageFormat imageFormat, int longestSide, long deadline)
			throws UnreadableImageException {
		String format = imageFormat.readerName();
		DecodeWatch watch = new DecodeWatch(deadline);
		// The reader lives and dies on this (the decoding) thread: ImageIO readers refuse use from two threads.
		try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(source))) {
			ImageReader reader = reader(imageFormat);
			try {
				reader.setInput(input, true, true);
				reader.addIIOReadProgressListener(watch);
				reader.addIIOReadWarningListener((ignored, warning) -> {
					String lower = warning.toLowerCase(Locale.ROOT);
					if (lower.contains("premature end") || lower.contains("truncated")
							|| lower.contains("missing eoi")) {
						watch.truncated = warning;
					}
				});
				ImageReadParam param = reader.getDefaultReadParam();
				int step = Math.max(1, longestSide / (this.sizes.getLast() * 2));
				if (step > 1) {
					param.setSourceSubsampling(step, step, 0, 0);
				}
				BufferedImage image = reader.read(0, param);
				if (watch.aborted) {
					throw timedOut(format);
				}
				if (watch.truncated != null) {
					throw new UnreadableImageException(UnreadableImageException.Problem.CORRUPT_IMAGE, format,
							"Truncated " + format + ": " + watch.truncated, null);
				}
				if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
					throw new UnreadableImageException(UnreadableImageException.Problem.CORRUPT_IMAGE, format,
							"Decoder returned no image", null);
				}
				return image;
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			throw corrupt(format, ex);
		}
	}

	private static UnreadableImageException corrupt(String format, Exception ex) {
		// Decoders signal bad data with IIOException and, often enough, with runtime exceptions of all kinds.
		return new UnreadableImageException(UnreadableImageException.Problem.CORRUPT_IMAGE, format,
				"Cannot decode " + format + ": " + ex.getMessage(), ex);
	}

	/** One image per size, smallest first: sRGB, oriented, flattened on white unless transparency is kept. */
	private List<BufferedImage> resize(BufferedImage decoded, int orientation, ICC_Profile profile) {
		boolean keepAlpha = decoded.getColorModel().hasAlpha() && this.alphaOutput == AlphaOutput.PNG;
		BufferedImage current = normalize(decoded, keepAlpha);
		List<BufferedImage> images = new ArrayList<>(this.sizes.size());
		// Largest first, each smaller one from the previous: cheaper, and area averaging composes well.
		for (int i = this.sizes.size() - 1; i >= 0; i--) {
			int size = this.sizes.get(i);
			BufferedImage scaled = AreaScaler.fit(current, size);
			images.addFirst(scaled);
			current = scaled;
		}
		// Orienting the (small) results is cheaper than orienting the decoded image; the longest side is the same.
		images.replaceAll((image) -> ExifOrientation.apply(image, orientation));
		if (profile != null) {
			// Cheaper on the renditions than on the decoded image, and close enough: averaging barely interacts.
			images.replaceAll((image) -> toSrgb(image, profile));
		}
		return images;
	}

	/**
	 * The ICC profile of a PNG's {@code iCCP} chunk when it is an RGB profile other than sRGB, else {@code null}.
	 * The JDK's PNG reader decodes the samples as if they were sRGB. The chunk is read from the bytes here rather than
	 * through the reader's metadata, which would also inflate every compressed text chunk (a decompression bomb);
	 * the profile itself is inflated to at most 1 MB.
	 */
	private static ICC_Profile pngProfile(byte[] png) {
		int offset = 8;
		while (offset + 12 <= png.length) {
			int length = ((png[offset] & 0xFF) << 24) | ((png[offset + 1] & 0xFF) << 16)
					| ((png[offset + 2] & 0xFF) << 8) | (png[offset + 3] & 0xFF);
			String type = new String(png, offset + 4, 4, StandardCharsets.ISO_8859_1);
			if (length < 0 || type.equals("IDAT") || type.equals("IEND") || offset + 12L + length > png.length) {
				return null;
			}
			if (type.equals("iCCP")) {
				int data = offset + 8;
				int name = data;
				while (name < data + length && png[name] != 0) {
					name++;
				}
				// Profile name, NUL, compression method 0 (deflate), compressed profile.
				int compressed = name + 2;
				if (compressed >= data + length) {
					return null;
				}
				try (InflaterInputStream inflated = new InflaterInputStream(
						new ByteArrayInputStream(png, compressed, data + length - compressed))) {
					ICC_Profile profile = ICC_Profile.getInstance(inflated.readNBytes(1 << 20));
					ColorSpace space = new ICC_ColorSpace(profile);
					return (space.getType() == ColorSpace.TYPE_RGB && !space.isCS_sRGB()) ? profile : null;
				}
				catch (IOException | RuntimeException ex) {
					// A broken profile is no reason to refuse the image: its samples are taken as sRGB, as browsers
					// do.
					return null;
				}
			}
			offset += 12 + length;
		}
		return null;
	}

	/**
	 * The JPEG's embedded ICC profile as far as the TurboJPEG path is concerned: none or sRGB (nothing to do), another
	 * RGB profile (applied to the renditions), or one TurboJPEG must leave to ImageIO (CMYK, grey, unreadable).
	 */
	private static JpegProfile jpegProfile(byte[] jpeg) {
		byte[] data = TurboJpeg.iccProfile(jpeg);
		if (data == null) {
			return new JpegProfile(true, null);
		}
		try {
			ICC_Profile profile = ICC_Profile.getInstance(data);
			ColorSpace space = new ICC_ColorSpace(profile);
			if (space.getType() != ColorSpace.TYPE_RGB) {
				return new JpegProfile(false, null);
			}
			return new JpegProfile(true, space.isCS_sRGB() ? null : profile);
		}
		catch (RuntimeException ex) {
			return new JpegProfile(false, null);
		}
	}

	private record JpegProfile(boolean turboCanApply, ICC_Profile profile) {
	}

	/** {@code image}'s samples, which are in {@code profile}'s colour space, converted to sRGB. */
	private static BufferedImage toSrgb(BufferedImage image, ICC_Profile profile) {
		boolean alpha = image.getColorModel().hasAlpha();
		DirectColorModel tagged = new DirectColorModel(new ICC_ColorSpace(profile), alpha ? 32 : 24, 0xFF0000, 0xFF00,
				0xFF, alpha ? 0xFF000000 : 0, false, DataBuffer.TYPE_INT);
		BufferedImage source = new BufferedImage(tagged, image.getRaster(), false, null);
		BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(),
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		new ColorConvertOp(null).filter(source, srgb);
		return srgb;
	}

	/**
	 * The image as {@code TYPE_INT_RGB} in sRGB (transparent areas drawn on white), or as {@code TYPE_INT_ARGB} when
	 * transparency is kept. Readers already convert embedded ICC profiles (TwelveMonkeys for JPEG); other RGB colour
	 * spaces are converted here. Flattening happens before scaling: interpolating a non-premultiplied image bleeds the
	 * colour of transparent pixels (often black) into the edges.
	 */
	private static BufferedImage normalize(BufferedImage image, boolean keepAlpha) {
		ColorSpace space = image.getColorModel().getColorSpace();
		if (!space.isCS_sRGB() && space.getType() == ColorSpace.TYPE_RGB) {
			BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(),
					keepAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
			new ColorConvertOp(null).filter(image, srgb);
			if (keepAlpha || !image.getColorModel().hasAlpha()) {
				return srgb;
			}
			image = srgb;
		}
		int type = keepAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
		if (image.getType() == type) {
			return image;
		}
		BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(), type);
		Graphics2D graphics = converted.createGraphics();
		try {
			if (!keepAlpha) {
				graphics.setColor(Color.WHITE);
				graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
			}
			graphics.drawImage(image, 0, 0, null);
		}
		finally {
			graphics.dispose();
		}
		return converted;
	}

	private Thumbnail encode(String name, BufferedImage image) throws IOException {
		boolean png = image.getColorModel().hasAlpha();
		ImageWriter writer = ImageIO.getImageWritersByFormatName(png ? "png" : "jpeg").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
		try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
			ImageWriteParam param = writer.getDefaultWriteParam();
			if (!png) {
				param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
				param.setCompressionQuality(this.quality);
			}
			writer.setOutput(output);
			// No metadata: the writer emits only what the format needs (JFIF for JPEG, IHDR for PNG); EXIF, GPS,
			// comments and profiles of the source are not carried over.
			writer.write(null, new IIOImage(image, null, null), param);
		}
		finally {
			writer.dispose();
		}
		return new Thumbnail(name, bytes.toByteArray(), image.getWidth(), image.getHeight(), png ? PNG : JPEG,
				png ? "png" : "jpg");
	}

	/** A 4x3-component BlurHash of a 32 px version (more pixels do not change the hash, only its cost). */
	private static String blurHash(BufferedImage image) {
		BufferedImage small = AreaScaler.fit(image, 32);
		if (small.getColorModel().hasAlpha()) {
			small = normalize(small, false);
		}
		return BlurHash.encode(small, 4, 3);
	}

	/** A scaled JPEG decode: {@code null} when it leaves the JPEG to ImageIO (see {@link TurboJpeg#decode}). */
	@FunctionalInterface
	interface JpegDecoder {

		BufferedImage decode(byte[] jpeg, int minSide);

	}

	@FunctionalInterface
	private interface DecodeWork {

		Decoded run(long deadline, AtomicBoolean abandoned) throws UnreadableImageException;

	}

	/** The resized images of one decode, smallest first, and what it took. */
	private record Decoded(List<BufferedImage> images, String decoder, long decodeNanos, long resizeNanos) {
	}

	/** Aborts a decode past its deadline; must run on the decoding thread. */
	private static final class DecodeWatch implements IIOReadProgressListener {

		private final long deadline;

		private volatile boolean aborted;

		private volatile String truncated;

		DecodeWatch(long deadline) {
			this.deadline = deadline;
		}

		@Override
		public void imageProgress(ImageReader source, float percentageDone) {
			if (System.nanoTime() > this.deadline && !this.aborted) {
				source.abort();
			}
		}

		@Override
		public void readAborted(ImageReader source) {
			this.aborted = true;
		}

		@Override
		public void sequenceStarted(ImageReader source, int minIndex) {
		}

		@Override
		public void sequenceComplete(ImageReader source) {
		}

		@Override
		public void imageStarted(ImageReader source, int imageIndex) {
		}

		@Override
		public void imageComplete(ImageReader source) {
		}

		@Override
		public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
		}

		@Override
		public void thumbnailProgress(ImageReader source, float percentageDone) {
		}

		@Override
		public void thumbnailComplete(ImageReader source) {
		}

	}

}
