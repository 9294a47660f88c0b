package io.esteira.imageprocessing.thumbnail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.imgscalr.Scalr;

/**
 * Makes a JPEG thumbnail whose longest side is {@code size} pixels (smaller images keep their size) with ImageIO and
 * imgscalr's {@code QUALITY} method. Transparent areas become white. Images whose header declares more than
 * {@code maxPixels} are refused before decoding; large ones are decoded subsampled. Thread-safe.
 */
public class ThumbnailRenderer {

	/** Media type of every thumbnail. */
	public static final String CONTENT_TYPE = "image/jpeg";

	private final int size;

	private final float quality;

	private final long maxPixels;

	/**
	 * @param size longest side of the thumbnail in pixels
	 * @param quality JPEG quality, {@code 0.0} to {@code 1.0}
	 * @param maxPixels sources whose header declares more pixels are refused before decoding
	 */
	public ThumbnailRenderer(int size, float quality, long maxPixels) {
		this.size = size;
		this.quality = quality;
		this.maxPixels = maxPixels;
		// Plugins on the application class path (TwelveMonkeys' JPEG reader) register with the thread that first
		// touches ImageIO; under a launcher class loader that may not see them, so register explicitly.
		ImageIO.scanForPlugins();
	}

	/**
	 * Decodes {@code source} and encodes its thumbnail.
	 * @throws UnreadableImageException when {@code source} is not a decodable image within the pixel limit
	 */
	public Thumbnail render(byte[] source) throws UnreadableImageException {
		// Memory-cached streams: ImageIO's default caches to temporary files.
		try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(source))) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
			if (!readers.hasNext()) {
				throw new UnreadableImageException(UnreadableImageException.Problem.UNSUPPORTED_FORMAT, null,
						"No image reader recognises the data", null);
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				String format = reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(Locale.ROOT);
				int width = width(reader, format);
				int height = height(reader, format);
				if ((long) width * height > this.maxPixels) {
					throw new UnreadableImageException(UnreadableImageException.Problem.TOO_MANY_PIXELS, format,
							"Image declares " + width + "x" + height + " pixels, more than " + this.maxPixels, null);
				}
				BufferedImage thumbnail = toRgb(shrink(decode(reader, format, Math.max(width, height))));
				return new Thumbnail(format, width, height, encodeJpeg(thumbnail), thumbnail.getWidth(),
						thumbnail.getHeight(), CONTENT_TYPE);
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int width(ImageReader reader, String format) throws UnreadableImageException {
		try {
			return reader.getWidth(0);
		}
		catch (IOException | RuntimeException ex) {
			throw corrupt(format, ex);
		}
	}

	private static int height(ImageReader reader, String format) throws UnreadableImageException {
		try {
			return reader.getHeight(0);
		}
		catch (IOException | RuntimeException ex) {
			throw corrupt(format, ex);
		}
	}

	/**
	 * Decodes the first image. Large images are decoded subsampled to no less than four times the thumbnail size:
	 * the decoded image then takes a few megabytes of heap instead of four bytes per source pixel, and the
	 * {@code QUALITY} downscale that follows still has enough detail to filter.
	 */
	private BufferedImage decode(ImageReader reader, String format, int longestSide) throws UnreadableImageException {
		try {
			ImageReadParam param = reader.getDefaultReadParam();
			int step = Math.max(1, longestSide / (this.size * 4));
			if (step > 1) {
				param.setSourceSubsampling(step, step, 0, 0);
			}
			BufferedImage image = reader.read(0, param);
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

	private BufferedImage shrink(BufferedImage image) {
		if (Math.max(image.getWidth(), image.getHeight()) <= this.size) {
			return image;
		}
		// Flatten before scaling: interpolating a non-premultiplied image bleeds the colour of transparent pixels
		// (often black) into the edges.
		return Scalr.resize(toRgb(image), Scalr.Method.QUALITY, Scalr.Mode.AUTOMATIC, this.size);
	}

	/** The image as opaque RGB, transparent areas drawn on white; JPEG has no alpha channel. */
	private static BufferedImage toRgb(BufferedImage image) {
		if (image.getType() == BufferedImage.TYPE_INT_RGB) {
			return image;
		}
		BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = rgb.createGraphics();
		try {
			graphics.setColor(Color.WHITE);
			graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
			graphics.drawImage(image, 0, 0, null);
		}
		finally {
			graphics.dispose();
		}
		return rgb;
	}

	private byte[] encodeJpeg(BufferedImage image) throws IOException {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
		try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(this.quality);
			writer.setOutput(output);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

}
