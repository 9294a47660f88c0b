/**
 * Decoding an image safely and making its renditions (JPEG or PNG) and BlurHash, in memory and without any I/O.
 * {@code ThumbnailRenderer} is the way in; {@code DecodeGate} holds the decode slots and deadlines,
 * {@code ImageDecoder} the decoders, {@code RenditionPipeline} colour, resize, orientation, encoding and BlurHash.
 */
package io.esteira.imageprocessing.thumbnail;
