/** Decoding an image and encoding its JPEG thumbnail, in memory and without any I/O. */
package io.esteira.imageprocessing.thumbnail;
