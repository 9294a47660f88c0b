package io.esteira.ingest.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingest settings ({@code esteira.ingest.*}).
 *
 * @param maxSize largest file accepted per kind in a multipart upload; larger ones get 413 naming the limit. The
 * servlet multipart limits follow the larger of the two
 * @param allowedTypes content types accepted per upload kind, as detected from the bytes
 * @param serverSideEncryption the {@code x-amz-server-side-encryption} requested for stored uploads: {@code AES256}
 * (SSE-S3, the default) or {@code aws:kms}; empty requests none and leaves it to the bucket's default encryption
 * @param permalinkExpiry how long the presigned URL a permalink redirects to stays valid (default {@code 5m})
 * @param publicS3Endpoint the S3 endpoint that presigned URLs (permalink redirects, direct uploads) name, for
 * clients that reach S3 by another address than the services do — compose's {@code http://localhost:4566} for the
 * in-network {@code http://floci:4566}; empty (the default, and on AWS) presigns for the endpoint the services use
 * @param presign direct uploads ({@code POST /api/uploads/presign})
 * @param listing {@code GET /api/uploads} paging
 * @param notifications SNS and callback notifications on terminal statuses
 * @param stuck the stuck-upload check
 * @param deadLetters the admin move of dead-lettered messages back to their queues
 * @param queueMetrics the queue depth gauge
 * @param foreignObjects objects other systems wrote to the uploads bucket
 * @param retention how long originals are kept
 * @param erasure LGPD erasure ({@code DELETE /api/uploads/{id}}, {@code DELETE /api/customers})
 */
@ConfigurationProperties("esteira.ingest")
public record IngestProperties(@DefaultValue MaxSize maxSize, @DefaultValue AllowedTypes allowedTypes,
		@DefaultValue("AES256") String serverSideEncryption, @DefaultValue("5m") Duration permalinkExpiry,
		@DefaultValue("") String publicS3Endpoint, @DefaultValue Presign presign, @DefaultValue Listing listing,
		@DefaultValue Notifications notifications, @DefaultValue Stuck stuck, @DefaultValue DeadLetters deadLetters,
		@DefaultValue QueueMetrics queueMetrics, @DefaultValue ForeignObjects foreignObjects,
		@DefaultValue Retention retention, @DefaultValue Erasure erasure) {

	/** A size limit for each upload kind. */
	public interface SizePerKind {

		DataSize image();

		DataSize invoice();

		/** The larger of the two. */
		default DataSize largest() {
			return (image().toBytes() >= invoice().toBytes()) ? image() : invoice();
		}

	}

	/**
	 * Largest file of a multipart upload ({@code POST /api/uploads}), per kind.
	 *
	 * @param image default {@code 25MB}
	 * @param invoice default {@code 16MB}: invoice files are text, and the invoice service reads them whole (the
	 * fault suite's 200,000-row CSV has 8.5 MB)
	 */
	public record MaxSize(@DefaultValue("25MB") DataSize image,
			@DefaultValue("16MB") DataSize invoice) implements SizePerKind {
	}

	/**
	 * Content types accepted per kind (lower case, without parameters).
	 *
	 * @param image for {@code kind=image} (default JPEG, PNG, GIF, BMP, WebP)
	 * @param invoice for {@code kind=invoice} (default JSON, plain text, CSV, XML)
	 */
	public record AllowedTypes(
			@DefaultValue({ "image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp" }) Set<String> image,
			@DefaultValue({ "application/json", "text/plain", "text/csv", "application/xml",
					"text/xml" }) Set<String> invoice) {
	}

	/**
	 * Direct uploads: a presigned PUT bound to the declared content type and size.
	 *
	 * @param expiry lifetime of the presigned PUT URL (default {@code 10m})
	 * @param maxSize largest declared size per kind
	 */
	public record Presign(@DefaultValue("10m") Duration expiry, @DefaultValue Presign.MaxSize maxSize) {

		/**
		 * Largest declared size of a direct upload, per kind.
		 *
		 * @param image default {@code 50MB}, image-processing's {@code max-source-bytes} (it rejects larger objects
		 * without reading them)
		 * @param invoice default {@code 16MB}, as for multipart uploads
		 */
		public record MaxSize(@DefaultValue("50MB") DataSize image,
				@DefaultValue("16MB") DataSize invoice) implements SizePerKind {
		}

	}

	/**
	 * Paging of {@code GET /api/uploads}.
	 *
	 * @param defaultLimit page size when {@code limit} is not given (default 20)
	 * @param maxLimit largest {@code limit} accepted (default 100)
	 */
	public record Listing(@DefaultValue("20") int defaultLimit, @DefaultValue("100") int maxLimit) {
	}

	/**
	 * Notifications sent (through the outbox) when an upload reaches a terminal status.
	 *
	 * @param topicArn SNS topic to publish to, with message attributes {@code kind}, {@code status},
	 * {@code customer}; empty (the default) publishes nothing
	 * @param clientSecrets the HMAC-SHA256 key that signs each client's callbacks ({@code X-Esteira-Signature}), by
	 * client: the API key name that registered the upload, in any case (from the environment, e.g.
	 * {@code ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_CHATBOT}, or a secrets store; never in the repository). A
	 * client without one cannot register a {@code callbackUrl} (400), and a callback whose client has no secret any
	 * more is refused at delivery. Empty by default: no callbacks
	 * @param callbackHosts hosts a {@code callbackUrl} may name; {@code *.example.com} matches subdomains; empty (the
	 * default) allows any host (whose addresses must still be public)
	 * @param insecureCallbackHosts hosts a {@code callbackUrl} may reach over plain {@code http}; empty (the default):
	 * every callback must be {@code https}
	 * @param internalCallbackReceivers receivers inside the network that callbacks may reach: host names
	 * ({@code localhost}, {@code *.svc.cluster.local}) whose addresses may be internal, or networks
	 * ({@code 10.20.0.0/16}, {@code fd12:3456::/48}, a bare address) whose addresses are allowed. A cloud metadata
	 * address is allowed only by an entry that is exactly that address. Empty (the default): only public addresses
	 * @param callbackTimeout the longest one callback request may take, from connecting to the answer's headers; also
	 * the connect and read timeout (default {@code 10s})
	 * @param checkInterval how often failed deliveries are looked at for a retry (default {@code 2s}); how they are
	 * retried is the {@code notified} step's retry policy, {@code esteira.retry.steps.notified.*}
	 */
	public record Notifications(@DefaultValue("") String topicArn, @DefaultValue Map<String, Secret> clientSecrets,
			@DefaultValue List<String> callbackHosts, @DefaultValue List<String> insecureCallbackHosts,
			@DefaultValue List<String> internalCallbackReceivers, @DefaultValue("10s") Duration callbackTimeout,
			@DefaultValue("2s") Duration checkInterval) {

		public Notifications {
			clientSecrets = (clientSecrets != null) ? Map.copyOf(clientSecrets) : Map.of();
		}

		/** Names the clients that have a secret, never a secret. */
		@Override
		public String toString() {
			return "Notifications[topicArn=" + this.topicArn + ", clientSecrets="
					+ new TreeSet<>(this.clientSecrets.keySet()) + " (redacted), callbackHosts=" + this.callbackHosts
					+ ", insecureCallbackHosts=" + this.insecureCallbackHosts + ", internalCallbackReceivers="
					+ this.internalCallbackReceivers + ", callbackTimeout=" + this.callbackTimeout + ", checkInterval="
					+ this.checkInterval + "]";
		}

	}

	/**
	 * The stuck-upload check.
	 *
	 * @param threshold an unfinished upload without a recorded step for this long is marked stuck (default
	 * {@code 30m})
	 * @param checkInterval how often the check runs on each replica; one replica wins each round (default
	 * {@code 1m})
	 */
	public record Stuck(@DefaultValue("30m") Duration threshold, @DefaultValue("1m") Duration checkInterval) {
	}

	/**
	 * How {@code POST /api/admin/dead-letter-queues/{queue}/redrive} moves messages back.
	 *
	 * @param move {@code auto} (the default): SQS {@code StartMessageMoveTask}, falling back to receive-and-resend
	 * when the endpoint does not support it; {@code move-task} or {@code resend} to force one
	 */
	public record DeadLetters(@DefaultValue("auto") MoveMethod move) {

		/** How dead-lettered messages are moved. */
		public enum MoveMethod {

			/** A move task where the endpoint has one, else receive-and-resend. */
			AUTO,
			/** Only SQS {@code StartMessageMoveTask} (server-side, asynchronous). */
			MOVE_TASK,
			/** Only receive, resend with attributes, delete (synchronous, at most 1,000 per request). */
			RESEND

		}

	}

	/**
	 * The gauge {@code esteira.queue.messages}: pipeline queues and their dead-letter queues are read on a schedule
	 * and the values cached, so scrapes never wait for SQS.
	 *
	 * @param initialDelay first read after start-up (default {@code 5s})
	 * @param refreshInterval time between reads (default {@code 30s})
	 */
	public record QueueMetrics(@DefaultValue("5s") Duration initialDelay,
			@DefaultValue("30s") Duration refreshInterval) {
	}

	/**
	 * Objects other systems wrote to the uploads bucket, registered as uploads.
	 *
	 * @param idSecret HMAC-SHA256 key their upload ids are derived from ({@code ESTEIRA_FOREIGN_OBJECT_ID_SECRET}), so
	 * an id (and the permalink of its thumbnail) cannot be worked out from the object's key; empty (the default)
	 * uses a random key per process, which only ingest needs while it ties reports to objects by key
	 */
	public record ForeignObjects(@DefaultValue("") Secret idSecret) {

		public ForeignObjects {
			idSecret = (idSecret != null) ? idSecret : Secret.NONE;
		}

	}

	/**
	 * Retention of originals: a scheduled job (safe on several replicas) deletes the original of every upload older
	 * than its kind's period from the uploads bucket (the S3 lifecycle rule of the CloudFormation stack does the same
	 * on AWS), marks it on the row and clears the customer's contact data there. Renditions and permalinks stay.
	 *
	 * @param enabled whether the job runs (default {@code true})
	 * @param imageOriginals how long an image's original is kept (default {@code 180d})
	 * @param invoiceOriginals how long an invoice's original is kept (default {@code 1830d}, about 5 years: Brazil
	 * requires keeping NF-e that long)
	 * @param interval time between runs on each replica (default {@code 1h})
	 * @param batchSize uploads expired per transaction (default 100)
	 */
	public record Retention(@DefaultValue("true") boolean enabled, @DefaultValue("180d") Duration imageOriginals,
			@DefaultValue("1830d") Duration invoiceOriginals, @DefaultValue("1h") Duration interval,
			@DefaultValue("100") int batchSize) {
	}

	/**
	 * LGPD erasure.
	 *
	 * @param maxPerRequest most uploads one {@code DELETE /api/customers} erases (default 1000); the answer says
	 * {@code "remaining": true} when more are left, for another request
	 */
	public record Erasure(@DefaultValue("1000") int maxPerRequest) {
	}

}
