package io.esteira.ingest.upload.foreign;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.ingest.storage.S3Objects;
import io.esteira.ingest.upload.InvalidUploadException;
import io.esteira.ingest.upload.Upload;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.UploadRepository;
import io.esteira.ingest.upload.registration.ContentTypes;
import io.esteira.ingest.upload.registration.NewUpload;
import io.esteira.ingest.upload.registration.UploadRegistration;
import io.esteira.ingest.upload.timeline.UnknownUploads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registers an object that reached the uploads bucket without going through ingest (a nightly export, a direct PUT
 * by another system), so the steps the processing services report about it land on a timeline. Its upload id is the
 * object's {@code esteira-upload-id} metadata if it has one, else the id in its key when it is ingest's layout, else
 * a keyed id ({@link ForeignObjectIds}); its kind comes from the key prefix ({@code images/}, {@code invoices/}).
 * An object is registered once (its key is unique): registering it again, or a report naming it, finds the upload it
 * already has, under whichever id it was registered. Registration happens on an operator's request, or by itself when
 * a status report names an object ingest has no upload for.
 */
@Service
class ForeignObjects implements UnknownUploads {

	private static final Logger logger = LoggerFactory.getLogger(ForeignObjects.class);

	private final UploadRepository uploads;

	private final UploadRegistration registration;

	private final S3Objects objects;

	private final ForeignObjectIds ids;

	private final TransactionTemplate transaction;

	private final Clock clock;

	ForeignObjects(UploadRepository uploads, UploadRegistration registration, S3Objects objects, ForeignObjectIds ids,
			PlatformTransactionManager transactionManager, Clock clock) {
		this.uploads = uploads;
		this.registration = registration;
		this.objects = objects;
		this.ids = ids;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/** What registering did. */
	record Registered(UUID uploadId, boolean created) {
	}

	/**
	 * Registers an object an operator names ({@code POST /api/admin/objects}).
	 * @param tenant the tenant it is registered for; {@code null}: the one in its metadata, else
	 * {@link Tenants#DEFAULT}
	 * @throws InvalidUploadException if the key is under neither prefix, or there is no such object
	 */
	Registered register(String key, String tenant) {
		String bucket = this.registration.bucket();
		UploadKind kind = kindOf(key);
		HeadObjectResponse object = this.objects.head(bucket, key)
			.orElseThrow(() -> new InvalidUploadException("key: no such object in the uploads bucket."));
		return save(bucket, key, kind, object, idOf(bucket, key, object), "object found in the bucket", tenant);
	}

	/**
	 * Finds or registers the upload of the object a status report names when ingest does not know the reported
	 * upload id. The object must be in the uploads bucket under a kind's prefix, and the report must name its upload:
	 * the id it was registered (or is now registered) under, or, for an object without an id of its own, an id
	 * derived from its location — the name-based one the processing services report under, or the keyed one. A
	 * known object is found by its key without asking S3; S3 errors other than "not found" propagate, so the report
	 * is retried.
	 * @return the upload the report is about, empty if it cannot be tied to one
	 */
	@Override
	public Optional<UUID> registerReported(UploadStatusEvent event) {
		String bucket = this.registration.bucket();
		String key = event.key();
		if (key == null || !bucket.equals(event.bucket())) {
			return Optional.empty();
		}
		UploadKind kind = kindOrNull(key);
		if (kind == null) {
			logger.warn("Status event {} names s3://{}/{}, under no upload prefix; not registered", event.eventId(),
					bucket, key);
			return Optional.empty();
		}
		Optional<Upload> known = this.uploads.findByObjectKey(key);
		if (known.isPresent()) {
			return tiedTo(event, known.get().id(), bucket, key);
		}
		Optional<HeadObjectResponse> object = this.objects.head(bucket, key);
		if (object.isEmpty()) {
			logger.warn("Status event {} names s3://{}/{}, which is not in the bucket; not registered",
					event.eventId(), bucket, key);
			return Optional.empty();
		}
		UUID id = idOf(bucket, key, object.get());
		if (tiedTo(event, id, bucket, key).isEmpty()) {
			return Optional.empty();
		}
		try {
			save(bucket, key, kind, object.get(), id,
					"object found in the bucket, first reported by " + event.service() + "/" + event.step(), null);
		}
		catch (DataIntegrityViolationException ex) {
			// another report about the same object registered it at the same moment
			logger.debug("Upload of s3://{}/{} registered concurrently", bucket, key, ex);
		}
		return this.uploads.findByObjectKey(key).map(Upload::id);
	}

	/** The report's upload if it names {@code uploadId}, the object's; empty (logged) if it names another. */
	private Optional<UUID> tiedTo(UploadStatusEvent event, UUID uploadId, String bucket, String key) {
		boolean derived = ForeignObjectIds.isLocationBased(uploadId)
				&& this.ids.isDerivedFromLocation(event.uploadId(), bucket, key);
		if (event.uploadId().equals(uploadId) || derived) {
			return Optional.of(uploadId);
		}
		logger.warn("Status event {} names upload {} but s3://{}/{} is upload {}; not recorded", event.eventId(),
				event.uploadId(), bucket, key, uploadId);
		return Optional.empty();
	}

	/**
	 * The object's own upload id (metadata, else ingest's key layout), else its keyed id. The processing services
	 * derive the same own id ({@link UploadMetadata#uploadId}); where the object has none they use the name-based id,
	 * which {@link #tiedTo} accepts for it.
	 */
	private UUID idOf(String bucket, String key, HeadObjectResponse object) {
		UUID id = UploadMetadata.uploadId(bucket, key, object.metadata());
		return id.equals(UploadMetadata.nameBasedUploadId(bucket, key)) ? this.ids.keyedId(bucket, key) : id;
	}

	/**
	 * Registers the upload unless the object has one (under whichever id). It is dated when the object was written
	 * (never later than now), so the registration comes before the services' reports on the timeline. Its tenant is
	 * {@code tenant} when an admin named one, else the object's {@code esteira-tenant} metadata, else the default.
	 */
	private Registered save(String bucket, String key, UploadKind kind, HeadObjectResponse object, UUID id,
			String reason, String tenant) {
		Registered registered = this.transaction.execute((status) -> {
			Optional<Upload> known = this.uploads.findByObjectKey(key);
			if (known.isPresent()) {
				return new Registered(known.get().id(), false);
			}
			if (this.uploads.existsById(id)) {
				return new Registered(id, false);
			}
			Instant now = this.clock.instant();
			Instant written = (object.lastModified() != null && object.lastModified().isBefore(now))
					? object.lastModified() : now;
			String contentType = (object.contentType() != null) ? ContentTypes.normalize(object.contentType())
					: "application/octet-stream";
			this.registration.register(NewUpload.foundInBucket(id, kind, key, contentType, object.contentLength(),
					reason, written, (tenant != null) ? tenant : UploadMetadata.tenant(object.metadata())));
			return new Registered(id, true);
		});
		if (registered.created()) {
			logger.info("Registered s3://{}/{} as upload {}", bucket, key, id);
		}
		return registered;
	}

	private static UploadKind kindOf(String key) {
		UploadKind kind = kindOrNull(key);
		if (kind == null) {
			throw new InvalidUploadException("key: must start with images/ or invoices/.");
		}
		return kind;
	}

	private static UploadKind kindOrNull(String key) {
		for (UploadKind kind : UploadKind.values()) {
			if (key.startsWith(kind.keyPrefix())) {
				return kind;
			}
		}
		return null;
	}

}
