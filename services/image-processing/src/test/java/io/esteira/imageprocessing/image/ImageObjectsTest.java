package io.esteira.imageprocessing.image;

import java.io.ByteArrayInputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ImageObjectsTest {

	private static final SourceObject DESCRIBED_AS_100_BYTES = new SourceObject("esteira-uploads", "images/a.jpg",
			"etag", 100, Map.of());

	@Test
	void aReadStopsAtTheLimitWhateverTheStoreSends() {
		CountingStream endless = new CountingStream(10_000_000);
		ImageObjects objects = new ImageObjects(storeSending(endless));

		assertThatExceptionOfType(SourceTooLargeException.class)
			.isThrownBy(() -> objects.read(DESCRIBED_AS_100_BYTES, 1000))
			.withMessage("object has more than 1000 bytes");
		assertThat(endless.read).as("bytes read").isLessThanOrEqualTo(1001 + 8192);
	}

	@Test
	void anObjectWithinTheLimitIsReadWhole() {
		ImageObjects objects = new ImageObjects(storeSending(new CountingStream(1000)));

		assertThat(objects.read(DESCRIBED_AS_100_BYTES, 1000)).hasValueSatisfying((content) -> assertThat(content)
			.hasSize(1000));
	}

	/** An S3 client whose every {@code GetObject} answers with {@code content}. */
	private static S3Client storeSending(CountingStream content) {
		return new S3Client() {

			@Override
			public <T> T getObject(GetObjectRequest request,
					ResponseTransformer<GetObjectResponse, T> transformer) {
				try {
					return transformer.transform(GetObjectResponse.builder().build(),
							AbortableInputStream.create(content));
				}
				catch (Exception ex) {
					throw SdkException.create("test store", ex);
				}
			}

			@Override
			public String serviceName() {
				return "s3";
			}

			@Override
			public void close() {
			}

		};
	}

	/** {@code size} zero bytes, counting how many were read. */
	private static final class CountingStream extends ByteArrayInputStream {

		long read;

		CountingStream(int size) {
			super(new byte[size]);
		}

		@Override
		public synchronized int read(byte[] buffer, int offset, int length) {
			int n = super.read(buffer, offset, length);
			this.read += Math.max(0, n);
			return n;
		}

	}

}
