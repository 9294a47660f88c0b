package io.esteira.imageprocessing.image;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One rendition of an image in the output bucket (table {@code image_renditions}). */
@Embeddable
record RenditionRecord(String name, String bucket, @Column(name = "object_key") String key, int width, int height,
		long bytes, String contentType) {

}
