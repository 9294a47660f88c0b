package io.esteira.localstack;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import javax.imageio.ImageIO;

/** The demo's sample files, generated: a 1600×1200 photo-like JPEG and a JSON file of three invoices. */
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
			LocalDate today = LocalDate.now();
			Files.writeString(folder.resolve("invoices.json"), """
					[
					  {"number": "1001", "customer": "Padaria Estrela Ltda", "amount": 1234.56, "date": "%s"},
					  {"numero": "1002", "cliente": "Oficina do Zé", "valor": "89.90", "data": "%s"},
					  {"number": "1003", "customer": "Mercado Bom Preço", "amount": 15000.00, "date": "%s"}
					]
					""".formatted(today, today.minusDays(3).format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy")),
					today.minusDays(10)));
			return folder;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
