package io.esteira.imageprocessing.thumbnail;

import java.awt.image.BufferedImage;

import org.imgscalr.Scalr;

/**
 * Brings an image ({@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB}) down to given dimensions. The renditions use
 * {@link #AREA_AVERAGING_THEN_IMGSCALR}; {@link #AREA_AVERAGING} is the path before imgscalr, which the benchmark
 * renders side by side with it.
 * <p>
 * Where imgscalr serves, measured with {@code bench/run.sh} (12 MP JPEG to 256 px, libjpeg-turbo decode at 2/8):
 * {@code Scalr.resize} for the whole reduction loses to our {@link AreaScaler} on either bound: {@code QUALITY}
 * (bicubic halvings, which alias fine detail) drops PSNR from 36.8 to 33.9 dB, {@code ULTRA_QUALITY} keeps 36.5 dB
 * but costs 2.8 times the CPU (94 against 34 ms per image). As the final exact-size step after an area-averaging
 * reduction to 1.25 times the rendition (a bicubic step that short does not alias), it costs about 3 ms and 0.1 dB on
 * a 256 px rendition. Java2D's bicubic pass costs about 50 ns per output pixel, so on a 1024 px rendition it would
 * add 35 to 40 ms (a third of the default two-rendition render) for no gain: renditions larger than
 * {@value #IMGSCALR_MAX_SIDE} px stay with area averaging alone.
 */
@FunctionalInterface
interface Downscale {

	/** The longest rendition side whose final step imgscalr makes. */
	int IMGSCALR_MAX_SIDE = 512;

	/** How much larger than the rendition the area-averaging step leaves the image for imgscalr's final step. */
	double IMGSCALR_STEP = 1.25;

	/** {@link AreaScaler} all the way. */
	Downscale AREA_AVERAGING = AreaScaler::scale;

	/**
	 * For renditions up to {@value #IMGSCALR_MAX_SIDE} px: {@link AreaScaler} down to {@value #IMGSCALR_STEP} times
	 * the rendition's size (when the image is larger than that), then imgscalr's {@code QUALITY} (a single bicubic
	 * step) to the exact size. Larger renditions: {@link AreaScaler} alone.
	 */
	Downscale AREA_AVERAGING_THEN_IMGSCALR = (image, width, height) -> {
		if (Math.max(width, height) > IMGSCALR_MAX_SIDE) {
			return AreaScaler.scale(image, width, height);
		}
		BufferedImage near = image;
		int nearWidth = (int) Math.round(width * IMGSCALR_STEP);
		int nearHeight = (int) Math.round(height * IMGSCALR_STEP);
		if (image.getWidth() > nearWidth && image.getHeight() > nearHeight) {
			near = AreaScaler.scale(image, nearWidth, nearHeight);
		}
		return Scalr.resize(near, Scalr.Method.QUALITY, Scalr.Mode.FIT_EXACT, width, height);
	};

	/** {@code image} scaled to exactly {@code width} x {@code height}, each no larger than the image's. */
	BufferedImage scale(BufferedImage image, int width, int height);

	/**
	 * {@code image} scaled to fit {@code size} on its longest side, the other side rounded to the nearest pixel (at
	 * least 1); {@code image} itself when it already fits (never upscaled).
	 */
	default BufferedImage fit(BufferedImage image, int size) {
		int w = image.getWidth();
		int h = image.getHeight();
		if (Math.max(w, h) <= size) {
			return image;
		}
		int dw = (w >= h) ? size : (int) Math.max(1, Math.round((double) w * size / h));
		int dh = (w >= h) ? (int) Math.max(1, Math.round((double) h * size / w)) : size;
		return scale(image, dw, dh);
	}

}
