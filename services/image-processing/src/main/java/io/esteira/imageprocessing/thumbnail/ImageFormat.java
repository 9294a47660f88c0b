package io.esteira.imageprocessing.thumbnail;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The formats thumbnails are made from, recognised by their leading bytes (never by file name or content type), and
 * the names of common non-image formats for the rejection record.
 */
public enum ImageFormat {

	JPEG("jpeg"), PNG("png"), GIF("gif"), BMP("bmp"), WEBP("webp");

	private final String readerName;

	ImageFormat(String readerName) {
		this.readerName = readerName;
	}

	/** The ImageIO format name of the reader that decodes it, also the name recorded as the detected format. */
	public String readerName() {
		return this.readerName;
	}

	/** The image format {@code content} starts with, or {@code null} when it is none of the supported ones. */
	static ImageFormat sniff(byte[] content) {
		if (startsWith(content, 0, 0xFF, 0xD8, 0xFF)) {
			return JPEG;
		}
		if (startsWith(content, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return PNG;
		}
		if (startsWith(content, 0, 'G', 'I', 'F', '8') && content.length > 5 && content[5] == 'a') {
			return GIF;
		}
		if (startsWith(content, 0, 'B', 'M') && content.length >= 26) {
			return BMP;
		}
		if (startsWith(content, 0, 'R', 'I', 'F', 'F') && startsWith(content, 8, 'W', 'E', 'B', 'P')) {
			return WEBP;
		}
		return null;
	}

	/**
	 * A name for data that is not a supported image, recorded as the detected format of a rejection: {@code empty},
	 * {@code heic}, {@code avif}, {@code tiff}, {@code pdf}, {@code svg}, {@code html}, {@code xml} or
	 * {@code unknown}.
	 */
	static String describeUnsupported(byte[] content) {
		if (content.length == 0) {
			return "empty";
		}
		if (startsWith(content, 4, 'f', 't', 'y', 'p') && content.length >= 12) {
			String brand = new String(content, 8, 4, StandardCharsets.US_ASCII);
			return brand.startsWith("avi") ? "avif" : "heic";
		}
		if (startsWith(content, 0, 'I', 'I', 42, 0) || startsWith(content, 0, 'M', 'M', 0, 42)) {
			return "tiff";
		}
		if (startsWith(content, 0, '%', 'P', 'D', 'F')) {
			return "pdf";
		}
		String head = new String(content, 0, Math.min(content.length, 512), StandardCharsets.ISO_8859_1)
			.toLowerCase(Locale.ROOT);
		if (head.contains("<svg")) {
			return "svg";
		}
		if (head.contains("<html") || head.contains("<!doctype html")) {
			return "html";
		}
		if (head.stripLeading().startsWith("<?xml")) {
			return "xml";
		}
		return "unknown";
	}

	private static boolean startsWith(byte[] content, int offset, int... expected) {
		if (content.length < offset + expected.length) {
			return false;
		}
		for (int i = 0; i < expected.length; i++) {
			if ((content[offset + i] & 0xFF) != expected[i]) {
				return false;
			}
		}
		return true;
	}

}
