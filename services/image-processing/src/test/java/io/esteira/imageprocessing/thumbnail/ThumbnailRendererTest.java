package io.esteira.imageprocessing.thumbnail;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static io.esteira.imageprocessing.ImageFixtures.aJpegWithGarbageAfterItsHeader;
import static io.esteira.imageprocessing.ImageFixtures.aPdf;
import static io.esteira.imageprocessing.ImageFixtures.aPixelFloodPng;
import static io.esteira.imageprocessing.ImageFixtures.aPngWithAlpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ThumbnailRendererTest {

	private final ThumbnailRenderer renderer = new ThumbnailRenderer(256, 0.85f, 50_000_000);

	@Test
	void landscapeImageShrinksToLongestSideOf256() throws Exception {
		Thumbnail thumbnail = this.renderer.render(aJpeg(1024, 768));

		assertThat(thumbnail.sourceFormat()).isEqualTo("jpeg");
		assertThat(thumbnail.sourceWidth()).isEqualTo(1024);
		assertThat(thumbnail.sourceHeight()).isEqualTo(768);
		assertThat(thumbnail.width()).isEqualTo(256);
		assertThat(thumbnail.height()).isEqualTo(192);
		assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
		assertThat(formatOf(thumbnail.content())).isEqualTo("jpeg");
		BufferedImage decoded = decode(thumbnail.content());
		assertThat(decoded.getWidth()).isEqualTo(256);
		assertThat(decoded.getHeight()).isEqualTo(192);
	}

	@Test
	void largeImageIsDecodedSubsampledButReportsItsFullSize() throws Exception {
		Thumbnail thumbnail = this.renderer.render(aJpeg(4096, 3072));

		assertThat(thumbnail.sourceWidth()).isEqualTo(4096);
		assertThat(thumbnail.sourceHeight()).isEqualTo(3072);
		assertThat(thumbnail.width()).isEqualTo(256);
		assertThat(thumbnail.height()).isEqualTo(192);
		// The gradient survives: red grows left to right, green top to bottom.
		BufferedImage decoded = decode(thumbnail.content());
		assertThat(new Color(decoded.getRGB(250, 5)).getRed()).isGreaterThan(230);
		assertThat(new Color(decoded.getRGB(5, 186)).getGreen()).isGreaterThan(230);
	}

	@Test
	void portraitImageShrinksByItsHeight() throws Exception {
		Thumbnail thumbnail = this.renderer.render(aJpeg(300, 900));

		assertThat(thumbnail.height()).isEqualTo(256);
		assertThat(thumbnail.width()).isBetween(85, 86);
	}

	@Test
	void smallImageIsNeverUpscaled() throws Exception {
		Thumbnail thumbnail = this.renderer.render(aJpeg(120, 40));

		assertThat(thumbnail.width()).isEqualTo(120);
		assertThat(thumbnail.height()).isEqualTo(40);
		assertThat(formatOf(thumbnail.content())).isEqualTo("jpeg");
	}

	@Test
	void transparentAreasBecomeWhite() throws Exception {
		Thumbnail thumbnail = this.renderer.render(aPngWithAlpha());

		assertThat(thumbnail.sourceFormat()).isEqualTo("png");
		assertThat(thumbnail.width()).isEqualTo(256);
		assertThat(thumbnail.height()).isEqualTo(192);
		BufferedImage decoded = decode(thumbnail.content());
		assertThat(decoded.getColorModel().hasAlpha()).isFalse();
		assertNear(new Color(decoded.getRGB(5, 5)), Color.WHITE);
		assertNear(new Color(decoded.getRGB(128, 96)), Color.RED);
	}

	@Test
	void pdfIsAnUnsupportedFormat() {
		UnreadableImageException ex = catchThrowableOfType(UnreadableImageException.class,
				() -> this.renderer.render(aPdf()));

		assertThat(ex.problem()).isEqualTo(UnreadableImageException.Problem.UNSUPPORTED_FORMAT);
		assertThat(ex.problem().code()).isEqualTo("unsupported_format");
		assertThat(ex.format()).isNull();
	}

	@Test
	void jpegThatDoesNotDecodeIsCorrupt() {
		UnreadableImageException ex = catchThrowableOfType(UnreadableImageException.class,
				() -> this.renderer.render(aJpegWithGarbageAfterItsHeader()));

		assertThat(ex.problem().code()).isEqualTo("corrupt_image");
		assertThat(ex.format()).isEqualTo("jpeg");
	}

	@Test
	void pixelFloodIsRejectedBeforeDecoding() {
		UnreadableImageException ex = catchThrowableOfType(UnreadableImageException.class,
				() -> this.renderer.render(aPixelFloodPng()));

		assertThat(ex.problem().code()).isEqualTo("too_many_pixels");
		assertThat(ex.format()).isEqualTo("png");
	}

	private static void assertNear(Color actual, Color expected) {
		assertThat(actual.getRed()).isCloseTo(expected.getRed(), org.assertj.core.data.Offset.offset(8));
		assertThat(actual.getGreen()).isCloseTo(expected.getGreen(), org.assertj.core.data.Offset.offset(8));
		assertThat(actual.getBlue()).isCloseTo(expected.getBlue(), org.assertj.core.data.Offset.offset(8));
	}

	static BufferedImage decode(byte[] content) throws IOException {
		return ImageIO.read(new ByteArrayInputStream(content));
	}

	static String formatOf(byte[] content) throws IOException {
		try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
			ImageReader reader = ImageIO.getImageReaders(in).next();
			return reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(java.util.Locale.ROOT);
		}
	}

}
