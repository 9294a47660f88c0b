package io.esteira.imageprocessing.image;

import java.util.UUID;

import io.esteira.imageprocessing.thumbnail.Thumbnail;
import io.esteira.platform.aws.EsteiraAwsProperties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ImageProcessingServiceTest {

	@Test
	void refusesToStartWhenRenditionsWouldBeWrittenIntoTheUploadsBucket() {
		EsteiraAwsProperties sameBucket = new EsteiraAwsProperties("esteira-uploads", "esteira-uploads",
				new EsteiraAwsProperties.Queues("a", "b", "c", "d"));

		assertThatIllegalStateException()
			.isThrownBy(() -> new ImageProcessingService(null, null, null, null, sameBucket, null, null, null, null))
			.withMessageContaining("output-bucket must differ");
	}

	@Test
	void transientFailuresAreNamedByWhatWasUnavailable() {
		assertThat(ImageProcessingService.failureReason(NoSuchBucketException.builder().message("gone").build()))
			.isEqualTo("storage_unavailable");
		assertThat(ImageProcessingService
			.failureReason(new IllegalStateException("wrapped", SdkClientException.create("connection refused"))))
			.isEqualTo("storage_unavailable");
		assertThat(ImageProcessingService.failureReason(new DataAccessResourceFailureException("down")))
			.isEqualTo("database_unavailable");
		assertThat(ImageProcessingService.failureReason(new CannotCreateTransactionException("no connection")))
			.isEqualTo("database_unavailable");
		assertThat(ImageProcessingService.failureReason(new IllegalStateException("something else")))
			.isEqualTo("processing_error");
	}

	@Test
	void renditionKeysDependOnlyOnTheUploadAndTheRendition() {
		UUID uploadId = UUID.fromString("7d3c1d2e-5b0a-4f7e-9f1a-0c2b3d4e5f60");
		Thumbnail jpeg = new Thumbnail("256", new byte[0], 256, 192, "image/jpeg", "jpg");
		Thumbnail png = new Thumbnail("1024", new byte[0], 1024, 768, "image/png", "png");

		assertThat(ImageProcessingService.renditionKey(uploadId, jpeg))
			.isEqualTo("thumbnails/7d3c1d2e-5b0a-4f7e-9f1a-0c2b3d4e5f60/256.jpg");
		assertThat(ImageProcessingService.renditionKey(uploadId, png))
			.isEqualTo("thumbnails/7d3c1d2e-5b0a-4f7e-9f1a-0c2b3d4e5f60/1024.png");
	}

}
