package io.esteira.imageprocessing.thumbnail;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import io.esteira.imageprocessing.thumbnail.DecodeGate.Deadline;

/**
 * Reads a source's size from its header, and decodes it at reduced size: plain JPEGs (YCbCr or grey, no ICC profile
 * or an RGB one) with the scaled JPEG decoder (libjpeg-turbo's DCT scaling) when there is one, everything else with
 * ImageIO, subsampled. Either way the decoded image keeps at least {@code minSide} pixels on its longest side (when
 * the source has them), so the area-averaging downscale that follows still has detail to filter, and takes a few
 * megabytes of heap instead of three or four bytes per source pixel. ImageIO decodes are aborted at the deadline.
 */
final class ImageDecoder {

	private final int minSide;

	private final ScaledJpegDecoder jpegDecoder;

	/**
	 * @param minSide the longest side a decode keeps at least (twice the largest rendition)
	 * @param jpegDecoder the scaled JPEG decoder, or {@code null} to decode everything with ImageIO
	 */
	ImageDecoder(int minSide, ScaledJpegDecoder jpegDecoder) {
		this.minSide = minSide;
		this.jpegDecoder = jpegDecoder;
		// Plugins on the application class path (TwelveMonkeys' JPEG and WebP readers) register with the thread that
		// first touches ImageIO; under a launcher class loader that may not see them, so register explicitly.
		ImageIO.scanForPlugins();
	}

	/** Width and height from the header, without decoding pixels. */
	static Size size(byte[] source, ImageFormat format) throws UnreadableImageException {
		// Memory-cached streams: ImageIO's default caches to temporary files.
		try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(source))) {
			ImageReader reader = reader(format);
			try {
				reader.setInput(input, true, true);
				return new Size(dimension(reader, format.readerName(), true),
						dimension(reader, format.readerName(), false));
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Decodes the first image (the first frame of an animation) of {@code source}, whose longest side is
	 * {@code longestSide}; {@code null} when the caller stopped waiting before ImageIO would have started.
	 */
	Decoded decode(byte[] source, ImageFormat format, int longestSide, Deadline deadline)
			throws UnreadableImageException {
		if (format == ImageFormat.JPEG && this.jpegDecoder != null) {
			EmbeddedIccProfile.JpegProfile profile = EmbeddedIccProfile.ofJpeg(source);
			BufferedImage decoded = profile.turboCanApply() ? this.jpegDecoder.decode(source, this.minSide) : null;
			if (decoded != null) {
				return new Decoded(decoded, "libjpeg-turbo", profile.profile());
			}
		}
		if (deadline.isAbandoned()) {
			return null;
		}
		// ImageIO's JPEG reader (TwelveMonkeys) applies embedded profiles itself; the PNG reader ignores iCCP.
		ICC_Profile profile = (format == ImageFormat.PNG) ? EmbeddedIccProfile.ofPng(source) : null;
		return new Decoded(imageIo(source, format, longestSide, deadline), "imageio", profile);
	}

	/**
	 * An ImageIO decode, subsampled to no less than {@code minSide}. It is aborted past the deadline (checked at each
	 * progress report of the reader, on the decoding thread: the JDK's JPEG reader refuses {@code abort()} from another
	 * thread), and truncated data (which readers report as a warning and fill with grey) is corrupt.
	 */
	private BufferedImage imageIo(byte[] source, ImageFormat imageFormat, int longestSide, Deadline deadline)
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
				int step = Math.max(1, longestSide / this.minSide);
				if (step > 1) {
					param.setSourceSubsampling(step, step, 0, 0);
				}
				BufferedImage image = reader.read(0, param);
				if (watch.aborted) {
					throw deadline.timedOut(format);
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

	private static UnreadableImageException corrupt(String format, Exception ex) {
		// Decoders signal bad data with IIOException and, often enough, with runtime exceptions of all kinds.
		return new UnreadableImageException(UnreadableImageException.Problem.CORRUPT_IMAGE, format,
				"Cannot decode " + format + ": " + ex.getMessage(), ex);
	}

	/** A source's width and height as stored (before orientation). */
	record Size(int width, int height) {
	}

	/**
	 * @param image the decoded pixels, at reduced size
	 * @param decoder what decoded them: {@code libjpeg-turbo} or {@code imageio}
	 * @param profile the RGB colour space the samples are in when it is not sRGB and the decoder did not convert it,
	 * else {@code null}
	 */
	record Decoded(BufferedImage image, String decoder, ICC_Profile profile) {
	}

	/** Aborts a decode past its deadline; must run on the decoding thread. */
	private static final class DecodeWatch implements IIOReadProgressListener {

		private final Deadline deadline;

		private volatile boolean aborted;

		private volatile String truncated;

		DecodeWatch(Deadline deadline) {
			this.deadline = deadline;
		}

		@Override
		public void imageProgress(ImageReader source, float percentageDone) {
			if (this.deadline.isPast() && !this.aborted) {
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
