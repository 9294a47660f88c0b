package io.esteira.imageprocessing.thumbnail;

/**
 * A thumbnail made from a source image.
 *
 * @param sourceFormat the format the source was decoded as, lower case ({@code jpeg}, {@code png}, ...)
 * @param sourceWidth width of the source in pixels
 * @param sourceHeight height of the source in pixels
 * @param content the encoded thumbnail
 * @param width width of the thumbnail in pixels
 * @param height height of the thumbnail in pixels
 * @param contentType media type of {@code content}
 */
public record Thumbnail(String sourceFormat, int sourceWidth, int sourceHeight, byte[] content, int width, int height,
		String contentType) {

}
