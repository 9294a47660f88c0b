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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.trbl.blurhash.BlurHash;

/**
 * From a decoded image to its renditions: colour (everything ends in sRGB; transparency drawn on white unless kept
 * as PNG), resize to each size (longest side, never upscaled), EXIF orientation, encode (JPEG at {@code quality}, or
 * PNG when transparency is kept; no metadata), and a BlurHash. Thread-safe.
 */
final class RenditionPipeline {

	private static final String JPEG = "image/jpeg";

	private static final String PNG = "image/png";

	private final List<Integer> sizes;

	private final float quality;

	private final AlphaOutput alphaOutput;

	private final Downscale downscale;

	/**
	 * @param sizes longest side of each rendition in pixels, smallest first, distinct
	 * @param quality JPEG quality, {@code 0.0} to {@code 1.0}
	 * @param alphaOutput what renditions of images with transparency become
	 * @param downscale how each rendition is made from the decoded image or the next larger rendition
	 */
	RenditionPipeline(List<Integer> sizes, float quality, AlphaOutput alphaOutput, Downscale downscale) {
		this.sizes = sizes;
		this.quality = quality;
		this.alphaOutput = alphaOutput;
		this.downscale = downscale;
	}

	/**
	 * One image per size, smallest first: sRGB, oriented, flattened on white unless transparency is kept.
	 * @param profile the RGB colour space {@code decoded}'s samples are in when it is not sRGB and the decoder did not
	 * convert it, else {@code null}
	 */
	List<BufferedImage> resize(BufferedImage decoded, int orientation, ICC_Profile profile) {
		boolean keepAlpha = decoded.getColorModel().hasAlpha() && this.alphaOutput == AlphaOutput.PNG;
		BufferedImage current = normalize(decoded, keepAlpha);
		List<BufferedImage> images = new ArrayList<>(this.sizes.size());
		// Largest first, each smaller one from the previous: cheaper, and area averaging composes well. The largest
		// side decides the way down (Downscale: imgscalr makes the final step of small renditions).
		for (int i = this.sizes.size() - 1; i >= 0; i--) {
			int size = this.sizes.get(i);
			BufferedImage scaled = this.downscale.fit(current, size);
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

	/** The renditions of {@link #resize}'s images (smallest first), each named by its size. */
	List<Thumbnail> encode(List<BufferedImage> images) throws IOException {
		List<Thumbnail> thumbnails = new ArrayList<>(images.size());
		for (int i = 0; i < images.size(); i++) {
			thumbnails.add(encode(Integer.toString(this.sizes.get(i)), images.get(i)));
		}
		return List.copyOf(thumbnails);
	}

	/** A 4x3-component BlurHash of a 32 px version (more pixels do not change the hash, only its cost). */
	static String blurHash(BufferedImage image) {
		BufferedImage small = Downscale.AREA_AVERAGING.fit(image, 32);
		if (small.getColorModel().hasAlpha()) {
			small = normalize(small, false);
		}
		return BlurHash.encode(small, 4, 3);
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

}
