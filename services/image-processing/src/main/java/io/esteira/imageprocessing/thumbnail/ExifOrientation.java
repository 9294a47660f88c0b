package io.esteira.imageprocessing.thumbnail;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

/**
 * EXIF orientation (tag {@code 0x0112}, values 1 to 8): read from a JPEG's APP1 segment, a PNG's {@code eXIf} chunk
 * or a WebP's {@code EXIF} chunk without decoding anything, and applied to a decoded image so that it looks the way the camera's user held it.
 */
final class ExifOrientation {

	/** Stored as displayed. */
	static final int NORMAL = 1;

	private static final int TAG_ORIENTATION = 0x0112;

	private ExifOrientation() {
	}

	/** The orientation a JPEG's EXIF declares; {@link #NORMAL} when it declares none or garbage. */
	static int ofJpeg(byte[] jpeg) {
		// APP1 "Exif" holds a TIFF structure whose IFD0 may hold the tag.
		for (JpegSegments.Segment segment : JpegSegments.of(jpeg)) {
			int data = segment.data();
			if (segment.marker() == 0xE1 && segment.length() >= 8 && data + 6 <= jpeg.length && jpeg[data] == 'E'
					&& jpeg[data + 1] == 'x' && jpeg[data + 2] == 'i' && jpeg[data + 3] == 'f' && jpeg[data + 4] == 0
					&& jpeg[data + 5] == 0) {
				int orientation = ofTiff(jpeg, data + 6, Math.min(jpeg.length, segment.end()));
				if (orientation != 0) {
					return orientation;
				}
			}
		}
		return NORMAL;
	}

	/** The orientation a PNG's {@code eXIf} chunk (before the image data) declares; {@link #NORMAL} otherwise. */
	static int ofPng(byte[] png) {
		int offset = 8;
		while (offset + 12 <= png.length) {
			long length = u32(png, offset, true) & 0xFFFFFFFFL;
			String type = new String(png, offset + 4, 4, StandardCharsets.ISO_8859_1);
			if (type.equals("IDAT") || offset + 12 + length > png.length) {
				break;
			}
			if (type.equals("eXIf")) {
				int orientation = ofTiff(png, offset + 8, offset + 8 + (int) length);
				return (orientation != 0) ? orientation : NORMAL;
			}
			offset += 12 + (int) length;
		}
		return NORMAL;
	}

	/** The orientation a WebP's {@code EXIF} chunk declares (with or without an "Exif" prefix); else {@link #NORMAL}. */
	static int ofWebp(byte[] webp) {
		int offset = 12;
		while (offset + 8 <= webp.length) {
			long length = (webp[offset + 4] & 0xFFL) | (webp[offset + 5] & 0xFFL) << 8 | (webp[offset + 6] & 0xFFL) << 16
					| (webp[offset + 7] & 0xFFL) << 24;
			if (offset + 8 + length > webp.length) {
				break;
			}
			if (new String(webp, offset, 4, StandardCharsets.ISO_8859_1).equals("EXIF")) {
				int start = offset + 8;
				if (length >= 6 && webp[start] == 'E' && webp[start + 1] == 'x' && webp[start + 2] == 'i'
						&& webp[start + 3] == 'f') {
					start += 6;
				}
				int orientation = ofTiff(webp, start, offset + 8 + (int) length);
				return (orientation != 0) ? orientation : NORMAL;
			}
			offset += 8 + (int) length + (int) (length & 1);
		}
		return NORMAL;
	}

	/** The orientation in IFD0 of the TIFF structure in {@code bytes[start, end)}, or 0. */
	private static int ofTiff(byte[] bytes, int start, int end) {
		if (start + 8 > end) {
			return 0;
		}
		boolean bigEndian;
		if (bytes[start] == 'M' && bytes[start + 1] == 'M') {
			bigEndian = true;
		}
		else if (bytes[start] == 'I' && bytes[start + 1] == 'I') {
			bigEndian = false;
		}
		else {
			return 0;
		}
		long ifd = start + (u32(bytes, start + 4, bigEndian) & 0xFFFFFFFFL);
		if (ifd + 2 > end) {
			return 0;
		}
		int entries = u16(bytes, (int) ifd, bigEndian);
		for (int i = 0; i < entries; i++) {
			int entry = (int) ifd + 2 + i * 12;
			if (entry + 12 > end) {
				return 0;
			}
			if (u16(bytes, entry, bigEndian) == TAG_ORIENTATION) {
				int value = u16(bytes, entry + 8, bigEndian);
				return (value >= 1 && value <= 8) ? value : 0;
			}
		}
		return 0;
	}

	/**
	 * The image as displayed. EXIF names where the stored 0th row and 0th column belong: 1 top/left, 2 top/right,
	 * 3 bottom/right, 4 bottom/left, 5 left/top, 6 right/top, 7 right/bottom, 8 left/bottom.
	 */
	static BufferedImage apply(BufferedImage stored, int orientation) {
		if (orientation <= NORMAL || orientation > 8) {
			return stored;
		}
		int w = stored.getWidth();
		int h = stored.getHeight();
		boolean swap = orientation >= 5;
		int dw = swap ? h : w;
		int dh = swap ? w : h;
		int[] source = stored.getRGB(0, 0, w, h, null, 0, w);
		int[] target = new int[source.length];
		for (int y = 0; y < dh; y++) {
			for (int x = 0; x < dw; x++) {
				int sx;
				int sy;
				switch (orientation) {
					case 2 -> { sx = w - 1 - x; sy = y; }
					case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
					case 4 -> { sx = x; sy = h - 1 - y; }
					case 5 -> { sx = y; sy = x; }
					case 6 -> { sx = y; sy = h - 1 - x; }
					case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
					default -> { sx = w - 1 - y; sy = x; }
				}
				target[y * dw + x] = source[sy * w + sx];
			}
		}
		BufferedImage displayed = new BufferedImage(dw, dh,
				stored.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		displayed.setRGB(0, 0, dw, dh, target, 0, dw);
		return displayed;
	}

	private static int u16(byte[] bytes, int offset, boolean bigEndian) {
		int a = bytes[offset] & 0xFF;
		int b = bytes[offset + 1] & 0xFF;
		return bigEndian ? (a << 8) | b : (b << 8) | a;
	}

	private static int u32(byte[] bytes, int offset, boolean bigEndian) {
		int hi = u16(bytes, bigEndian ? offset : offset + 2, bigEndian);
		int lo = u16(bytes, bigEndian ? offset + 2 : offset, bigEndian);
		return (hi << 16) | lo;
	}

}
