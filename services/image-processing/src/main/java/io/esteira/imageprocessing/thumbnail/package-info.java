/** Decoding an image safely and encoding its renditions (JPEG or PNG) and BlurHash, in memory and without any I/O. */
package io.esteira.imageprocessing.thumbnail;
