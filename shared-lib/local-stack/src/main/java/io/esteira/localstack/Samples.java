package io.esteira.localstack;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * The demo's and the benchmark's sample files, generated: a 1600×1200 photo-like JPEG and a JSON file of three
 * invoices; for the benchmark a 2 MP photo with texture and invoice files with numbers of their own.
 */
final class Samples {

	private Samples() {
	}

	static Path write(Path folder) {
		try {
			Files.createDirectories(folder);
			BufferedImage image = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
			Graphics2D graphics = image.createGraphics();
			graphics.setPaint(new GradientPaint(0, 0, new Color(0x1E88E5), 1600, 1200, new Color(0xFDD835)));
			graphics.fillRect(0, 0, 1600, 1200);
			graphics.setColor(Color.WHITE);
			graphics.fillOval(500, 300, 600, 600);
			graphics.dispose();
			ImageIO.write(image, "jpg", folder.resolve("photo.jpg").toFile());
			Files.writeString(folder.resolve("invoices.json"), invoices(1001, LocalDate.now()));
			return folder;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A 2 MP (1600×1250) JPEG with some texture, so that decoding and the encoder's work look like a photo's rather
	 * than a flat picture's; about 120 KB at ImageIO's default quality, the size of a 2 MP photo a chat app has
	 * recompressed, and small enough that a thousand fit in the local stack's S3Proxy (in memory, 256 MB heap).
	 */
	static byte[] aTwoMegapixelPhoto() {
		BufferedImage image = new BufferedImage(1600, 1250, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setPaint(new GradientPaint(0, 0, new Color(0x1E88E5), 1600, 1250, new Color(0xFDD835)));
		graphics.fillRect(0, 0, 1600, 1250);
		Random random = new Random(42);
		for (int i = 0; i < 150; i++) {
			graphics.setColor(new Color(random.nextInt(0x1000000)));
			graphics.fillOval(random.nextInt(1600), random.nextInt(1250), 10 + random.nextInt(120),
					10 + random.nextInt(120));
		}
		graphics.dispose();
		for (int y = 0; y < 1250; y++) {
			for (int x = 0; x < 1600; x++) {
				int noise = random.nextInt(5) - 2;
				int rgb = image.getRGB(x, y);
				int r = clamp(((rgb >> 16) & 0xFF) + noise);
				int g = clamp(((rgb >> 8) & 0xFF) + noise);
				int b = clamp((rgb & 0xFF) + noise);
				image.setRGB(x, y, (r << 16) | (g << 8) | b);
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "jpg", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/** Three invoices numbered {@code first}, {@code first + 1}, {@code first + 2}, in the three spellings ingest reads. */
	static String invoices(int first, LocalDate today) {
		return """
				[
				  {"number": "%d", "customer": "Padaria Estrela Ltda", "amount": 1234.56, "date": "%s"},
				  {"numero": "%d", "cliente": "Oficina do Zé", "valor": "89.90", "data": "%s"},
				  {"number": "%d", "customer": "Mercado Bom Preço", "amount": 15000.00, "date": "%s"}
				]
				""".formatted(first, today, first + 1, today.minusDays(3).format(DateTimeFormatter.ofPattern("dd/MM/yyyy")),
				first + 2, today.minusDays(10));
	}

	private static int clamp(int value) {
		return Math.max(0, Math.min(255, value));
	}

}
