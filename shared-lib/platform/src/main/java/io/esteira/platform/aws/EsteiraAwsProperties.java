package io.esteira.platform.aws;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Names of the AWS resources Esteira uses ({@code esteira.aws.*}). Every service binds the same record, so a name is
 * configured once per environment.
 *
 * @param uploadsBucket where ingest stores uploads; its events drive the pipeline (default {@code esteira-uploads})
 * @param outputBucket where thumbnails and reports go; never triggers processing (default {@code esteira-output})
 * @param queues the SQS queues
 */
@ConfigurationProperties("esteira.aws")
public record EsteiraAwsProperties(@DefaultValue("esteira-uploads") String uploadsBucket,
		@DefaultValue("esteira-output") String outputBucket, @DefaultValue Queues queues) {

	/**
	 * SQS queue names; each has a dead-letter queue named {@code <name>-dlq}.
	 *
	 * @param images S3 events for {@code images/} (default {@code esteira-images})
	 * @param invoices S3 events for {@code invoices/} (default {@code esteira-invoices})
	 * @param imageEvents "image processed" events for CRM sync (default {@code esteira-image-events})
	 * @param status status steps for ingest (default {@code esteira-status})
	 */
	public record Queues(@DefaultValue("esteira-images") String images,
			@DefaultValue("esteira-invoices") String invoices,
			@DefaultValue("esteira-image-events") String imageEvents, @DefaultValue("esteira-status") String status) {
	}

}
