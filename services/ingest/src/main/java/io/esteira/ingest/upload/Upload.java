package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatus;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One accepted upload and where its object is; its status only moves forward. Created only by the one registration
 * path ({@code registration.UploadRegistration}); its status moves only through the timeline
 * ({@code timeline.UploadTimeline}).
 */
@Entity
@Table(name = "uploads")
public class Upload {

	@Id
	private UUID id;

	private UploadKind kind;

	@Enumerated(EnumType.STRING)
	private UploadStatus status;

	private String bucket;

	private String objectKey;

	private String originalFilename;

	private String contentType;

	private long sizeBytes;

	private String sha256;

	private String customerEmail;

	private String customerPhone;

	private String crmContactId;

	private String externalRef;

	private Instant createdAt;

	private Instant updatedAt;

	private String callbackUrl;

	/** The client that registered it (API key name); signs its callbacks. */
	private String client;

	private boolean awaitingObject;

	private Instant stuckSince;

	private String stuckReason;

	private int redrives;

	private Instant redrivenAt;

	@Version
	private Long version;

	protected Upload() {
	}

	public Upload(UUID id, UploadKind kind, String bucket, String objectKey, String originalFilename,
			String contentType, long sizeBytes, String sha256, Customer customer, String callbackUrl, String client,
			boolean awaitingObject, Instant createdAt) {
		this.id = id;
		this.kind = kind;
		this.status = UploadStatus.RECEIVED;
		this.bucket = bucket;
		this.objectKey = objectKey;
		this.originalFilename = originalFilename;
		this.contentType = contentType;
		this.sizeBytes = sizeBytes;
		this.sha256 = sha256;
		this.customerEmail = customer.email();
		this.customerPhone = customer.phone();
		this.crmContactId = customer.crmContactId();
		this.externalRef = customer.externalRef();
		this.callbackUrl = callbackUrl;
		this.client = client;
		this.awaitingObject = awaitingObject;
		this.createdAt = createdAt;
		this.updatedAt = createdAt;
	}

	/**
	 * Takes note of a step: moves the status if the step implies a later one, otherwise keeps it (a late
	 * {@code PROCESSING} never reopens a finished upload).
	 * @return whether the status changed
	 */
	public boolean stepRecorded(UploadStatus implied, Instant now) {
		this.updatedAt = now;
		this.stuckSince = null;
		this.stuckReason = null;
		if (implied != null && this.status.canMoveTo(implied)) {
			this.status = implied;
			return true;
		}
		return false;
	}

	/**
	 * Whether {@link #redrive} may run now: the upload failed, waits for review, or was marked stuck by the
	 * stuck-upload check.
	 */
	public boolean isRedrivable() {
		return this.status == UploadStatus.FAILED || this.status == UploadStatus.NEEDS_REVIEW
				|| (this.stuckSince != null && !this.status.isTerminal());
	}

	/** Whether a redrive is under way (the upload went back to {@code PROCESSING} and has not ended since). */
	public boolean isRedriving() {
		return this.redrives > 0 && this.status == UploadStatus.PROCESSING;
	}

	/**
	 * Sends the upload through the pipeline again: the one move backwards that statuses allow, and only on an
	 * explicit request. From then on the usual forward-only rule applies to the new run.
	 * @return the number of this run (2 for the first redrive)
	 */
	public int redrive(Instant now) {
		if (!isRedrivable()) {
			throw new IllegalStateException("Upload " + this.id + " is " + this.status + ", not redrivable");
		}
		this.status = UploadStatus.PROCESSING;
		this.stuckSince = null;
		this.stuckReason = null;
		this.updatedAt = now;
		this.redrivenAt = now;
		this.redrives++;
		return this.redrives + 1;
	}

	public int redrives() {
		return this.redrives;
	}

	/**
	 * Whether a step that happened at {@code occurredAt} belongs to a run before the last redrive: it goes on the
	 * timeline but must not end the new run.
	 */
	public boolean isFromEarlierRun(Instant occurredAt) {
		return this.redrivenAt != null && occurredAt != null && occurredAt.isBefore(this.redrivenAt);
	}

	/** Another service reported on the object, so a direct upload's object has arrived. */
	public void objectSeen() {
		this.awaitingObject = false;
	}

	public UUID id() {
		return this.id;
	}

	public UploadKind kind() {
		return this.kind;
	}

	public UploadStatus status() {
		return this.status;
	}

	public String bucket() {
		return this.bucket;
	}

	public String objectKey() {
		return this.objectKey;
	}

	public String originalFilename() {
		return this.originalFilename;
	}

	public String contentType() {
		return this.contentType;
	}

	public long sizeBytes() {
		return this.sizeBytes;
	}

	public String sha256() {
		return this.sha256;
	}

	public Customer customer() {
		return new Customer(this.customerEmail, this.customerPhone, this.crmContactId, this.externalRef);
	}

	public String callbackUrl() {
		return this.callbackUrl;
	}

	/** The client that registered it (the API key name); {@code null} for an object found in the bucket. */
	public String client() {
		return this.client;
	}

	public boolean awaitingObject() {
		return this.awaitingObject;
	}

	public Instant stuckSince() {
		return this.stuckSince;
	}

	/** Where and why the stuck-upload check marked it (the stage it waits on, its last step); {@code null} if not. */
	public String stuckReason() {
		return this.stuckReason;
	}

	public Instant createdAt() {
		return this.createdAt;
	}

	public Instant updatedAt() {
		return this.updatedAt;
	}

	private static final int MAX_FILENAME_LENGTH = 255;

	/** The last path segment of the client's name, without control characters, for display only. */
	public static String displayName(String original) {
		if (original == null) {
			return null;
		}
		String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1)
			.replaceAll("\\p{Cntrl}", "")
			.strip();
		if (name.isEmpty()) {
			return null;
		}
		return (name.length() > MAX_FILENAME_LENGTH) ? name.substring(0, MAX_FILENAME_LENGTH) : name;
	}

}
