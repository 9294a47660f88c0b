package io.esteira.imageprocessing.thumbnail;

/** What renditions of images with transparency become. */
public enum AlphaOutput {

	/** JPEG, transparent areas drawn on white (the permalink always serves {@code .jpg}). */
	JPEG_ON_WHITE,

	/** PNG, transparency kept. */
	PNG

}
