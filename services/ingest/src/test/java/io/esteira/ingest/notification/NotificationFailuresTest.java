package io.esteira.ingest.notification;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.upload.UploadFinished;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed notification attempt is one WARN line naming the upload and the cause, without a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class NotificationFailuresTest {

	@Test
	void aFailedSnsPublishIsOneWarnLineWithTheUploadAndTheCause(CapturedOutput output) throws Exception {
		UUID id = UUID.randomUUID();
		UploadFinished finished = new UploadFinished(id, "image", UploadStatus.COMPLETED, null, null, null, null, 1,
				Instant.now(), "chatbot");
		Method on = SnsNotifier.class.getDeclaredMethod("on", UploadFinished.class);
		SdkClientException failure = SdkClientException.create("Unable to execute HTTP request",
				new java.net.ConnectException("Connection refused"));

		new NotificationFailures().getAsyncUncaughtExceptionHandler().handleUncaughtException(failure, on, finished);

		assertThat(output.getOut()).contains("WARN")
			.contains("SnsNotifier of upload " + id + " COMPLETED failed: SdkClientException: Unable to execute HTTP "
					+ "request <- ConnectException: Connection refused; it stays in the outbox and is delivered again")
			.doesNotContain("\tat ", "ERROR");
	}

}
