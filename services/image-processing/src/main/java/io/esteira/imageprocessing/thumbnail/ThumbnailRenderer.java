package io.esteira.imageprocessing.thumbnail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Makes the renditions of one image: for each configured size, the image with its longest side at most that many
 * pixels (never upscaled), oriented per EXIF, in sRGB, without metadata, as JPEG (or PNG for images with
 * transparency when so configured), plus a BlurHash. Thread-safe.
 * <p>
 * The steps: the format from the leading bytes (only JPEG, PNG, GIF, BMP and WebP are decoded); a JPEG's marker
 * segments before its image data, refused above {@code maxMetadataSegments} before any reader sees them; the pixel
 * count from the header, refused above {@code maxPixels} before anything is decoded; the decode at reduced size
 * ({@link ImageDecoder}: libjpeg-turbo's DCT scaling for plain JPEGs when the library is present and
 * {@code nativeJpeg} is on, ImageIO subsampling otherwise) and the resize ({@link RenditionPipeline}) inside the
 * {@link DecodeGate} (at most {@code maxConcurrentDecodes} at once, {@code decodeTimeout} each, a
 * {@link DecodeSlotsBusyException} for a caller that finds no free slot within twice the time limit); then the
 * encoding and the BlurHash on the caller's thread.
 */
public class ThumbnailRenderer implements AutoCloseable {

	private final List<Integer> sizes;

	private final long maxPixels;

	private final int maxMetadataSegments;

	private final DecodeGate gate;

	private final ImageDecoder decoder;

	private final RenditionPipeline pipeline;

	/**
	 * @param sizes longest side of each rendition in pixels
	 * @param quality JPEG quality, {@code 0.0} to {@code 1.0}
	 * @param alphaOutput what renditions of images with transparency become
	 * @param maxPixels sources whose header declares more pixels are refused before decoding
	 * @param maxMetadataSegments JPEGs with more marker segments before their image data are refused before any
	 * reader sees them
	 * @param decodeTimeout decodes running longer are aborted
	 * @param maxConcurrentDecodes decodes (and resizes) running at once; callers beyond wait
	 * @param nativeJpeg decode plain JPEGs at reduced size with libjpeg-turbo when the library is present
	 */
	public ThumbnailRenderer(List<Integer> sizes, float quality, AlphaOutput alphaOutput, long maxPixels,
			int maxMetadataSegments, Duration decodeTimeout, int maxConcurrentDecodes, boolean nativeJpeg) {
		this(sizes, quality, alphaOutput, maxPixels, maxMetadataSegments, decodeTimeout, decodeTimeout.multipliedBy(2),
				maxConcurrentDecodes, (nativeJpeg && TurboJpeg.available()) ? TurboJpeg::decode : null,
				Downscale.AREA_AVERAGING_THEN_IMGSCALR);
	}

	/**
	 * A renderer whose scaled JPEG decoder is {@code jpegDecoder} (the test seam for a native decode that cannot be
	 * stopped), or that decodes everything with ImageIO when it is {@code null}; callers wait at most
	 * {@code slotWait} for a decode slot; renditions are scaled with {@code downscale} (the benchmark's seam).
	 */
	ThumbnailRenderer(List<Integer> sizes, float quality, AlphaOutput alphaOutput, long maxPixels,
			int maxMetadataSegments, Duration decodeTimeout, Duration slotWait, int maxConcurrentDecodes,
			ScaledJpegDecoder jpegDecoder, Downscale downscale) {
		if (sizes.isEmpty()) {
			throw new IllegalArgumentException("At least one rendition size is needed");
		}
		this.sizes = sizes.stream().distinct().sorted().toList();
		this.maxPixels = maxPixels;
		this.maxMetadataSegments = maxMetadataSegments;
		this.gate = new DecodeGate(maxConcurrentDecodes, decodeTimeout, slotWait);
		this.decoder = new ImageDecoder(this.sizes.getLast() * 2, jpegDecoder);
		this.pipeline = new RenditionPipeline(this.sizes, quality, alphaOutput, downscale);
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
		if (format == ImageFormat.JPEG
				&& JpegSegments.count(source, this.maxMetadataSegments) > this.maxMetadataSegments) {
			throw new UnreadableImageException(UnreadableImageException.Problem.TOO_MANY_SEGMENTS, name,
					"JPEG has more than " + this.maxMetadataSegments + " marker segments before its image data",
					null);
		}
		ImageDecoder.Size size = ImageDecoder.size(source, format);
		int width = size.width();
		int height = size.height();
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
		Resized resized = this.gate.run(name,
				(deadline) -> decodeAndResize(source, format, Math.max(width, height), orientation, deadline));
		try {
			long encodeStart = System.nanoTime();
			List<Thumbnail> thumbnails = this.pipeline.encode(resized.images());
			String blurHash = RenditionPipeline.blurHash(resized.images().getFirst());
			long encodeNanos = System.nanoTime() - encodeStart;
			return new Renditions(name, width, height, orientation, thumbnails, blurHash,
					resized.decodeNanos() / 1_000_000, resized.resizeNanos() / 1_000_000, encodeNanos / 1_000_000,
					resized.decoder());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Decodes started so far (an image refused before decoding starts none). */
	long decodesStarted() {
		return this.gate.started();
	}

	/** Decode slots free now (a slot stays taken until its decode really ends, in time or not). */
	int freeDecodeSlots() {
		return this.gate.freeSlots();
	}

	/** Stops the decode threads (decodes still running end on their own; their results are dropped). */
	@Override
	public void close() {
		this.gate.close();
	}

	/** Runs on a decode thread, holding a decode slot. */
	private Resized decodeAndResize(byte[] source, ImageFormat format, int longestSide, int orientation,
			DecodeGate.Deadline deadline) throws UnreadableImageException {
		long start = System.nanoTime();
		ImageDecoder.Decoded decoded = this.decoder.decode(source, format, longestSide, deadline);
		if (deadline.isAbandoned()) {
			// Nobody waits for this any more (the time limit passed): skip the resize, free the slot.
			return null;
		}
		long decodedAt = System.nanoTime();
		List<BufferedImage> images = this.pipeline.resize(decoded.image(), orientation, decoded.profile());
		return new Resized(images, decoded.decoder(), decodedAt - start, System.nanoTime() - decodedAt);
	}

	/** The resized images of one decode, smallest first, and what it took. */
	private record Resized(List<BufferedImage> images, String decoder, long decodeNanos, long resizeNanos) {
	}

}
