package io.esteira.imageprocessing.image;

/** What became of an upload's image. */
enum ImageStatus {

	/** The thumbnail is in the output bucket. */
	PROCESSED,

	/** The object is not an image that can be processed (see the row's reason); it will not be retried. */
	REJECTED

}
