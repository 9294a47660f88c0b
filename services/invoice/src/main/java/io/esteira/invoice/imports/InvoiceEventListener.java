package io.esteira.invoice.imports;

import java.util.List;

import io.esteira.invoice.config.InvoiceProperties;
import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.s3.S3Events;
import io.esteira.shared.s3.S3ObjectEvent;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Consumes S3 event notifications from the invoices queue and imports each new object of the uploads bucket.
 * Malformed messages throw, so they are retried and end in the dead-letter queue; {@code s3:TestEvent}, removals and
 * events for other buckets (a guard against loops through the output bucket) are acknowledged and dropped. For files
 * larger than {@code large-file-bytes} the message's visibility timeout is raised to {@code large-file-visibility}
 * first.
 */
@Component
class InvoiceEventListener {

	private static final Logger logger = LoggerFactory.getLogger(InvoiceEventListener.class);

	private final InvoiceImportService imports;

	private final EsteiraAwsProperties aws;

	private final InvoiceProperties properties;

	InvoiceEventListener(InvoiceImportService imports, EsteiraAwsProperties aws, InvoiceProperties properties) {
		this.imports = imports;
		this.aws = aws;
		this.properties = properties;
	}

	@SqsListener("${esteira.aws.queues.invoices}")
	void onS3Event(String body, Visibility visibility) {
		List<S3ObjectEvent> events = S3Events.decode(body);
		long bytes = events.stream().mapToLong(S3ObjectEvent::size).sum();
		if (bytes > this.properties.largeFileBytes()) {
			// A large file outlasts the queue's visibility timeout: without this, the message would come back
			// while it is imported and a second delivery would wait on the import's claim.
			visibility.changeTo((int) this.properties.largeFileVisibility().toSeconds());
		}
		for (S3ObjectEvent event : events) {
			if (!event.isObjectCreated()) {
				logger.debug("Ignoring {} of s3://{}/{}", event.eventName(), event.bucket(), event.key());
			}
			else if (!this.aws.uploadsBucket().equals(event.bucket())) {
				logger.warn("Ignoring {} of s3://{}/{}: not the uploads bucket", event.eventName(), event.bucket(),
						event.key());
			}
			else {
				this.imports.importObject(event);
			}
		}
	}

}
