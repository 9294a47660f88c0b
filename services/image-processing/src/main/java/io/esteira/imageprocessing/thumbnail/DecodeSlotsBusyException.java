package io.esteira.imageprocessing.thumbnail;

/**
 * No decode slot came free in time: every slot is held by a decode, possibly one that overran its time limit and
 * cannot be stopped (a native decode). A property of this instance's load, not of the image: try again later.
 */
public class DecodeSlotsBusyException extends RuntimeException {

	DecodeSlotsBusyException(String message) {
		super(message);
	}

}
