package io.esteira.ingest.storage;

import java.util.Optional;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.stereotype.Component;

/**
 * Looks objects up in S3 ({@code HeadObject}) for every feature that needs to know whether an object is there: an
 * upload to redrive, an object to register, a thumbnail behind a permalink. "Not found" is an answer (empty), any
 * other S3 error propagates.
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

}
