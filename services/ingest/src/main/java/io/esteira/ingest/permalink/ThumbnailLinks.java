package io.esteira.ingest.permalink;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.UUID;

import io.esteira.contracts.event.Thumbnails;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.storage.S3Objects;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadErasedException;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.security.EsteiraPrincipal;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.stereotype.Component;

/**
 * Turns a permalink into a presigned GET of the thumbnail in the output bucket, at the deterministic key
 * image-processing writes ({@link Thumbnails#key}: {@code .jpg}, or {@code .png} for images with transparency when so
 * configured). Only registered uploads have permalinks: a thumbnail whose id is no upload's (such as the name-based id
 * a processing service gives an object dropped into the bucket, which can be worked out from its key) is a 404, while
 * that object's upload, registered under a keyed id, serves it. The object is checked first, so a missing thumbnail is
 * a 404 here rather than an S3 error page in the user's browser.
 */
@Component
class ThumbnailLinks {

	private final UploadRepository uploads;

	private final S3Objects objects;

	private final S3Presigner presigner;

	private final String bucket;

	private final Duration expiry;

	ThumbnailLinks(UploadRepository uploads, S3Objects objects, S3Presigner presigner, EsteiraAwsProperties aws,
			IngestProperties properties) {
		this.uploads = uploads;
		this.objects = objects;
		this.presigner = presigner;
		this.bucket = aws.outputBucket();
		this.expiry = properties.permalinkExpiry();
	}

	/**
	 * @param caller who asks, {@code null} when anonymous (the link is a capability URL): a caller that may not see
	 * the upload (another tenant's, unless admin) gets the same 404 as for a missing upload
	 * @throws ThumbnailNotFoundException if there is no such upload or no such thumbnail
	 * @throws UploadErasedException (410) if the upload was erased
	 */
	URI presignedUrl(UUID uploadId, String rendition, EsteiraPrincipal caller) {
		Upload upload = this.uploads.findById(uploadId)
			.filter((found) -> caller == null || found.isVisibleTo(caller))
			.orElseThrow(() -> new ThumbnailNotFoundException(uploadId, rendition));
		if (upload.isErased()) {
			throw UploadErasedException.gone(uploadId);
		}
		String key = upload.renditionOwners().stream()
			.flatMap((owner) -> Thumbnails.EXTENSIONS.stream()
				.map((extension) -> Thumbnails.key(owner, rendition, extension)))
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
