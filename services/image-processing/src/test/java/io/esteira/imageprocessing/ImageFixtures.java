package io.esteira.imageprocessing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Test images and non-images, generated in code. */
public final class ImageFixtures {

	/** Colours of the four quadrants of {@link #aQuadrantImage}: top left, top right, bottom left, bottom right. */
	public static final Color TOP_LEFT = Color.RED;

	public static final Color TOP_RIGHT = Color.GREEN;

	public static final Color BOTTOM_LEFT = Color.BLUE;

	public static final Color BOTTOM_RIGHT = Color.YELLOW;

	/** Per EXIF orientation: where the stored 0th row / 0th column belong when displayed. */
	private static final String[] EXIF_ROW_COLUMN = { "", "top/left", "top/right", "bottom/right", "bottom/left",
			"left/top", "right/top", "right/bottom", "left/bottom" };

	private ImageFixtures() {
	}

	/** An RGB JPEG of {@code width}x{@code height} with a colour gradient. */
	public static byte[] aJpeg(int width, int height) {
		return encode(aGradient(width, height), "jpeg");
	}

	/** The same gradient as {@link #aJpeg}, as a progressive JPEG. */
	public static byte[] aProgressiveJpeg(int width, int height) {
		return writeJpeg(aGradient(width, height), true);
	}

	public static BufferedImage aGradient(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, new Color(x * 255 / width, y * 255 / height, 128).getRGB());
			}
		}
		return image;
	}

	/** A 400x300 image (as displayed) with four solid quadrants. */
	public static BufferedImage aQuadrantImage() {
		BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(TOP_LEFT);
		graphics.fillRect(0, 0, 200, 150);
		graphics.setColor(TOP_RIGHT);
		graphics.fillRect(200, 0, 200, 150);
		graphics.setColor(BOTTOM_LEFT);
		graphics.fillRect(0, 150, 200, 150);
		graphics.setColor(BOTTOM_RIGHT);
		graphics.fillRect(200, 150, 200, 150);
		graphics.dispose();
		return image;
	}

	/**
	 * A JPEG that displays as {@link #aQuadrantImage} once its EXIF {@code orientation} is applied: the pixels are
	 * stored the way a camera held that way stores them. Per EXIF, the orientation names where the stored 0th row and
	 * 0th column belong: 1 top/left, 2 top/right, 3 bottom/right, 4 bottom/left, 5 left/top, 6 right/top,
	 * 7 right/bottom, 8 left/bottom.
	 */
	public static byte[] aJpegWithOrientation(int orientation) {
		return withSegment(encode(storedForOrientation(orientation), "jpeg"), exifSegment(orientation, false));
	}

	/** As {@link #aJpegWithOrientation} but a PNG with an {@code eXIf} chunk after its header. */
	public static byte[] aPngWithOrientation(int orientation) {
		byte[] png = encode(storedForOrientation(orientation), "png");
		byte[] segment = exifSegment(orientation, false);
		// eXIf holds the TIFF structure alone: the segment without marker, length and "Exif\0\0".
		byte[] tiff = Arrays.copyOfRange(segment, 10, segment.length);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(png, 0, 33);
		chunk(out, "eXIf", tiff);
		out.write(png, 33, png.length - 33);
		return out.toByteArray();
	}

	/** {@link #aLosslessWebp} with an {@code EXIF} chunk declaring {@code orientation} (an extended VP8X file). */
	public static byte[] aLosslessWebpWithOrientation(int width, int height, Color colour, int orientation) {
		byte[] simple = aLosslessWebp(width, height, colour);
		byte[] segment = exifSegment(orientation, false);
		byte[] exif = Arrays.copyOfRange(segment, 4, segment.length);
		ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
		vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10);
		vp8x.put((byte) 0x08).put((byte) 0).put((byte) 0).put((byte) 0);
		vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
		vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
		int exifPadded = exif.length + (exif.length & 1);
		byte[] image = Arrays.copyOfRange(simple, 12, simple.length);
		ByteBuffer riff = ByteBuffer.allocate(12 + 18 + image.length + 8 + exifPadded).order(ByteOrder.LITTLE_ENDIAN);
		riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(riff.capacity() - 8);
		riff.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(vp8x.array()).put(image);
		riff.put("EXIF".getBytes(StandardCharsets.US_ASCII)).putInt(exif.length).put(exif);
		return riff.array();
	}

	private static BufferedImage storedForOrientation(int orientation) {
		BufferedImage displayed = aQuadrantImage();
		int dw = displayed.getWidth();
		int dh = displayed.getHeight();
		boolean rowsAreColumns = orientation >= 5;
		int sw = rowsAreColumns ? dh : dw;
		int sh = rowsAreColumns ? dw : dh;
		String[] rowColumn = EXIF_ROW_COLUMN[orientation].split("/");
		BufferedImage stored = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
		for (int sy = 0; sy < sh; sy++) {
			for (int sx = 0; sx < sw; sx++) {
				int dx;
				int dy;
				if (!rowsAreColumns) {
					dy = rowColumn[0].equals("top") ? sy : dh - 1 - sy;
					dx = rowColumn[1].equals("left") ? sx : dw - 1 - sx;
				}
				else {
					dx = rowColumn[0].equals("left") ? sy : dw - 1 - sy;
					dy = rowColumn[1].equals("top") ? sx : dh - 1 - sx;
				}
				stored.setRGB(sx, sy, displayed.getRGB(dx, dy));
			}
		}
		return stored;
	}

	/** A JPEG carrying EXIF (orientation and a GPS position), a comment and an XMP packet. */
	public static byte[] aJpegWithExifGpsAndComment() {
		byte[] jpeg = withSegment(aJpeg(640, 480), exifSegment(1, true));
		byte[] comment = "Taken at Rua Augusta 1500".getBytes(StandardCharsets.US_ASCII);
		jpeg = withSegment(jpeg, segment(0xFE, comment));
		byte[] xmp = ("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">secret</x:xmpmeta>")
			.getBytes(StandardCharsets.US_ASCII);
		return withSegment(jpeg, segment(0xE1, xmp));
	}

	/** A 64x32 RGB JPEG of mid grey (128) whose ICC profile says the values are linear RGB (sRGB ~188). */
	public static byte[] aJpegTaggedLinearRgb() {
		BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 32; y++) {
			for (int x = 0; x < 64; x++) {
				image.setRGB(x, y, 0x808080);
			}
		}
		byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
		return withSegment(encode(image, "jpeg"), segment(0xE2, iccChunk(1, 1, icc)));
	}

	/** A 64x32 PNG of mid grey (128) with an {@code iCCP} chunk saying the values are linear RGB (sRGB ~188). */
	public static byte[] aPngTaggedLinearRgb() {
		BufferedImage image = solid(64, 32, new Color(128, 128, 128), BufferedImage.TYPE_INT_RGB);
		ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
		try {
			ImageWriteParam param = writer.getDefaultWriteParam();
			javax.imageio.metadata.IIOMetadata metadata = writer
				.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), param);
			javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) metadata
				.getAsTree("javax_imageio_png_1.0");
			javax.imageio.metadata.IIOMetadataNode iccp = new javax.imageio.metadata.IIOMetadataNode("iCCP");
			iccp.setAttribute("profileName", "linear");
			iccp.setAttribute("compressionMethod", "deflate");
			ByteArrayOutputStream compressed = new ByteArrayOutputStream();
			try (java.util.zip.DeflaterOutputStream deflater = new java.util.zip.DeflaterOutputStream(compressed)) {
				deflater.write(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());
			}
			iccp.setUserObject(compressed.toByteArray());
			root.appendChild(iccp);
			metadata.setFromTree("javax_imageio_png_1.0", root);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (ImageOutputStream output = ImageIO.createImageOutputStream(out)) {
				writer.setOutput(output);
				writer.write(null, new IIOImage(image, null, metadata), param);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
	}

	/**
	 * A 64x32 CMYK JPEG the way Photoshop writes them: Adobe APP14 marker (transform 0), inverted CMYK values, no
	 * ICC profile. Left half pure cyan, right half pure yellow.
	 */
	public static byte[] aCmykJpeg() {
		return adobeJpeg(0);
	}

	/** As {@link #aCmykJpeg} but stored as YCCK (Adobe transform 2): C, M, Y as YCbCr, inverted K. */
	public static byte[] aYcckJpeg() {
		return adobeJpeg(2);
	}

	/**
	 * A 64x32 CMYK JPEG as {@link #aCmykJpeg} (left cyan ink, right yellow ink) that embeds {@link #aCmykProfile}, in
	 * which cyan ink prints azure (0, 128, 255): honouring the profile turns the left half azure, ignoring it cyan.
	 */
	public static byte[] aCmykJpegWithProfile() {
		byte[] jpeg = adobeJpeg(0);
		// After SOI and the Adobe segment (2 + 16 bytes), where Photoshop puts it.
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(jpeg, 0, 18);
		out.writeBytes(segment(0xE2, iccChunk(1, 1, aCmykProfile())));
		out.write(jpeg, 18, jpeg.length - 18);
		return out.toByteArray();
	}

	/**
	 * A minimal ICC v2 CMYK output profile made in code (no CMYK profile ships with the JDK): an {@code A2B0} lut16
	 * with two grid points per ink mapping each corner to Lab, where each ink filters white: cyan to (0, 128, 255),
	 * magenta to (255, 0, 255), yellow to (255, 255, 0), black to black.
	 */
	public static byte[] aCmykProfile() {
		ColorSpace srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB);
		float[][] inks = { { 0f, 0.5f, 1f }, { 1f, 0f, 1f }, { 1f, 1f, 0f }, { 0f, 0f, 0f } };
		ByteBuffer lut = ByteBuffer.allocate(52 + 4 * 2 * 2 + 16 * 3 * 2 + 3 * 2 * 2);
		lut.put("mft2".getBytes(StandardCharsets.US_ASCII)).putInt(0);
		lut.put((byte) 4).put((byte) 3).put((byte) 2).put((byte) 0);
		for (int i = 0; i < 9; i++) {
			lut.putInt((i % 4 == 0) ? 0x10000 : 0);
		}
		lut.putShort((short) 2).putShort((short) 2);
		for (int i = 0; i < 4; i++) {
			lut.putShort((short) 0).putShort((short) 0xFFFF);
		}
		// Grid: the first input channel (C) varies slowest.
		for (int corner = 0; corner < 16; corner++) {
			float[] rgb = { 1f, 1f, 1f };
			for (int ink = 0; ink < 4; ink++) {
				if ((corner >> (3 - ink) & 1) == 1) {
					for (int i = 0; i < 3; i++) {
						rgb[i] *= inks[ink][i];
					}
				}
			}
			float[] lab = lab(srgb.toCIEXYZ(rgb));
			lut.putShort((short) Math.round(lab[0] / 100f * 0xFF00));
			lut.putShort((short) Math.round((lab[1] + 128f) * 256f));
			lut.putShort((short) Math.round((lab[2] + 128f) * 256f));
		}
		for (int i = 0; i < 3; i++) {
			lut.putShort((short) 0).putShort((short) 0xFFFF);
		}
		byte[] a2b0 = lut.array();
		ByteBuffer wtpt = ByteBuffer.allocate(20);
		wtpt.put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0);
		wtpt.putInt(s15(0.9642f)).putInt(s15(1f)).putInt(s15(0.8249f));
		byte[] desc = textDescription("Esteira test CMYK");
		// The reverse direction (Lab to CMYK: black ink by lightness) only has to exist: readers validate profiles
		// with a round trip.
		ByteBuffer reverse = ByteBuffer.allocate(52 + 3 * 2 * 2 + 8 * 4 * 2 + 4 * 2 * 2);
		reverse.put("mft2".getBytes(StandardCharsets.US_ASCII)).putInt(0);
		reverse.put((byte) 3).put((byte) 4).put((byte) 2).put((byte) 0);
		for (int i = 0; i < 9; i++) {
			reverse.putInt((i % 4 == 0) ? 0x10000 : 0);
		}
		reverse.putShort((short) 2).putShort((short) 2);
		for (int i = 0; i < 3; i++) {
			reverse.putShort((short) 0).putShort((short) 0xFFFF);
		}
		for (int corner = 0; corner < 8; corner++) {
			boolean light = (corner & 4) != 0;
			reverse.putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) (light ? 0 : 0xFFFF));
		}
		for (int i = 0; i < 4; i++) {
			reverse.putShort((short) 0).putShort((short) 0xFFFF);
		}
		byte[] b2a0 = reverse.array();
		byte[][] tags = { a2b0, a2b0, a2b0, b2a0, b2a0, b2a0, wtpt.array(), desc };
		String[] signatures = { "A2B0", "A2B1", "A2B2", "B2A0", "B2A1", "B2A2", "wtpt", "desc" };
		int offset = 128 + 4 + 12 * tags.length;
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		ByteBuffer table = ByteBuffer.allocate(4 + 12 * tags.length).putInt(tags.length);
		for (int i = 0; i < tags.length; i++) {
			table.put(signatures[i].getBytes(StandardCharsets.US_ASCII)).putInt(offset + body.size())
				.putInt(tags[i].length);
			body.writeBytes(tags[i]);
			while (body.size() % 4 != 0) {
				body.write(0);
			}
		}
		int size = offset + body.size();
		ByteBuffer header = ByteBuffer.allocate(128);
		header.putInt(size).putInt(0).putInt(0x02100000);
		header.put("prtr".getBytes(StandardCharsets.US_ASCII)).put("CMYK".getBytes(StandardCharsets.US_ASCII));
		header.put("Lab ".getBytes(StandardCharsets.US_ASCII));
		header.putShort((short) 2026).putShort((short) 1).putShort((short) 1).putLong(0).putShort((short) 0);
		header.position(36);
		header.put("acsp".getBytes(StandardCharsets.US_ASCII));
		header.position(68);
		header.putInt(s15(0.9642f)).putInt(s15(1f)).putInt(s15(0.8249f));
		ByteArrayOutputStream profile = new ByteArrayOutputStream();
		profile.writeBytes(header.array());
		profile.writeBytes(table.array());
		profile.writeBytes(body.toByteArray());
		return profile.toByteArray();
	}

	private static byte[] textDescription(String text) {
		byte[] ascii = (text + "\0").getBytes(StandardCharsets.US_ASCII);
		ByteBuffer desc = ByteBuffer.allocate(12 + ascii.length + 8 + 3 + 67);
		desc.put("desc".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(ascii.length).put(ascii);
		desc.putInt(0).putInt(0).putShort((short) 0).put((byte) 0);
		return desc.array();
	}

	/** CIE XYZ (D50, as Java's colour spaces give it) to CIE Lab. */
	private static float[] lab(float[] xyz) {
		double fx = labF(xyz[0] / 0.9642);
		double fy = labF(xyz[1] / 1.0);
		double fz = labF(xyz[2] / 0.8249);
		return new float[] { (float) (116 * fy - 16), (float) (500 * (fx - fy)), (float) (200 * (fy - fz)) };
	}

	private static double labF(double t) {
		return (t > 216.0 / 24389) ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
	}

	private static int s15(float value) {
		return Math.round(value * 65536f);
	}

	private static byte[] adobeJpeg(int transform) {
		int width = 64;
		int height = 32;
		WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int[] cmyk = (x < width / 2) ? new int[] { 255, 0, 0, 0 } : new int[] { 0, 0, 255, 0 };
				int[] stored = new int[4];
				for (int i = 0; i < 4; i++) {
					stored[i] = 255 - cmyk[i];
				}
				if (transform == 2) {
					// libjpeg's YCCK: YCbCr of (255 - stored C, M, Y), i.e. of the plain C, M, Y; K stays inverted.
					double r = cmyk[0];
					double g = cmyk[1];
					double b = cmyk[2];
					stored[0] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
					stored[1] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
					stored[2] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
				}
				raster.setPixel(x, y, stored);
			}
		}
		// The JDK's writer stores a four-band raster's samples as they are, without JFIF or Adobe marker.
		ImageWriter writer = jdkJpegWriter();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ImageOutputStream output = ImageIO.createImageOutputStream(out)) {
			writer.setOutput(output);
			writer.write(null, new IIOImage(raster, null, null), null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
		byte[] adobe = { 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform };
		return withSegment(out.toByteArray(), segment(0xEE, adobe));
	}

	private static int clamp(double value) {
		return (int) Math.max(0, Math.min(255, Math.round(value)));
	}

	/** A 400x300 PNG, transparent except for an opaque red rectangle in the middle. */
	public static byte[] aPngWithAlpha() {
		BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_ARGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.RED);
		graphics.fillRect(100, 75, 200, 150);
		graphics.dispose();
		return encode(image, "png");
	}

	/** A 2000x2000 PNG, transparent except for an opaque blue disc and a half-transparent green band. */
	public static byte[] aLargePngWithAlpha() {
		BufferedImage image = new BufferedImage(2000, 2000, BufferedImage.TYPE_INT_ARGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(0, 64, 255));
		graphics.fillOval(300, 300, 1400, 1400);
		graphics.setColor(new Color(0, 200, 0, 128));
		graphics.fillRect(0, 900, 2000, 200);
		graphics.dispose();
		return encode(image, "png");
	}

	/** A 600x400 RGB PNG with 16 bits per sample: left half orange (65535, 32896, 0), right half dark teal. */
	public static byte[] a16BitPng() {
		ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
				Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
		WritableRaster raster = model.createCompatibleWritableRaster(600, 400);
		for (int y = 0; y < 400; y++) {
			for (int x = 0; x < 600; x++) {
				raster.setPixel(x, y, (x < 300) ? new int[] { 65535, 32896, 0 } : new int[] { 0, 20560, 20560 });
			}
		}
		return encode(new BufferedImage(model, raster, false, null), "png");
	}

	/** A 300x300 palette PNG: index 0 transparent (its RGB black), index 1 opaque magenta in the centre. */
	public static byte[] aPalettePngWithTransparentIndex() {
		IndexColorModel model = new IndexColorModel(8, 2, new byte[] { 0, (byte) 255 }, new byte[] { 0, 0 },
				new byte[] { 0, (byte) 255 }, 0);
		BufferedImage image = new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_INDEXED, model);
		WritableRaster raster = image.getRaster();
		for (int y = 100; y < 200; y++) {
			for (int x = 100; x < 200; x++) {
				raster.setSample(x, y, 0, 1);
			}
		}
		return encode(image, "png");
	}

	/** A 320x240 8-bit grey PNG, value 200. */
	public static byte[] aGreyPng() {
		BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_BYTE_GRAY);
		WritableRaster raster = image.getRaster();
		for (int y = 0; y < 240; y++) {
			for (int x = 0; x < 320; x++) {
				raster.setSample(x, y, 0, 200);
			}
		}
		return encode(image, "png");
	}

	/** A 300x200 grey PNG with 16 bits per sample, value 0x8080 (128 in 8 bits). */
	public static byte[] a16BitGreyPng() {
		BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_USHORT_GRAY);
		WritableRaster raster = image.getRaster();
		for (int y = 0; y < 200; y++) {
			for (int x = 0; x < 300; x++) {
				raster.setSample(x, y, 0, 0x8080);
			}
		}
		return encode(image, "png");
	}

	/** A 300x200 GIF: transparent (its palette colour black) except for a red 100x100 square in the middle. */
	public static byte[] aGifWithTransparency() {
		IndexColorModel model = new IndexColorModel(8, 2, new byte[] { 0, (byte) 255 }, new byte[] { 0, 0 },
				new byte[] { 0, 0 }, 0);
		BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_INDEXED, model);
		for (int y = 50; y < 150; y++) {
			for (int x = 100; x < 200; x++) {
				image.getRaster().setSample(x, y, 0, 1);
			}
		}
		return encode(image, "gif");
	}

	/** A two-frame 300x200 GIF animation: the first frame red, the second blue. */
	public static byte[] anAnimatedGif() {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ImageOutputStream output = ImageIO.createImageOutputStream(out)) {
			writer.setOutput(output);
			writer.prepareWriteSequence(null);
			writer.writeToSequence(new IIOImage(solid(300, 200, Color.RED, BufferedImage.TYPE_BYTE_INDEXED), null,
					null), null);
			writer.writeToSequence(new IIOImage(solid(300, 200, Color.BLUE, BufferedImage.TYPE_BYTE_INDEXED), null,
					null), null);
			writer.endWriteSequence();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
		return out.toByteArray();
	}

	/** A 500x250 BMP, solid (30, 120, 200). */
	public static byte[] aBmp() {
		return encode(solid(500, 250, new Color(30, 120, 200), BufferedImage.TYPE_INT_RGB), "bmp");
	}

	/**
	 * A lossless WebP (VP8L) of {@code width}x{@code height} in one solid colour, built bit by bit: no transforms, no
	 * colour cache, and five one-symbol prefix codes (green, red, blue, alpha, distance), so every pixel takes zero
	 * bits. No WebP writer is needed.
	 */
	public static byte[] aLosslessWebp(int width, int height, Color colour) {
		BitWriter bits = new BitWriter();
		bits.put(0x2F, 8);
		bits.put(width - 1, 14);
		bits.put(height - 1, 14);
		bits.put(0, 1); // alpha not used
		bits.put(0, 3); // version
		bits.put(0, 1); // no transform
		bits.put(0, 1); // no colour cache
		bits.put(0, 1); // no meta prefix codes
		for (int symbol : new int[] { colour.getGreen(), colour.getRed(), colour.getBlue(), 255, 0 }) {
			bits.put(1, 1); // simple code
			bits.put(0, 1); // one symbol
			if (symbol < 2) {
				bits.put(0, 1);
				bits.put(symbol, 1);
			}
			else {
				bits.put(1, 1);
				bits.put(symbol, 8);
			}
		}
		// Padding: readers fetch the bit stream eight bytes at a time.
		byte[] vp8l = Arrays.copyOf(bits.bytes(), bits.bytes().length + 8);
		ByteBuffer riff = ByteBuffer.allocate(20 + vp8l.length).order(ByteOrder.LITTLE_ENDIAN);
		riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + vp8l.length);
		riff.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put("VP8L".getBytes(StandardCharsets.US_ASCII));
		riff.putInt(vp8l.length).put(vp8l);
		return riff.array();
	}

	/** The start of a HEIC file: an ISO BMFF {@code ftyp} box with brand {@code heic}. */
	public static byte[] aHeic() {
		ByteBuffer box = ByteBuffer.allocate(64);
		box.putInt(24).put("ftypheic".getBytes(StandardCharsets.US_ASCII)).putInt(0);
		box.put("mif1heic".getBytes(StandardCharsets.US_ASCII));
		box.putInt(40).put("meta".getBytes(StandardCharsets.US_ASCII));
		return box.array();
	}

	/** A little-endian TIFF header: a real image format, but not one thumbnails are made from. */
	public static byte[] aTiff() {
		return encode(solid(50, 50, Color.GRAY, BufferedImage.TYPE_INT_RGB), "tiff");
	}

	/** A small but well-formed PDF document. */
	public static byte[] aPdf() {
		return """
				%PDF-1.4
				1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj
				2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj
				trailer <</Root 1 0 R>>
				%%EOF
				""".getBytes(StandardCharsets.US_ASCII);
	}

	/** An SVG drawing (uploaded under a {@code .jpg} name). */
	public static byte[] anSvg() {
		return """
				<?xml version="1.0" encoding="UTF-8"?>
				<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40"/></svg>
				""".getBytes(StandardCharsets.UTF_8);
	}

	/** An HTML page. */
	public static byte[] anHtmlPage() {
		return """
				<!DOCTYPE html>
				<html><head><title>Not an image</title></head><body><img src="x.jpg"></body></html>
				""".getBytes(StandardCharsets.UTF_8);
	}

	/** The first half of an 800x600 JPEG. */
	public static byte[] aJpegTruncatedHalfway() {
		byte[] jpeg = aJpeg(800, 600);
		return Arrays.copyOf(jpeg, jpeg.length / 2);
	}

	/** The first half of an 800x600 PNG. */
	public static byte[] aPngTruncatedHalfway() {
		byte[] png = encode(aGradient(800, 600), "png");
		return Arrays.copyOf(png, png.length / 2);
	}

	/** A JFIF header followed by bytes that are no JPEG segments. */
	public static byte[] aJpegWithGarbageAfterItsHeader() {
		byte[] header = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00,
				0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00 };
		byte[] content = Arrays.copyOf(header, header.length + 512);
		Arrays.fill(content, header.length, content.length, (byte) 0x42);
		return content;
	}

	/** A PNG whose header declares 50000x50000 pixels (10 GB decoded) and that has no image data at all. */
	public static byte[] aPixelFloodPng() {
		ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(50_000).putInt(50_000).put((byte) 8).put((byte) 2)
			.put((byte) 0).put((byte) 0).put((byte) 0);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		chunk(png, "IHDR", ihdr.array());
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	/**
	 * A decompression bomb: a 1-bit grey PNG of {@code width}x{@code height} black pixels, with real (deflated) image
	 * data, a few kilobytes for millions of pixels.
	 */
	public static byte[] aDecompressionBombPng(int width, int height) {
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
			.put((byte) 0).put((byte) 0).put((byte) 0).array());
		chunk(png, "IDAT", deflate(new byte[1 + (width + 7) / 8], height));
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	/** A small JPEG whose frame header (SOF) declares {@code width}x{@code height} pixels. */
	public static byte[] aJpegDeclaring(int width, int height) {
		byte[] jpeg = aJpeg(64, 64);
		for (int i = 2; i + 9 < jpeg.length; i++) {
			if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) >= 0xC0 && (jpeg[i + 1] & 0xFF) <= 0xC2) {
				ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) height).putShort((short) width);
				return jpeg;
			}
		}
		throw new IllegalStateException("No frame header");
	}

	/** A GIF whose screen and only frame declare {@code width}x{@code height} pixels, with one pixel of data. */
	public static byte[] aGifDeclaring(int width, int height) {
		ByteBuffer gif = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
		gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) width).putShort((short) height)
			.put((byte) 0x80).put((byte) 0).put((byte) 0);
		gif.put(new byte[] { 0, 0, 0, (byte) 255, (byte) 255, (byte) 255 });
		gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height)
			.put((byte) 0);
		gif.put(new byte[] { 2, 2, 0x4C, 0x01, 0, 0x3B });
		return Arrays.copyOf(gif.array(), gif.position());
	}

	/**
	 * A 20x20 GIF animation of {@code frames} frames of one pixel each (15 bytes a frame), as many as its size
	 * allows: only the first is ever decoded.
	 */
	public static byte[] anAnimatedGifWithFrames(int frames) {
		ByteArrayOutputStream gif = new ByteArrayOutputStream();
		gif.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
		gif.writeBytes(new byte[] { 20, 0, 20, 0, (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, 0, 0 });
		byte[] frame = { 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0 };
		for (int i = 0; i < frames; i++) {
			gif.writeBytes(frame);
		}
		gif.write(0x3B);
		return gif.toByteArray();
	}

	/**
	 * A 320x240 JPEG with {@code count} empty comment segments (four bytes each) before its own: a few megabytes that
	 * every reader would hold as millions of objects.
	 */
	public static byte[] aJpegWithEmptySegments(int count) {
		byte[] jpeg = aJpeg(320, 240);
		ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 4 * count);
		out.write(jpeg, 0, 2);
		byte[] empty = { (byte) 0xFF, (byte) 0xFE, 0, 2 };
		for (int i = 0; i < count; i++) {
			out.writeBytes(empty);
		}
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	/**
	 * A 320x240 JPEG with an EXIF segment as large as a segment gets (64 KB) whose first directory claims 65535
	 * entries, far more than the segment holds.
	 */
	public static byte[] aJpegWithAnOversizedExifSegment() {
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		data.writeBytes("Exif\0\0MM".getBytes(StandardCharsets.US_ASCII));
		data.writeBytes(new byte[] { 0, 42, 0, 0, 0, 8, (byte) 0xFF, (byte) 0xFF });
		byte[] filler = new byte[65_533 - data.size()];
		Arrays.fill(filler, (byte) 'A');
		data.writeBytes(filler);
		return withSegment(aJpeg(320, 240), segment(0xE1, data.toByteArray()));
	}

	/**
	 * A 320x240 JPEG whose ICC profile is split into 255 chunks of 64 KB, the most the format allows (16 MB of
	 * profile, all zeros: not a valid one either).
	 */
	public static byte[] aJpegWithTheLargestIccProfile() {
		ByteArrayOutputStream segments = new ByteArrayOutputStream();
		byte[] chunk = new byte[65_533 - 14];
		for (int sequence = 1; sequence <= 255; sequence++) {
			segments.writeBytes(segment(0xE2, iccChunk(sequence, 255, chunk)));
		}
		return withSegment(aJpeg(320, 240), segments.toByteArray());
	}

	/** A 320x240 JPEG whose ICC profile (one APP2 chunk) is random bytes. */
	public static byte[] aJpegWithACorruptIccProfile() {
		byte[] garbage = new byte[2000];
		new Random(7).nextBytes(garbage);
		return withSegment(aJpeg(320, 240), segment(0xE2, iccChunk(1, 1, garbage)));
	}

	/** A 64x64 PNG whose {@code iCCP} chunk inflates to 100 MB (of zeros). */
	public static byte[] aPngWithAnIccProfileBomb() {
		byte[] png = encode(aGradient(64, 64), "png");
		ByteArrayOutputStream iccp = new ByteArrayOutputStream();
		iccp.writeBytes("bomb\0\0".getBytes(StandardCharsets.US_ASCII));
		iccp.writeBytes(deflate(new byte[1 << 20], 100));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		// Signature and IHDR (33 bytes), then the profile, then the rest.
		out.write(png, 0, 33);
		chunk(out, "iCCP", iccp.toByteArray());
		out.write(png, 33, png.length - 33);
		return out.toByteArray();
	}

	/** An SVG document that is also an HTML page with a script (uploaded under a {@code .jpg} name). */
	public static byte[] anSvgHtmlPolyglot() {
		return """
				<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><foreignObject width="100" height="100">
				<html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(2)</script></body></html>
				</foreignObject></svg>
				""".getBytes(StandardCharsets.UTF_8);
	}

	/** Plain text (uploaded under a {@code .png} name). */
	public static byte[] aTextFile() {
		return "Dear customer,\nthis is not a picture.\n".getBytes(StandardCharsets.UTF_8);
	}

	/** {@code times} copies of {@code block}, deflated (zlib). */
	private static byte[] deflate(byte[] block, int times) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (DeflaterOutputStream deflater = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
			for (int i = 0; i < times; i++) {
				deflater.write(block);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/** An APP2 {@code ICC_PROFILE} chunk's content. */
	private static byte[] iccChunk(int sequence, int count, byte[] profilePart) {
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		data.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
		data.write(sequence);
		data.write(count);
		data.writeBytes(profilePart);
		return data.toByteArray();
	}

	public static BufferedImage solid(int width, int height, Color colour, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(colour);
		graphics.fillRect(0, 0, width, height);
		graphics.dispose();
		return image;
	}

	/** An APP1 "Exif" segment whose IFD0 holds the orientation and, optionally, a GPS IFD with a latitude ref. */
	private static byte[] exifSegment(int orientation, boolean gps) {
		ByteBuffer tiff = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
		tiff.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
		tiff.putShort((short) (gps ? 2 : 1));
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
		if (gps) {
			tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
		}
		tiff.putInt(0);
		if (gps) {
			// GPS IFD at 38: GPSLatitudeRef "S"
			tiff.putShort((short) 1);
			tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put((byte) 'S').put((byte) 0).putShort((short) 0);
			tiff.putInt(0);
		}
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		data.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
		data.write(tiff.array(), 0, tiff.position());
		return segment(0xE1, data.toByteArray());
	}

	private static byte[] segment(int marker, byte[] data) {
		int length = data.length + 2;
		ByteArrayOutputStream segment = new ByteArrayOutputStream();
		segment.write(0xFF);
		segment.write(marker);
		segment.write(length >> 8);
		segment.write(length & 0xFF);
		segment.writeBytes(data);
		return segment.toByteArray();
	}

	/** {@code jpeg} with {@code segment} inserted right after its SOI marker. */
	private static byte[] withSegment(byte[] jpeg, byte[] segment) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(jpeg, 0, 2);
		out.writeBytes(segment);
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		png.writeBytes(typeBytes);
		png.writeBytes(data);
		png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	private static ImageWriter jdkJpegWriter() {
		Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
		while (writers.hasNext()) {
			ImageWriter writer = writers.next();
			if (writer.getClass().getName().startsWith("com.sun.")) {
				return writer;
			}
		}
		throw new IllegalStateException("The JDK's JPEG writer is missing");
	}

	private static byte[] writeJpeg(BufferedImage image, boolean progressive) {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ImageOutputStream output = ImageIO.createImageOutputStream(out)) {
			ImageWriteParam param = writer.getDefaultWriteParam();
			if (progressive) {
				param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
			}
			writer.setOutput(output);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
		return out.toByteArray();
	}

	public static byte[] encode(BufferedImage image, String format) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			if (!ImageIO.write(image, format, out)) {
				throw new IllegalStateException("No ImageIO writer for " + format);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Writes bits least significant first, as VP8L reads them. */
	private static final class BitWriter {

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		private int pending;

		private int count;

		void put(int value, int bits) {
			for (int i = 0; i < bits; i++) {
				this.pending |= ((value >> i) & 1) << this.count;
				if (++this.count == 8) {
					this.out.write(this.pending);
					this.pending = 0;
					this.count = 0;
				}
			}
		}

		byte[] bytes() {
			byte[] written = this.out.toByteArray();
			if (this.count == 0) {
				return written;
			}
			byte[] withLast = Arrays.copyOf(written, written.length + 1);
			withLast[written.length] = (byte) this.pending;
			return withLast;
		}

	}

}
