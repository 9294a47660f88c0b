package io.esteira.imageprocessing.thumbnail;

import java.util.List;

/**
 * Everything made from one source image.
 *
 * @param sourceFormat the format the source was decoded as ({@code jpeg}, {@code png}, {@code gif}, {@code bmp},
 * {@code webp})
 * @param sourceWidth width of the source in pixels, as stored (before orientation)
 * @param sourceHeight height of the source in pixels, as stored
 * @param orientation the EXIF orientation applied, 1 (none) to 8
 * @param thumbnails the renditions, smallest first
 * @param blurHash a BlurHash (4x3 components) of the image, for placeholders
 * @param decodeMillis time spent decoding the source
 * @param resizeMillis time spent resizing, orienting and converting colour
 * @param encodeMillis time spent encoding the renditions
 * @param decoder what decoded the source: {@code libjpeg-turbo} (JPEG at reduced size) or {@code imageio}
 */
public record Renditions(String sourceFormat, int sourceWidth, int sourceHeight, int orientation,
		List<Thumbnail> thumbnails, String blurHash, long decodeMillis, long resizeMillis, long encodeMillis,
		String decoder) {

}
