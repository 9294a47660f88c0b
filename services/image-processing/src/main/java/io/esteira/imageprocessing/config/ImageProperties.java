package io.esteira.imageprocessing.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Image processing settings ({@code esteira.images.*}).
 *
 * @param thumbnailSize longest side of the thumbnail in pixels; smaller images are never upscaled (default
 * {@code 256}); it also names the rendition and its key {@code thumbnails/{uploadId}/{thumbnailSize}.jpg}
 * @param thumbnailQuality JPEG quality of the thumbnail, {@code 0.0} to {@code 1.0} (default {@code 0.85})
 * @param maxSourceBytes objects larger than this are rejected as {@code too_large} before they are downloaded
 * (default {@code 50MB})
 * @param maxSourcePixels images whose header declares more pixels than this are rejected as {@code too_many_pixels}
 * before they are decoded: decoding time grows with the pixel count (a 50 MP JPEG takes about a second), and so does
 * the decoder's native memory for progressive JPEGs (default {@code 50000000})
 * @param concurrency images one instance decodes at once (default {@code 2}); read by the listener as
 * {@code ${esteira.images.concurrency:2}}
 */
@ConfigurationProperties("esteira.images")
@Validated
public record ImageProperties(@DefaultValue("256") @Positive int thumbnailSize,
		@DefaultValue("0.85") @DecimalMin("0.0") @DecimalMax("1.0") float thumbnailQuality,
		@DefaultValue("50MB") DataSize maxSourceBytes, @DefaultValue("50000000") @Positive long maxSourcePixels,
		@DefaultValue("2") @Positive int concurrency) {

}
