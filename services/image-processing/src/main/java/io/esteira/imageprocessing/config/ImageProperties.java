package io.esteira.imageprocessing.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import io.esteira.imageprocessing.thumbnail.AlphaOutput;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Image processing settings ({@code esteira.images.*}).
 *
 * @param renditionSizes longest side of each rendition in pixels; smaller images are never upscaled (default
 * {@code 256,1024}); each size names its rendition and its key {@code thumbnails/{uploadId}/{size}.jpg} (or
 * {@code .png}); CRM sync links the {@code 256} one, so keep it
 * @param quality JPEG quality of the renditions, {@code 0.0} to {@code 1.0} (default {@code 0.85})
 * @param alphaOutput what renditions of images with transparency become: {@code JPEG_ON_WHITE} (default; the
 * permalink serves {@code .jpg} only) or {@code PNG} (transparency kept, keys end in {@code .png})
 * @param maxSourceBytes objects larger than this are rejected as {@code too_large} before they are downloaded
 * (default {@code 50MB})
 * @param maxSourcePixels images whose header declares more pixels than this are rejected as {@code too_many_pixels}
 * before they are decoded: decoding time grows with the pixel count (a 50 MP JPEG takes about a second), and so does
 * the decoder's native memory for progressive JPEGs (default {@code 50000000})
 * @param decodeTimeout how long a decode (with its resize) may run, whichever decoder runs it; past it the image is
 * rejected as {@code decode_timeout} (not retried: the input's fault) — ImageIO decodes are aborted, a native
 * libjpeg-turbo decode keeps its decode slot until it really ends (default {@code 10s}; a 50 MP JPEG decodes in about
 * one). A message waits at most twice this for a free decode slot, then is retried later
 * @param maxConcurrentDecodes decodes (and resizes) running at once in one instance, whatever the number of messages
 * in flight: each takes up to about 60 MB of heap (default {@code 2})
 * @param nativeJpeg decode plain JPEGs (YCbCr or grey, no ICC profile) at reduced size with libjpeg-turbo's
 * TurboJPEG ({@code libturbojpeg.so.0}) when it is installed (default {@code true}); ImageIO otherwise
 * @param concurrency messages one instance handles at once (default {@code 2}); read by the listener as
 * {@code ${esteira.images.concurrency:2}}
 */
@ConfigurationProperties("esteira.images")
@Validated
public record ImageProperties(@DefaultValue({ "256", "1024" }) @NotEmpty List<@Positive Integer> renditionSizes,
		@DefaultValue("0.85") @DecimalMin("0.0") @DecimalMax("1.0") float quality,
		@DefaultValue("JPEG_ON_WHITE") @NotNull AlphaOutput alphaOutput, @DefaultValue("50MB") DataSize maxSourceBytes,
		@DefaultValue("50000000") @Positive long maxSourcePixels, @DefaultValue("10s") Duration decodeTimeout,
		@DefaultValue("2") @Positive int maxConcurrentDecodes, @DefaultValue("true") boolean nativeJpeg,
		@DefaultValue("2") @Positive int concurrency) {

}
