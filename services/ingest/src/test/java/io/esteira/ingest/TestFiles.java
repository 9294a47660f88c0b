package io.esteira.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import javax.imageio.ImageIO;

/** Files for tests, made in code. */
public final class TestFiles {

	private TestFiles() {
	}

	public static byte[] aPng() {
		return image("png", BufferedImage.TYPE_INT_ARGB);
	}

	public static byte[] aJpeg() {
		return image("jpeg", BufferedImage.TYPE_INT_RGB);
	}

	public static byte[] aGif() {
		return image("gif", BufferedImage.TYPE_INT_RGB);
	}

	public static byte[] aBmp() {
		return image("bmp", BufferedImage.TYPE_INT_RGB);
	}

	/** The start of a PDF: enough for anything that looks at magic bytes. */
	public static byte[] aPdf() {
		return """
				%PDF-1.4
				1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
				2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
				trailer << /Root 1 0 R >>
				%%EOF
				""".getBytes(StandardCharsets.US_ASCII);
	}

	public static byte[] anInvoiceJson() {
		return """
				[{"number": "NF-1001", "issuedOn": "2026-11-20", "total": "149.90",
				  "customer": {"name": "Loja Açaí", "document": "11222333000181"}}]
				""".getBytes(StandardCharsets.UTF_8);
	}

	public static byte[] anInvoiceCsv() {
		return "number,issuedOn,total\nNF-1001,2026-11-20,149.90\n".getBytes(StandardCharsets.UTF_8);
	}

	/** A JPEG of roughly {@code bytes} bytes or more (noise compresses badly). */
	public static byte[] aJpegOfAtLeast(int bytes) {
		int side = 64;
		while (true) {
			BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
			Random random = new Random(side);
			for (int y = 0; y < side; y++) {
				for (int x = 0; x < side; x++) {
					image.setRGB(x, y, random.nextInt(0xFFFFFF));
				}
			}
			byte[] encoded = encode(image, "jpeg");
			if (encoded.length >= bytes) {
				return encoded;
			}
			side *= 2;
		}
	}

	private static byte[] image(String format, int type) {
		BufferedImage image = new BufferedImage(40, 30, type);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(0x2E7D32));
		graphics.fillRect(0, 0, 40, 30);
		graphics.setColor(Color.ORANGE);
		graphics.fillOval(5, 5, 20, 20);
		graphics.dispose();
		return encode(image, format);
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
