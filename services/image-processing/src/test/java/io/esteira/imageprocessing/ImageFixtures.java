package io.esteira.imageprocessing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Test images and non-images, generated in code. */
public final class ImageFixtures {

	private ImageFixtures() {
	}

	/** An RGB JPEG of {@code width}x{@code height} with a colour gradient. */
	public static byte[] aJpeg(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, new Color(x * 255 / width, y * 255 / height, 128).getRGB());
			}
		}
		return encode(image, "jpeg");
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

	/** A JFIF header followed by bytes that are no JPEG segments. */
	public static byte[] aJpegWithGarbageAfterItsHeader() {
		byte[] header = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00,
				0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00 };
		byte[] content = Arrays.copyOf(header, header.length + 512);
		Arrays.fill(content, header.length, content.length, (byte) 0x42);
		return content;
	}

	/** A PNG whose header declares 100000x100000 pixels (40 GB decoded) and that has no image data at all. */
	public static byte[] aPixelFloodPng() {
		ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2)
			.put((byte) 0).put((byte) 0).put((byte) 0);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		chunk(png, "IHDR", ihdr.array());
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
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

	private static byte[] encode(BufferedImage image, String format) {
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

}
