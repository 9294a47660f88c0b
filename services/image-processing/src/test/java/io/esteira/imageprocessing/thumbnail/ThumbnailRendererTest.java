package io.esteira.imageprocessing.thumbnail;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.esteira.imageprocessing.ImageFixtures;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.esteira.imageprocessing.ImageFixtures.aJpeg;
import static io.esteira.imageprocessing.ImageFixtures.aPngWithAlpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The rendering rules, over a corpus of generated images and non-images. */
class ThumbnailRendererTest {

	private final ThumbnailRenderer renderer = renderer(AlphaOutput.JPEG_ON_WHITE, Duration.ofSeconds(10));

	/** Whether plain JPEGs may go to libjpeg-turbo; {@link PureJavaThumbnailRendererTest} runs all with ImageIO. */
	boolean nativeJpeg() {
		return true;
	}

	ThumbnailRenderer renderer(AlphaOutput alphaOutput, Duration decodeTimeout) {
		return new ThumbnailRenderer(List.of(1024, 256), 0.85f, alphaOutput, 50_000_000, 1000, decodeTimeout, 2,
				nativeJpeg());
	}

	@Test
	void landscapeJpegBecomesA256AndA1024RenditionSmallestFirst() throws Exception {
		Renditions made = this.renderer.render(aJpeg(2048, 1536));

		assertThat(made.sourceFormat()).isEqualTo("jpeg");
		assertThat(made.sourceWidth()).isEqualTo(2048);
		assertThat(made.sourceHeight()).isEqualTo(1536);
		assertThat(made.orientation()).isEqualTo(1);
		assertThat(made.thumbnails()).extracting(Thumbnail::name).containsExactly("256", "1024");
		assertThat(made.thumbnails()).extracting(Thumbnail::width).containsExactly(256, 1024);
		assertThat(made.thumbnails()).extracting(Thumbnail::height).containsExactly(192, 768);
		for (Thumbnail thumbnail : made.thumbnails()) {
			assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
			assertThat(thumbnail.extension()).isEqualTo("jpg");
			assertThat(formatOf(thumbnail.content())).isEqualTo("jpeg");
			BufferedImage decoded = decode(thumbnail.content());
			assertThat(decoded.getWidth()).isEqualTo(thumbnail.width());
			assertThat(decoded.getHeight()).isEqualTo(thumbnail.height());
		}
		assertThat(made.blurHash()).hasSize(28);
	}

	@Test
	void largeImageIsDecodedSubsampledButReportsItsFullSizeAndKeepsItsGradient() throws Exception {
		Renditions made = this.renderer.render(aJpeg(6000, 4000));

		assertThat(made.sourceWidth()).isEqualTo(6000);
		assertThat(made.sourceHeight()).isEqualTo(4000);
		assertThat(made.thumbnails()).extracting(Thumbnail::width).containsExactly(256, 1024);
		BufferedImage small = decode(made.thumbnails().getFirst().content());
		assertThat(new Color(small.getRGB(250, 5)).getRed()).isGreaterThan(230);
		assertThat(new Color(small.getRGB(5, small.getHeight() - 5)).getGreen()).isGreaterThan(230);
	}

	@Test
	void progressiveJpegIsDecoded() throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.aProgressiveJpeg(1600, 1200));

		assertThat(made.thumbnails()).extracting(Thumbnail::height).containsExactly(192, 768);
		assertNear(average(decode(made.thumbnails().getFirst().content()), 0, 0, 20, 20), new Color(5, 5, 128), 12);
	}

	@Test
	void portraitImageShrinksByItsHeight() throws Exception {
		Renditions made = this.renderer.render(aJpeg(300, 900));

		assertThat(made.thumbnails().getFirst().height()).isEqualTo(256);
		assertThat(made.thumbnails().getFirst().width()).isBetween(85, 86);
		// 900 px is below 1024: kept as it is.
		assertThat(made.thumbnails().getLast().width()).isEqualTo(300);
		assertThat(made.thumbnails().getLast().height()).isEqualTo(900);
	}

	@Test
	void smallImageIsNeverUpscaled() throws Exception {
		Renditions made = this.renderer.render(aJpeg(120, 40));

		assertThat(made.thumbnails()).allSatisfy((thumbnail) -> {
			assertThat(thumbnail.width()).isEqualTo(120);
			assertThat(thumbnail.height()).isEqualTo(40);
		});
	}

	@ParameterizedTest(name = "orientation {0}")
	@ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8 })
	void exifOrientationIsApplied(int orientation) throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.aJpegWithOrientation(orientation));

		assertThat(made.orientation()).isEqualTo(orientation);
		// Stored 300x400 for orientations 5 to 8; recorded as stored.
		assertThat(made.sourceWidth()).isEqualTo(orientation >= 5 ? 300 : 400);
		for (Thumbnail thumbnail : made.thumbnails()) {
			BufferedImage image = decode(thumbnail.content());
			assertThat(image.getWidth()).isGreaterThan(image.getHeight());
			int w = image.getWidth();
			int h = image.getHeight();
			assertNear(average(image, w / 8, h / 8, w / 4, h / 4), ImageFixtures.TOP_LEFT, 24);
			assertNear(average(image, w * 5 / 8, h / 8, w / 4, h / 4), ImageFixtures.TOP_RIGHT, 24);
			assertNear(average(image, w / 8, h * 5 / 8, w / 4, h / 4), ImageFixtures.BOTTOM_LEFT, 24);
			assertNear(average(image, w * 5 / 8, h * 5 / 8, w / 4, h / 4), ImageFixtures.BOTTOM_RIGHT, 24);
		}
		assertThat(made.thumbnails()).extracting(Thumbnail::width).containsExactly(256, 400);
		assertThat(made.thumbnails()).extracting(Thumbnail::height).containsExactly(192, 300);
	}

	@ParameterizedTest(name = "orientation {0}")
	@ValueSource(ints = { 3, 6, 8 })
	void pngExifOrientationIsApplied(int orientation) throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.aPngWithOrientation(orientation));

		assertThat(made.orientation()).isEqualTo(orientation);
		BufferedImage image = decode(made.thumbnails().getFirst().content());
		assertThat(image.getWidth()).isEqualTo(256);
		assertThat(image.getHeight()).isEqualTo(192);
		assertNear(average(image, 32, 24, 64, 48), ImageFixtures.TOP_LEFT, 24);
		assertNear(average(image, 160, 120, 64, 48), ImageFixtures.BOTTOM_RIGHT, 24);
	}

	@Test
	void webpExifOrientationIsApplied() throws Exception {
		Renditions made = this.renderer
			.render(ImageFixtures.aLosslessWebpWithOrientation(600, 300, new Color(32, 128, 224), 6));

		assertThat(made.sourceFormat()).isEqualTo("webp");
		assertThat(made.orientation()).isEqualTo(6);
		assertThat(made.thumbnails().getFirst().width()).isEqualTo(128);
		assertThat(made.thumbnails().getFirst().height()).isEqualTo(256);
		assertNear(average(decode(made.thumbnails().getFirst().content()), 10, 10, 100, 200),
				new Color(32, 128, 224), 6);
	}

	@Test
	void cmykJpegWithoutProfileGetsTheRightColours() throws Exception {
		BufferedImage image = decode(this.renderer.render(ImageFixtures.aCmykJpeg()).thumbnails().getFirst().content());

		assertNear(average(image, 4, 4, 20, 24), Color.CYAN, 24);
		assertNear(average(image, 40, 4, 20, 24), Color.YELLOW, 24);
	}

	@Test
	void cmykJpegWithProfileIsConvertedThroughItsProfile() throws Exception {
		BufferedImage image = decode(
				this.renderer.render(ImageFixtures.aCmykJpegWithProfile()).thumbnails().getFirst().content());

		// The embedded profile prints cyan ink as azure; without it the left half would be cyan (0, 255, 255).
		assertNear(average(image, 4, 4, 20, 24), new Color(0, 128, 255), 24);
		assertNear(average(image, 40, 4, 20, 24), Color.YELLOW, 24);
	}

	@Test
	void ycckJpegGetsTheRightColours() throws Exception {
		BufferedImage image = decode(this.renderer.render(ImageFixtures.aYcckJpeg()).thumbnails().getFirst().content());

		assertNear(average(image, 4, 4, 20, 24), Color.CYAN, 24);
		assertNear(average(image, 40, 4, 20, 24), Color.YELLOW, 24);
	}

	@Test
	void embeddedIccProfileIsConvertedToSrgb() throws Exception {
		BufferedImage image = decode(
				this.renderer.render(ImageFixtures.aJpegTaggedLinearRgb()).thumbnails().getFirst().content());

		// 128 in linear light is 188 in sRGB; ignoring the profile would leave 128.
		assertNear(average(image, 8, 8, 48, 16), new Color(188, 188, 188), 6);
	}

	@Test
	void pngIccProfileIsConvertedToSrgb() throws Exception {
		BufferedImage image = decode(
				this.renderer.render(ImageFixtures.aPngTaggedLinearRgb()).thumbnails().getFirst().content());

		assertNear(average(image, 8, 8, 48, 16), new Color(188, 188, 188), 6);
	}

	@Test
	void exifGpsCommentAndXmpAreStrippedFromEveryRendition() throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.aJpegWithExifGpsAndComment());

		for (Thumbnail thumbnail : made.thumbnails()) {
			assertThat(jpegMarkers(thumbnail.content())).doesNotContain(0xE1, 0xE2, 0xED, 0xFE)
				.contains(0xE0, 0xDB, 0xC0, 0xDA);
			String text = new String(thumbnail.content(), StandardCharsets.ISO_8859_1);
			assertThat(text).doesNotContain("Exif", "Rua Augusta", "xmpmeta", "http://ns.adobe.com");
		}
	}

	@Test
	void transparentAreasBecomeWhiteInJpeg() throws Exception {
		Renditions made = this.renderer.render(aPngWithAlpha());

		assertThat(made.sourceFormat()).isEqualTo("png");
		Thumbnail thumbnail = made.thumbnails().getFirst();
		assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
		BufferedImage decoded = decode(thumbnail.content());
		assertThat(decoded.getColorModel().hasAlpha()).isFalse();
		assertNear(new Color(decoded.getRGB(5, 5)), Color.WHITE, 8);
		assertNear(new Color(decoded.getRGB(128, 96)), Color.RED, 8);
		// The edge of the red rectangle blends into white, never through black.
		for (int x = 58; x <= 70; x++) {
			Color edge = new Color(decoded.getRGB(x, 96));
			assertThat(edge.getRed()).as("red at x=%d", x).isGreaterThan(200);
		}
	}

	@Test
	void transparencyIsKeptAsPngWhenConfigured() throws Exception {
		Renditions made = renderer(AlphaOutput.PNG, Duration.ofSeconds(10)).render(aPngWithAlpha());

		Thumbnail thumbnail = made.thumbnails().getFirst();
		assertThat(thumbnail.contentType()).isEqualTo("image/png");
		assertThat(thumbnail.extension()).isEqualTo("png");
		BufferedImage decoded = decode(thumbnail.content());
		assertThat(decoded.getColorModel().hasAlpha()).isTrue();
		assertThat(new Color(decoded.getRGB(5, 5), true).getAlpha()).isZero();
		assertNear(new Color(decoded.getRGB(128, 96)), Color.RED, 8);
		assertThat(new Color(decoded.getRGB(128, 96), true).getAlpha()).isEqualTo(255);
		for (int x = 0; x < decoded.getWidth(); x++) {
			Color pixel = new Color(decoded.getRGB(x, 96), true);
			if (pixel.getAlpha() > 16) {
				assertThat(pixel.getRed()).as("red at x=%d alpha %d", x, pixel.getAlpha()).isGreaterThan(200);
			}
		}
		assertThat(formatOf(thumbnail.content())).isEqualTo("png");
	}

	@Test
	void palettePngWithTransparentIndexBecomesMagentaOnWhite() throws Exception {
		BufferedImage image = decode(
				this.renderer.render(ImageFixtures.aPalettePngWithTransparentIndex()).thumbnails().getFirst().content());

		assertThat(image.getWidth()).isEqualTo(256);
		assertNear(average(image, 2, 2, 60, 60), Color.WHITE, 6);
		assertNear(average(image, 100, 100, 56, 56), Color.MAGENTA, 12);
	}

	@Test
	void sixteenBitPngKeepsItsColours() throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.a16BitPng());

		assertThat(made.sourceFormat()).isEqualTo("png");
		BufferedImage image = decode(made.thumbnails().getFirst().content());
		assertThat(image.getWidth()).isEqualTo(256);
		assertThat(image.getHeight()).isEqualTo(171);
		assertNear(average(image, 10, 10, 100, 150), new Color(255, 128, 0), 10);
		assertNear(average(image, 150, 10, 100, 150), new Color(0, 80, 80), 10);
	}

	@Test
	void greyPngStaysTheSameGrey() throws Exception {
		BufferedImage image = decode(this.renderer.render(ImageFixtures.aGreyPng()).thumbnails().getFirst().content());

		assertNear(average(image, 10, 10, 200, 150), new Color(200, 200, 200), 4);
	}

	@Test
	void sixteenBitGreyPngStaysTheSameGrey() throws Exception {
		BufferedImage image = decode(
				this.renderer.render(ImageFixtures.a16BitGreyPng()).thumbnails().getFirst().content());

		assertNear(average(image, 10, 10, 200, 150), new Color(128, 128, 128), 4);
	}

	@Test
	void transparentGifBecomesRedOnWhite() throws Exception {
		BufferedImage image = decode(
				this.renderer.render(ImageFixtures.aGifWithTransparency()).thumbnails().getFirst().content());

		assertNear(average(image, 2, 2, 60, 30), Color.WHITE, 6);
		assertNear(average(image, 100, 60, 50, 50), Color.RED, 12);
	}

	@Test
	void animatedGifBecomesItsFirstFrame() throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.anAnimatedGif());

		assertThat(made.sourceFormat()).isEqualTo("gif");
		BufferedImage image = decode(made.thumbnails().getFirst().content());
		assertThat(image.getWidth()).isEqualTo(256);
		assertThat(image.getHeight()).isEqualTo(171);
		assertNear(average(image, 10, 10, 200, 150), Color.RED, 10);
	}

	@Test
	void bmpIsDecoded() throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.aBmp());

		assertThat(made.sourceFormat()).isEqualTo("bmp");
		BufferedImage image = decode(made.thumbnails().getFirst().content());
		assertThat(image.getWidth()).isEqualTo(256);
		assertThat(image.getHeight()).isEqualTo(128);
		assertNear(average(image, 10, 10, 200, 100), new Color(30, 120, 200), 6);
	}

	@Test
	void losslessWebpIsDecoded() throws Exception {
		Renditions made = this.renderer.render(ImageFixtures.aLosslessWebp(600, 300, new Color(32, 128, 224)));

		assertThat(made.sourceFormat()).isEqualTo("webp");
		assertThat(made.thumbnails()).extracting(Thumbnail::width).containsExactly(256, 600);
		BufferedImage image = decode(made.thumbnails().getFirst().content());
		assertThat(image.getHeight()).isEqualTo(128);
		assertNear(average(image, 10, 10, 200, 100), new Color(32, 128, 224), 6);
	}

	@Test
	void blurHashIsStableAndFollowsTheImage() throws Exception {
		String first = this.renderer.render(ImageFixtures.aBmp()).blurHash();

		assertThat(this.renderer.render(ImageFixtures.aBmp()).blurHash()).isEqualTo(first);
		assertThat(this.renderer.render(aJpeg(800, 600)).blurHash()).isNotEqualTo(first).hasSize(28);
	}

	static Stream<Arguments> rejections() {
		return Stream.of(rejection("HEIC", ImageFixtures::aHeic, "unsupported_format", "heic"),
				rejection("PDF", ImageFixtures::aPdf, "unsupported_format", "pdf"),
				rejection("SVG named .jpg", ImageFixtures::anSvg, "unsupported_format", "svg"),
				rejection("HTML", ImageFixtures::anHtmlPage, "unsupported_format", "html"),
				rejection("TIFF", ImageFixtures::aTiff, "unsupported_format", "tiff"),
				rejection("zero bytes", () -> new byte[0], "unsupported_format", "empty"),
				rejection("JPEG truncated halfway", ImageFixtures::aJpegTruncatedHalfway, "corrupt_image", "jpeg"),
				rejection("PNG truncated halfway", ImageFixtures::aPngTruncatedHalfway, "corrupt_image", "png"),
				rejection("JPEG with garbage", ImageFixtures::aJpegWithGarbageAfterItsHeader, "corrupt_image", "jpeg"),
				rejection("PNG declaring 50000x50000", ImageFixtures::aPixelFloodPng, "too_many_pixels", "png"),
				rejection("JPEG with a million empty segments", () -> ImageFixtures.aJpegWithEmptySegments(1_000_000),
						"too_many_segments", "jpeg"));
	}

	private static Arguments rejection(String name, Supplier<byte[]> content, String reason, String format) {
		return Arguments.of(name, content, reason, format);
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@MethodSource("rejections")
	void nonImagesAndBrokenImagesAreRejectedWithAReason(String name, Supplier<byte[]> content, String reason,
			String format) {
		UnreadableImageException ex = catchThrowableOfType(UnreadableImageException.class,
				() -> this.renderer.render(content.get()));

		assertThat(ex).as(name).isNotNull();
		assertThat(ex.problem().code()).isEqualTo(reason);
		assertThat(ex.format()).isEqualTo(format);
	}

	@Test
	void pixelFloodIsRejectedBeforeDecoding() {
		long decodesBefore = this.renderer.decodesStarted();
		UnreadableImageException ex = catchThrowableOfType(UnreadableImageException.class,
				() -> this.renderer.render(ImageFixtures.aPixelFloodPng()));

		assertThat(ex.problem()).isEqualTo(UnreadableImageException.Problem.TOO_MANY_PIXELS);
		assertThat(ex.getMessage()).contains("50000x50000");
		assertThat(this.renderer.decodesStarted()).as("decodes started").isEqualTo(decodesBefore);
	}

	@Test
	void jpegWithMoreSegmentsThanTheLimitIsRejectedBeforeAnyReaderSeesItAndOneWithinItIsProcessed()
			throws Exception {
		long decodesBefore = this.renderer.decodesStarted();

		UnreadableImageException ex = catchThrowableOfType(UnreadableImageException.class,
				() -> this.renderer.render(ImageFixtures.aJpegWithEmptySegments(1000)));

		assertThat(ex.problem()).isEqualTo(UnreadableImageException.Problem.TOO_MANY_SEGMENTS);
		assertThat(ex.getMessage()).isEqualTo("JPEG has more than 1000 marker segments before its image data");
		assertThat(this.renderer.decodesStarted()).as("decodes started").isEqualTo(decodesBefore);
		// The JPEG's own segments (JFIF, tables, frame) and 900 comments: within the limit.
		assertThat(this.renderer.render(ImageFixtures.aJpegWithEmptySegments(900)).sourceWidth()).isEqualTo(320);
	}

	@Test
	void ycbcrJpegsAreDecodedByLibjpegTurboWhenPresentAndCmykByImageIo() throws Exception {
		String plain = this.renderer.render(aJpeg(2048, 1536)).decoder();
		String withRgbProfile = this.renderer.render(ImageFixtures.aJpegTaggedLinearRgb()).decoder();
		String cmyk = this.renderer.render(ImageFixtures.aCmykJpeg()).decoder();
		String cmykWithProfile = this.renderer.render(ImageFixtures.aCmykJpegWithProfile()).decoder();

		String expected = (nativeJpeg() && TurboJpeg.available()) ? "libjpeg-turbo" : "imageio";
		assertThat(plain).isEqualTo(expected);
		assertThat(withRgbProfile).isEqualTo(expected);
		assertThat(cmyk).isEqualTo("imageio");
		assertThat(cmykWithProfile).isEqualTo("imageio");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "jpeg", "png" })
	void decodePastTheTimeLimitIsAbortedAndRejected(String format) {
		byte[] content = format.equals("jpeg") ? aJpeg(2000, 1500)
				: ImageFixtures.encode(ImageFixtures.aGradient(2000, 1500), "png");

		UnreadableImageException ex = catchThrowableOfType(UnreadableImageException.class,
				() -> new ThumbnailRenderer(List.of(256), 0.85f, AlphaOutput.JPEG_ON_WHITE, 50_000_000,
						1000, Duration.ofNanos(1), 1, false).render(content));

		assertThat(ex.problem().code()).isEqualTo("decode_timeout");
		assertThat(ex.format()).isEqualTo(format);
	}

	@Test
	void sizesAreSortedAndDeduplicated() {
		ThumbnailRenderer renderer = new ThumbnailRenderer(List.of(1024, 256, 1024), 0.85f, AlphaOutput.PNG, 1,
				1000, Duration.ofSeconds(1), 1, false);

		assertThat(renderer.sizes()).containsExactly(256, 1024);
	}

	static void assertNear(Color actual, Color expected, int tolerance) {
		assertThat(actual.getRed()).as("red of %s", actual).isCloseTo(expected.getRed(), Offset.offset(tolerance));
		assertThat(actual.getGreen()).as("green of %s", actual).isCloseTo(expected.getGreen(), Offset.offset(tolerance));
		assertThat(actual.getBlue()).as("blue of %s", actual).isCloseTo(expected.getBlue(), Offset.offset(tolerance));
	}

	/** The average colour of a {@code w}x{@code h} region. */
	static Color average(BufferedImage image, int x0, int y0, int w, int h) {
		long r = 0;
		long g = 0;
		long b = 0;
		for (int y = y0; y < y0 + h; y++) {
			for (int x = x0; x < x0 + w; x++) {
				Color c = new Color(image.getRGB(x, y));
				r += c.getRed();
				g += c.getGreen();
				b += c.getBlue();
			}
		}
		long n = (long) w * h;
		return new Color((int) (r / n), (int) (g / n), (int) (b / n));
	}

	/** The JPEG markers before the end of the first scan's header. */
	static List<Integer> jpegMarkers(byte[] jpeg) {
		List<Integer> markers = new ArrayList<>();
		int offset = 2;
		while (offset + 4 <= jpeg.length && (jpeg[offset] & 0xFF) == 0xFF) {
			int marker = jpeg[offset + 1] & 0xFF;
			markers.add(marker);
			if (marker == 0xDA) {
				break;
			}
			offset += 2 + (((jpeg[offset + 2] & 0xFF) << 8) | (jpeg[offset + 3] & 0xFF));
		}
		return markers;
	}

	static BufferedImage decode(byte[] content) throws IOException {
		return ImageIO.read(new ByteArrayInputStream(content));
	}

	static String formatOf(byte[] content) throws IOException {
		try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
			ImageReader reader = ImageIO.getImageReaders(in).next();
			return reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(Locale.ROOT);
		}
	}

}
