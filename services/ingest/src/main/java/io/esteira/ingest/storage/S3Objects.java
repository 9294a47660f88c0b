package io.esteira.ingest.storage;

import java.util.Optional;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.stereotype.Component;

/**
 * Looks objects up in S3 ({@code HeadObject}) for every feature that needs to know whether an object is there: an
 * upload to redrive, an object to register, a thumbnail behind a permalink. "Not found" is an answer (empty), any
 * other S3 error propagates. Also deletes objects (erasure, retention), idempotently.
 */
@Component
public class S3Objects {

	private final S3Client s3;

	S3Objects(S3Client s3) {
		this.s3 = s3;
	}

	/** The object's metadata, empty if there is no such object. */
	public Optional<HeadObjectResponse> head(String bucket, String key) {
		try {
			return Optional.of(this.s3.headObject((head) -> head.bucket(bucket).key(key)));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** Deletes the object; deleting one that is not there is no error, so it may be asked again. */
	public void delete(String bucket, String key) {
		this.s3.deleteObject((delete) -> delete.bucket(bucket).key(key));
	}

	/**
	 * Deletes every object whose key starts with {@code prefix} (e.g. an upload's renditions); none is no error.
	 * @return how many were deleted
	 */
	public int deleteUnder(String bucket, String prefix) {
		int deleted = 0;
		for (S3Object object : this.s3.listObjectsV2Paginator((list) -> list.bucket(bucket).prefix(prefix)).contents()) {
			delete(bucket, object.key());
			deleted++;
		}
		return deleted;
	}

}
