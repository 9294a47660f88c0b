package io.esteira.ingest.upload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.platform.security.EsteiraPrincipal;
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

	/** The tenant it belongs to ({@code io.esteira.contracts.event.Tenants}). */
	private String tenant;

	/** The customer's CNPJ or CPF (normalized, {@link CustomerDocuments}), when the uploader named one. */
	private String customerDocument;

	/** When it was erased at its customer's request; {@code null} if it was not. */
	private Instant erasedAt;

	/** When its original object was deleted (erasure of an image, or retention); {@code null} while it is kept. */
	private Instant originalDeletedAt;

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
			boolean awaitingObject, Instant createdAt, String tenant, String customerDocument) {
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
		this.tenant = Tenants.orDefault(tenant);
		this.customerDocument = customerDocument;
	}

	/**
	 * Erases an image upload (LGPD): clears every personal datum the row holds (customer e-mail, phone, CRM contact
	 * id, external reference, customer document, file name, callback URL) and marks it erased; its original and
	 * renditions are deleted after the transaction. Its steps stay, as a tombstone.
	 */
	public void erase(Instant now) {
		clearContactData();
		this.externalRef = null;
		this.customerDocument = null;
		this.originalFilename = null;
		this.callbackUrl = null;
		this.stuckSince = null;
		this.stuckReason = null;
		this.erasedAt = now;
		this.originalDeletedAt = now;
		this.updatedAt = now;
	}

	/**
	 * Erases the customer's contact data only (e-mail, phone, CRM contact id), as for an invoice upload, whose fiscal
	 * records (the object, the customer document, the invoices) must be kept.
	 */
	public void eraseContactData(Instant now) {
		clearContactData();
		this.updatedAt = now;
	}

	private void clearContactData() {
		this.customerEmail = null;
		this.customerPhone = null;
		this.crmContactId = null;
	}

	/** Whether it was erased ({@link #erase}). */
	public boolean isErased() {
		return this.erasedAt != null;
	}

	public Instant erasedAt() {
		return this.erasedAt;
	}

	/** When its original object was deleted; {@code null} while the uploads bucket keeps it. */
	public Instant originalDeletedAt() {
		return this.originalDeletedAt;
	}

	public String tenant() {
		return this.tenant;
	}

	/** The customer's CNPJ or CPF, normalized; {@code null} when none was named. */
	public String customerDocument() {
		return this.customerDocument;
	}

	/**
	 * Whether {@code caller} may see this upload: its tenant's (or any, as an admin), and, for a customer-scoped
	 * caller, only its customer's. Anything else is answered as if the upload did not exist.
	 */
	public boolean isVisibleTo(EsteiraPrincipal caller) {
		return caller.canSee(this.tenant)
				&& (!caller.isCustomerScoped() || caller.customerDocument().equals(this.customerDocument));
	}

	/**
	 * The ids image-processing may have written the upload's renditions under ({@code Thumbnails.key}): its own, and
	 * for an object that carries no upload id of its own (not ingest's key layout), the name-based id the services
	 * give such objects.
	 */
	public List<UUID> renditionOwners() {
		UUID nameBased = UploadMetadata.nameBasedUploadId(this.bucket, this.objectKey);
		boolean ownId = this.id.equals(nameBased) || UploadMetadata.uploadIdInKey(this.objectKey).isPresent();
		return ownId ? List.of(this.id) : List.of(this.id, nameBased);
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
