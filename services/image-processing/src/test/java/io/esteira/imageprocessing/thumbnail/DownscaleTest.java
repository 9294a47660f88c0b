package io.esteira.imageprocessing.thumbnail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The renditions' downscale: imgscalr's final step for small renditions, AreaScaler for the rest. */
class DownscaleTest {

	@ParameterizedTest(name = "{0}x{1} to {2}")
	@CsvSource({ "1000, 750, 256, 256, 192", "300, 900, 256, 85, 256", "300, 225, 256, 256, 192",
			"4000, 3, 256, 256, 1", "2500, 1875, 1024, 1024, 768", "1632, 1224, 1024, 1024, 768" })
	void everyWayGivesTheSameDimensions(int width, int height, int size, int expectedWidth, int expectedHeight) {
		BufferedImage image = ThumbnailBenchmark.photo(width, height);

		for (Downscale downscale : new Downscale[] { Downscale.AREA_AVERAGING, Downscale.AREA_AVERAGING_THEN_IMGSCALR }) {
			BufferedImage scaled = downscale.fit(image, size);
			assertThat(scaled.getWidth()).isEqualTo(expectedWidth);
			assertThat(scaled.getHeight()).isEqualTo(expectedHeight);
		}
	}

	@Test
	void imageThatAlreadyFitsIsReturnedAsItIs() {
		BufferedImage image = ThumbnailBenchmark.photo(200, 150);

		assertThat(Downscale.AREA_AVERAGING_THEN_IMGSCALR.fit(image, 256)).isSameAs(image);
	}

	@Test
	void renditionsLargerThan512PixelsAreAreaAveragedAlone() {
		BufferedImage image = ThumbnailBenchmark.photo(2500, 1875);

		BufferedImage shipped = Downscale.AREA_AVERAGING_THEN_IMGSCALR.fit(image, 1024);
		BufferedImage areaAveraged = Downscale.AREA_AVERAGING.fit(image, 1024);

		assertThat(pixels(shipped)).isEqualTo(pixels(areaAveraged));
	}

	@Test
	void imgscalrFinalStepStaysCloseToAnExactAreaAverage() {
		BufferedImage image = ThumbnailBenchmark.photo(1000, 750);

		// Against Java2D's own area averaging of the same image, which AreaScaler matches exactly.
		double shipped = ThumbnailBenchmark.psnr(image, Downscale.AREA_AVERAGING_THEN_IMGSCALR.fit(image, 256));

		// 48.7 dB measured; imgscalr's QUALITY all the way from 1000 px gives 40.9 dB here.
		assertThat(shipped).isGreaterThan(45);
	}

	@Test
	void transparentPixelsDoNotBleedIntoEdgesOnTheImgscalrStep() {
		BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_ARGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.RED);
		graphics.fillRect(100, 75, 200, 150);
		graphics.dispose();

		BufferedImage scaled = Downscale.AREA_AVERAGING_THEN_IMGSCALR.fit(image, 256);

		assertThat(scaled.getColorModel().hasAlpha()).isTrue();
		assertThat(new Color(scaled.getRGB(0, 0), true).getAlpha()).isZero();
		assertThat(new Color(scaled.getRGB(128, 96), true)).isEqualTo(Color.RED);
		for (int y = 0; y < scaled.getHeight(); y++) {
			for (int x = 0; x < scaled.getWidth(); x++) {
				Color pixel = new Color(scaled.getRGB(x, y), true);
				if (pixel.getAlpha() > 16) {
					assertThat(pixel.getRed()).as("red at %d,%d, alpha %d", x, y, pixel.getAlpha()).isGreaterThan(200);
					assertThat(pixel.getGreen() + pixel.getBlue()).as("green + blue at %d,%d", x, y).isLessThan(60);
				}
			}
		}
	}

	private static int[] pixels(BufferedImage image) {
		return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
	}

}
