package io.esteira.imageprocessing.image;

import java.util.Optional;

import io.esteira.contracts.s3.S3Events;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 access of image processing: reading source objects and writing thumbnails. */
@Component
class ImageObjects {

	private final S3Client s3;

	ImageObjects(S3Client s3) {
		this.s3 = s3;
	}

	/** Describes an object without downloading it; empty when it does not exist (any more). */
	Optional<SourceObject> describe(String bucket, String key) {
		try {
			HeadObjectResponse head = this.s3.headObject((request) -> request.bucket(bucket).key(key));
			return Optional.of(new SourceObject(bucket, key, S3Events.unquoteETag(head.eTag()), head.contentLength(),
					head.metadata()));
		}
		catch (S3Exception ex) {
			if (isNotFound(ex)) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/**
	 * Downloads the object {@link #describe} described. The read is conditional on its ETag, so the content is the
	 * one described; if the object changed in between, S3 answers 412 and the exception makes the message come back.
	 * @return the content, or empty when the object no longer exists
	 */
	Optional<byte[]> read(SourceObject object) {
		try {
			return Optional.of(this.s3
				.getObjectAsBytes((request) -> request.bucket(object.bucket())
					.key(object.key())
					.ifMatch("\"" + object.eTag() + "\""))
				.asByteArray());
		}
		catch (S3Exception ex) {
			if (isNotFound(ex)) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	void write(String bucket, String key, byte[] content, String contentType) {
		this.s3.putObject((request) -> request.bucket(bucket).key(key).contentType(contentType),
				RequestBody.fromBytes(content));
	}

	void delete(String bucket, String key) {
		this.s3.deleteObject((request) -> request.bucket(bucket).key(key));
	}

	private static boolean isNotFound(S3Exception ex) {
		return ex instanceof NoSuchKeyException || ex.statusCode() == 404;
	}

}
