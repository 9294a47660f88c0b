package io.esteira.ingest.permalink;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.UUID;

import io.esteira.contracts.event.Thumbnails;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.storage.S3Objects;
import io.esteira.platform.aws.EsteiraAwsProperties;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.stereotype.Component;

/**
 * Turns a permalink into a presigned GET of the thumbnail in the output bucket, at the deterministic key
 * image-processing writes ({@link Thumbnails#key}: {@code .jpg}, or {@code .png} for images with transparency when so
 * configured). The object is checked first, so a missing thumbnail is a 404 here rather than an S3 error page in the
 * user's browser.
 */
@Component
class ThumbnailLinks {

	private final S3Objects objects;

	private final S3Presigner presigner;

	private final String bucket;

	private final Duration expiry;

	ThumbnailLinks(S3Objects objects, S3Presigner presigner, EsteiraAwsProperties aws, IngestProperties properties) {
		this.objects = objects;
		this.presigner = presigner;
		this.bucket = aws.outputBucket();
		this.expiry = properties.permalinkExpiry();
	}

	/** @throws ThumbnailNotFoundException if there is no such thumbnail */
	URI presignedUrl(UUID uploadId, String rendition) {
		String key = Thumbnails.EXTENSIONS.stream()
			.map((extension) -> Thumbnails.key(uploadId, rendition, extension))
			.filter((candidate) -> this.objects.head(this.bucket, candidate).isPresent())
			.findFirst()
			.orElseThrow(() -> new ThumbnailNotFoundException(uploadId, rendition));
		try {
			return this.presigner
				.presignGetObject((presign) -> presign.signatureDuration(this.expiry)
					.getObjectRequest((get) -> get.bucket(this.bucket).key(key)))
				.url()
				.toURI();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("The SDK presigned an invalid URL", ex);
		}
	}

}
