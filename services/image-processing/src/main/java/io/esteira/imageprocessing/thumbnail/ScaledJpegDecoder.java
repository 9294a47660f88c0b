package io.esteira.imageprocessing.thumbnail;

import java.awt.image.BufferedImage;

/**
 * A JPEG decode at reduced size ({@link TurboJpeg#decode} in production; a stand-in that cannot be stopped in tests).
 */
@FunctionalInterface
interface ScaledJpegDecoder {

	/**
	 * {@code jpeg} decoded with its longest side at least {@code minSide} (or at full size), as {@code TYPE_INT_RGB};
	 * {@code null} when it leaves this JPEG to ImageIO.
	 */
	BufferedImage decode(byte[] jpeg, int minSide);

}
