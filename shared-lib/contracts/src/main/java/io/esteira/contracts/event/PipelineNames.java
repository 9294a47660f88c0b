package io.esteira.contracts.event;

/**
 * The names of the services and of the steps on an upload's timeline, as they travel in {@link UploadStatusEvent}s
 * and key the retry settings ({@code esteira.retry.steps.<step>.*}). One place, so that a step is spelled the same by
 * the service that reports it, by ingest that records it and by the settings that tune it.
 */
public final class PipelineNames {

	private PipelineNames() {
	}

	/** The services, as {@link UploadStatusEvent#service()} names them. */
	public static final class Services {

		public static final String INGEST = "ingest";

		public static final String IMAGE_PROCESSING = "image-processing";

		public static final String INVOICE = "invoice";

		public static final String CRM_SYNC = "crm-sync";

		private Services() {
		}

	}

	/** The steps, as {@link UploadStatusEvent#step()} names them. */
	public static final class Steps {

		/** ingest stored a multipart upload. */
		public static final String RECEIVED = "received";

		/** ingest presigned a direct upload; its object has not arrived yet. */
		public static final String PRESIGNED = "presigned";

		/** ingest registered an object another system dropped into the uploads bucket. */
		public static final String REGISTERED = "registered";

		/** ingest ran an upload again from its original object ({@code POST /api/uploads/{id}/retry}). */
		public static final String REDRIVE = "redrive";

		/** ingest moved the upload's message back from a dead-letter queue. */
		public static final String DEAD_LETTER_REDRIVE = "dead-letter-redrive";

		/** ingest notified the client (SNS, callback) of a terminal status. */
		public static final String NOTIFIED = "notified";

		/** ingest recorded the status reports of the other services (the status queue's consumer). */
		public static final String STATUS = "status";

		/** image-processing: the source object (skipped when it is gone). */
		public static final String SOURCE = "source";

		/** image-processing: the renditions. */
		public static final String THUMBNAIL = "thumbnail";

		/** invoice: parsing, validating and storing an invoice file. */
		public static final String INVOICE_IMPORT = "invoice-import";

		/** crm-sync: the permalink on the CRM contact, the owner's task and note. */
		public static final String CRM_SYNC = "crm-sync";

		private Steps() {
		}

	}

}
