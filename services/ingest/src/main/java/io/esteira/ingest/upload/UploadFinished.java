package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;

/**
 * An upload reached a terminal status. Published inside the transaction that recorded it, so Spring Modulith's
 * outbox stores it with that transaction: each notifier gets it once the status is committed, and a notification that
 * failed or was cut short by a crash is delivered again.
 *
 * @param kind {@code image} or {@code invoice}
 * @param customer who the upload belongs to: the customer e-mail, else the CRM contact id, else the external
 * reference; {@code null} if none was given
 * @param reason the reason of the step that ended the upload, may be {@code null}
 * @param callbackUrl where the client asked the final status to be POSTed, {@code null} if nowhere
 * @param run the pipeline run that ended (1, or 2 and up after redrives)
 * @param client who registered the upload (its callback is signed with that client's secret), may be {@code null}
 */
public record UploadFinished(UUID uploadId, String kind, UploadStatus status, String customer, String externalRef,
		String reason, String callbackUrl, int run, Instant finishedAt, String client) {

	public static UploadFinished of(Upload upload, String reason) {
		Customer customer = upload.customer();
		String who = (customer.email() != null) ? customer.email()
				: (customer.crmContactId() != null) ? customer.crmContactId() : customer.externalRef();
		return new UploadFinished(upload.id(), upload.kind().value(), upload.status(), who, customer.externalRef(),
				reason, upload.callbackUrl(), upload.redrives() + 1, upload.updatedAt(), upload.client());
	}

	/** Without the callback URL's query and fragment, which may hold a receiver's token. */
	@Override
	public String toString() {
		return "UploadFinished[uploadId=" + this.uploadId + ", kind=" + this.kind + ", status=" + this.status
				+ ", run=" + this.run + ", client=" + this.client + ", callbackUrl=" + redacted(this.callbackUrl)
				+ ", finishedAt=" + this.finishedAt + "]";
	}

	private static String redacted(String url) {
		if (url == null) {
			return null;
		}
		int cut = url.indexOf('?');
		int fragment = url.indexOf('#');
		cut = (cut < 0) ? fragment : (fragment < 0) ? cut : Math.min(cut, fragment);
		return (cut < 0) ? url : url.substring(0, cut) + "?(redacted)";
	}

	/** What subscribers and callbacks receive: everything but the callback URL. */
	public Notification notification() {
		return new Notification(this.uploadId, this.kind, this.status, this.customer, this.externalRef, this.reason,
				this.run, this.finishedAt);
	}

	/** The JSON body of an SNS message and of a callback. */
	public record Notification(UUID uploadId, String kind, UploadStatus status, String customer, String externalRef,
			String reason, int run, Instant finishedAt) {
	}

}
