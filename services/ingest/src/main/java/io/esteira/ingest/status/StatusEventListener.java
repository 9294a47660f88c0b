package io.esteira.ingest.status;

import java.util.ArrayList;
import java.util.List;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.esteira.ingest.upload.UploadTimeline;
import io.esteira.shared.event.UploadStatusEvent;
import io.esteira.shared.observability.PipelineTracing;
import org.slf4j.MDC;

import org.springframework.stereotype.Component;

/**
 * Consumes the status queue. The body is JSON of {@link UploadStatusEvent}, converted by the parameter type (no type
 * header needed, so any producer can send it). A body that does not convert, or lacks ids, throws: the message comes
 * back until the redrive policy moves it to the dead-letter queue. The message is acknowledged only after the step's
 * transaction committed. A report about an upload ingest does not know registers it when it names the upload's object
 * ({@link UploadTimeline#record}); otherwise it is logged and acknowledged (redelivering it would not help).
 */
@Component
class StatusEventListener {

	private final UploadTimeline timeline;

	StatusEventListener(UploadTimeline timeline) {
		this.timeline = timeline;
	}

	@SqsListener("${esteira.aws.queues.status}")
	void onStatus(UploadStatusEvent event) {
		UploadStatusEvent complete = requireComplete(event);
		// Every log line about this step names its upload.
		try (MDC.MDCCloseable upload = MDC.putCloseable(PipelineTracing.UPLOAD_ID, complete.uploadId().toString())) {
			this.timeline.record(complete);
		}
	}

	private static UploadStatusEvent requireComplete(UploadStatusEvent event) {
		List<String> missing = new ArrayList<>();
		if (event.eventId() == null) {
			missing.add("eventId");
		}
		if (event.uploadId() == null) {
			missing.add("uploadId");
		}
		if (event.service() == null || event.service().isBlank()) {
			missing.add("service");
		}
		if (event.step() == null || event.step().isBlank()) {
			missing.add("step");
		}
		if (event.outcome() == null) {
			missing.add("outcome");
		}
		if (!missing.isEmpty()) {
			throw new MalformedStatusEventException("Status event without " + String.join(", ", missing));
		}
		return event;
	}

}
