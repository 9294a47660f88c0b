package io.esteira.ingest;

import io.esteira.testkit.EsteiraInfrastructure;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Objects in the test kit's S3Proxy, as the tests check them. */
public final class TestObjects {

	private TestObjects() {
	}

	/** Whether the object is there ({@code HeadObject}: 404 is "no", any other error propagates). */
	public static boolean exists(String bucket, String key) {
		try {
			EsteiraInfrastructure.shared().s3Client().headObject((head) -> head.bucket(bucket).key(key));
			return true;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

}
