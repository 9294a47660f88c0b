package io.esteira.ingest.config;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingest settings ({@code esteira.ingest.*}).
 *
 * @param maxUploadSize largest file accepted; larger uploads get 413. The servlet multipart limits follow it (default
 * {@code 25MB})
 * @param allowedTypes content types accepted per upload kind, as detected from the bytes
 * @param serverSideEncryption the {@code x-amz-server-side-encryption} requested for stored uploads: {@code AES256}
 * (SSE-S3, the default) or {@code aws:kms}; empty requests none and leaves it to the bucket's default encryption
 * @param permalinkExpiry how long the presigned URL a permalink redirects to stays valid (default {@code 5m})
 */
@ConfigurationProperties("esteira.ingest")
public record IngestProperties(@DefaultValue("25MB") DataSize maxUploadSize, @DefaultValue AllowedTypes allowedTypes,
		@DefaultValue("AES256") String serverSideEncryption, @DefaultValue("5m") Duration permalinkExpiry) {

	/**
	 * Content types accepted per kind (lower case, without parameters).
	 *
	 * @param image for {@code kind=image} (default JPEG, PNG, GIF, BMP, WebP)
	 * @param invoice for {@code kind=invoice} (default JSON, plain text, CSV, XML)
	 */
	public record AllowedTypes(
			@DefaultValue({ "image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp" }) Set<String> image,
			@DefaultValue({ "application/json", "text/plain", "text/csv", "application/xml",
					"text/xml" }) Set<String> invoice) {
	}

}
