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
 * @param maxMetadataSegments JPEGs with more marker segments (EXIF, XMP, ICC chunks, comments, tables...) before
 * their image data are rejected as {@code too_many_segments} before any reader sees them: every reader keeps an
 * object per segment, and a 50 MB file of empty four-byte segments holds 12 million (measured: 5 million exhaust a
 * 512 MB heap). A camera's JPEG has about a dozen, a profile split into the most chunks 255 (default {@code 1000})
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
 * @param maxMessageChars a message body longer than this is not an S3 event notification (S3's are about 1 to 3 KB):
 * it is not parsed, and goes to the dead-letter queue (default {@code 65536})
 * @param maxRecordsPerMessage an S3 event notification with more records than this goes to the dead-letter queue
 * (S3 sends one per message; each record is a read and a row) (default {@code 10})
 */
@ConfigurationProperties("esteira.images")
@Validated
public record ImageProperties(@DefaultValue({ "256", "1024" }) @NotEmpty List<@Positive Integer> renditionSizes,
		@DefaultValue("0.85") @DecimalMin("0.0") @DecimalMax("1.0") float quality,
		@DefaultValue("JPEG_ON_WHITE") @NotNull AlphaOutput alphaOutput, @DefaultValue("50MB") DataSize maxSourceBytes,
		@DefaultValue("50000000") @Positive long maxSourcePixels, @DefaultValue("1000") @Positive int maxMetadataSegments,
		@DefaultValue("10s") Duration decodeTimeout, @DefaultValue("2") @Positive int maxConcurrentDecodes,
		@DefaultValue("true") boolean nativeJpeg, @DefaultValue("2") @Positive int concurrency,
		@DefaultValue("65536") @Positive int maxMessageChars, @DefaultValue("10") @Positive int maxRecordsPerMessage) {

}
