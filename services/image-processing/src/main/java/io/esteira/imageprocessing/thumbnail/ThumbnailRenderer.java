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
import java.util.concurrent.Semaphore;
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
 * source's size; at most {@code maxConcurrentDecodes} decodes run at once; a decode running past
 * {@code decodeTimeout} is aborted.
 * <p>
 * Speed: plain JPEGs (YCbCr or grey, no ICC profile) are decoded at reduced size by libjpeg-turbo (DCT scaling,
 * {@link TurboJpeg}) when the library is present and {@code nativeJpeg} is on; that decode is native and not
 * interruptible, but scaled and bounded by the pixel limit. Everything else goes through ImageIO.
 */
public class ThumbnailRenderer {

	private static final String JPEG = "image/jpeg";

	private static final String PNG = "image/png";

	private final List<Integer> sizes;

	private final float quality;

	private final AlphaOutput alphaOutput;

	private final long maxPixels;

	private final long decodeTimeoutNanos;

	private final Semaphore decodes;

	private final boolean nativeJpeg;

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
		if (sizes.isEmpty()) {
			throw new IllegalArgumentException("At least one rendition size is needed");
		}
		this.sizes = sizes.stream().distinct().sorted().toList();
		this.quality = quality;
		this.alphaOutput = alphaOutput;
		this.maxPixels = maxPixels;
		this.decodeTimeoutNanos = decodeTimeout.toNanos();
		this.decodes = new Semaphore(maxConcurrentDecodes, true);
		this.nativeJpeg = nativeJpeg && TurboJpeg.available();
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
	 * @throws UnreadableImageException when {@code source} is not a decodable image within the limits
	 * @throws InterruptedException when interrupted while waiting for a decode slot
	 */
	public Renditions render(byte[] source) throws UnreadableImageException, InterruptedException {
		ImageFormat format = ImageFormat.sniff(source);
		if (format == null) {
			String kind = ImageFormat.describeUnsupported(source);
			throw new UnreadableImageException(UnreadableImageException.Problem.UNSUPPORTED_FORMAT, kind,
					"Not a supported image format (looks like " + kind + ")", null);
		}
		String name = format.readerName();
		// Memory-cached streams: ImageIO's default caches to temporary files.
		try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(source))) {
			ImageReader reader = reader(format);
			try {
				reader.setInput(input, true, true);
				int width = dimension(reader, name, true);
				int height = dimension(reader, name, false);
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
				this.decodes.acquire();
				List<BufferedImage> images;
				String decoder = "imageio";
				long decodeNanos;
				long resizeNanos;
				try {
					long start = System.nanoTime();
					BufferedImage decoded = null;
					if (format == ImageFormat.JPEG && this.nativeJpeg) {
						JpegProfile jpegProfile = jpegProfile(source);
						if (jpegProfile.turboCanApply()) {
							decoded = TurboJpeg.decode(source, this.sizes.getLast() * 2);
						}
						if (decoded != null) {
							decoder = "libjpeg-turbo";
							profile = jpegProfile.profile();
						}
					}
					if (decoded == null) {
						decoded = decode(reader, name, Math.max(width, height));
					}
					long decodedAt = System.nanoTime();
					images = resize(decoded, orientation, profile);
					decodeNanos = decodedAt - start;
					resizeNanos = System.nanoTime() - decodedAt;
				}
				finally {
					this.decodes.release();
				}
				long encodeStart = System.nanoTime();
				List<Thumbnail> thumbnails = new ArrayList<>(images.size());
				for (int i = 0; i < images.size(); i++) {
					thumbnails.add(encode(Integer.toString(this.sizes.get(i)), images.get(i)));
				}
				String blurHash = blurHash(images.getFirst());
				long encodeNanos = System.nanoTime() - encodeStart;
				return new Renditions(name, width, height, orientation, List.copyOf(thumbnails), blurHash,
						decodeNanos / 1_000_000, resizeNanos / 1_000_000, encodeNanos / 1_000_000, decoder);
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
	private BufferedImage decode(ImageReader reader, String format, int longestSide) throws UnreadableImageException {
		long deadline = System.nanoTime() + this.decodeTimeoutNanos;
		DecodeWatch watch = new DecodeWatch(deadline);
		reader.addIIOReadProgressListener(watch);
		reader.addIIOReadWarningListener((source, warning) -> {
			String lower = warning.toLowerCase(Locale.ROOT);
			if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("missing eoi")) {
				watch.truncated = warning;
			}
		});
		try {
			ImageReadParam param = reader.getDefaultReadParam();
			int step = Math.max(1, longestSide / (this.sizes.getLast() * 2));
			if (step > 1) {
				param.setSourceSubsampling(step, step, 0, 0);
			}
			BufferedImage image = reader.read(0, param);
			if (watch.aborted) {
				throw new UnreadableImageException(UnreadableImageException.Problem.DECODE_TIMEOUT, format,
						"Decoding took longer than " + this.decodeTimeoutNanos / 1_000_000 + " ms", null);
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
