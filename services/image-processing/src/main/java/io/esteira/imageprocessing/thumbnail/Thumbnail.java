package io.esteira.imageprocessing.thumbnail;

/**
 * One rendition made from a source image.
 *
 * @param name the rendition's name: its longest-side limit in pixels ({@code 256}, {@code 1024})
 * @param content the encoded image, without any metadata
 * @param width width in pixels
 * @param height height in pixels
 * @param contentType media type of {@code content} ({@code image/jpeg} or {@code image/png})
 * @param extension file extension matching {@code contentType} ({@code jpg} or {@code png})
 */
public record Thumbnail(String name, byte[] content, int width, int height, String contentType, String extension) {

}
