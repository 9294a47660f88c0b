package io.esteira.imageprocessing.image;

import java.io.IOException;
import java.util.Optional;

import io.esteira.contracts.s3.S3Events;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
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
	 * Downloads the object {@link #describe} described, reading no more than {@code maxBytes}. The read is
	 * conditional on its ETag, so the content is the one described; if the object changed in between, S3 answers 412
	 * and the exception makes the message come back.
	 * @return the content, or empty when the object no longer exists
	 * @throws SourceTooLargeException when the store sends more than {@code maxBytes} (whatever the object's
	 * description said): the rest is not read
	 */
	Optional<byte[]> read(SourceObject object, long maxBytes) {
		try (ResponseInputStream<GetObjectResponse> content = this.s3.getObject(
				(request) -> request.bucket(object.bucket()).key(object.key()).ifMatch("\"" + object.eTag() + "\""),
				ResponseTransformer.toInputStream())) {
			byte[] bytes = content.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
			if (bytes.length > maxBytes) {
				content.abort();
				throw new SourceTooLargeException(maxBytes);
			}
			return Optional.of(bytes);
		}
		catch (S3Exception ex) {
			if (isNotFound(ex)) {
				return Optional.empty();
			}
			throw ex;
		}
		catch (IOException ex) {
			throw SdkClientException.create("Reading s3://" + object.bucket() + "/" + object.key() + " failed", ex);
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
