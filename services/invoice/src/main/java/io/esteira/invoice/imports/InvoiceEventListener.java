package io.esteira.invoice.imports;

import io.esteira.shared.aws.EsteiraAwsProperties;
import io.esteira.shared.s3.S3Events;
import io.esteira.shared.s3.S3ObjectEvent;
import io.awspring.cloud.sqs.annotation.SqsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Consumes S3 event notifications from the invoices queue and imports each new object of the uploads bucket.
 * Malformed messages throw, so they are retried and end in the dead-letter queue; {@code s3:TestEvent}, removals and
 * events for other buckets (a guard against loops through the output bucket) are acknowledged and dropped.
 */
@Component
class InvoiceEventListener {

	private static final Logger logger = LoggerFactory.getLogger(InvoiceEventListener.class);

	private final InvoiceImportService imports;

	private final EsteiraAwsProperties aws;

	InvoiceEventListener(InvoiceImportService imports, EsteiraAwsProperties aws) {
		this.imports = imports;
		this.aws = aws;
	}

	@SqsListener("${esteira.aws.queues.invoices}")
	void onS3Event(String body) {
		for (S3ObjectEvent event : S3Events.decode(body)) {
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
