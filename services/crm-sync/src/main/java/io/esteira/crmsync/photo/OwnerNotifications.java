package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmTask;
import io.esteira.crmsync.crm.CrmUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Tells the contact's owner about a synced photo: a task for the owner (due now; only when the contact has an owner)
 * and a note with the link, each optional ({@code esteira.crm.task.enabled}, {@code esteira.crm.note.enabled}).
 * <p>
 * <b>At most once, even across crashes.</b> Each runs outside any transaction, in three committed steps: claim
 * ({@code task_claimed_at}, only if nobody claimed it), create in the CRM, store the CRM's id ({@code task_id}). A
 * delivery that finds the id does nothing. One that finds a claim without an id cannot know whether the creation
 * happened (a crash or a lost answer between the CRM call and the last step), so it searches the CRM for the
 * upload's marker, written into the body: found, the id is stored; not found and the claim is younger than
 * {@code esteira.crm.retry.claim-timeout}, it retries later (another delivery may be at work); older, it claims again
 * and creates. The CRM's search index lags a few seconds behind writes, far less than the claim timeout. When the
 * CRM certainly did not create it (429, 401), the claim is given back at once; when it refuses it for good (other
 * 4xx), the error is kept in {@code last_error} and nothing more is tried.
 */
@Service
class OwnerNotifications {

	private static final Logger logger = LoggerFactory.getLogger(OwnerNotifications.class);

	private final JdbcClient jdbc;

	private final CrmClient crm;

	private final CrmProperties settings;

	private final Clock clock;

	OwnerNotifications(JdbcClient jdbc, CrmClient crm, CrmProperties settings, Clock clock) {
		this.jdbc = jdbc;
		this.crm = crm;
		this.settings = settings;
		this.clock = clock;
	}

	/** Creates what is missing for a {@link CrmSyncStatus#SYNCED} upload; does nothing for any other. */
	void notifyOwner(UUID uploadId) {
		Optional<Row> found = row(uploadId);
		if (found.isEmpty() || found.get().status() != CrmSyncStatus.SYNCED) {
			return;
		}
		Row row = found.get();
		String marker = marker(uploadId);
		CrmProperties.Task task = this.settings.task();
		if (task.enabled() && row.ownerId() != null && row.taskId() == null) {
			ensure(uploadId, Kind.TASK, row.taskClaimedAt(), () -> this.crm.createTask(new CrmTask(row.contactId(),
					row.ownerId(), fill(task.subject(), row), withMarker(fill(task.body(), row), marker),
					this.clock.instant(), marker)), () -> this.crm.findTask(marker));
		}
		CrmProperties.Note note = this.settings.note();
		if (note.enabled() && row.noteId() == null) {
			ensure(uploadId, Kind.NOTE, row.noteClaimedAt(),
					() -> this.crm.createNote(new CrmNote(row.contactId(), withMarker(fill(note.body(), row), marker),
							this.clock.instant(), marker)),
					() -> this.crm.findNote(marker));
		}
	}

	private void ensure(UUID uploadId, Kind kind, Instant claimedAt, Supplier<String> create,
			Supplier<Optional<String>> find) {
		Instant now = this.clock.instant();
		if (claimedAt == null) {
			if (!claim(uploadId, kind, null, now)) {
				throw new CrmUnavailableException(kind.label + " of upload " + uploadId
						+ " is being created by another delivery", Duration.ofSeconds(1), null);
			}
		}
		else {
			Optional<String> existing = find.get();
			if (existing.isPresent()) {
				store(uploadId, kind, existing.get());
				logger.info("{} {} of upload {} found in the CRM by its marker; not created again", kind.label,
						existing.get(), uploadId);
				return;
			}
			Instant expires = claimedAt.plus(this.settings.retry().claimTimeout());
			if (now.isBefore(expires) || !claim(uploadId, kind, claimedAt, now)) {
				throw new CrmUnavailableException(kind.label + " of upload " + uploadId
						+ " may be being created by another delivery", Duration.between(now, expires), null);
			}
		}
		String id;
		try {
			id = create.get();
		}
		catch (CrmRejectedException ex) {
			// Refused for good (e.g. the owner no longer exists): nothing was created, retrying will not help.
			release(uploadId, kind);
			this.jdbc.sql("update crm_syncs set last_error = :error where upload_id = :id")
				.param("error", kind.label + " not created: " + ex.getMessage())
				.param("id", uploadId)
				.update();
			logger.warn("{} for upload {} refused by the CRM: {}", kind.label, uploadId, ex.getMessage());
			return;
		}
		catch (CrmUnavailableException ex) {
			if (certainlyNotCreated(ex)) {
				release(uploadId, kind);
			}
			throw ex;
		}
		store(uploadId, kind, id);
		logger.info("{} {} created for upload {}", kind.label, id, uploadId);
	}

	/** Takes the creation for this delivery (committed at once: no transaction here). */
	private boolean claim(UUID uploadId, Kind kind, Instant previousClaim, Instant now) {
		String sql = "update crm_syncs set " + kind.claimColumn + " = :now where upload_id = :id and " + kind.idColumn
				+ " is null and " + ((previousClaim == null) ? kind.claimColumn + " is null"
						: kind.claimColumn + " = :previous");
		JdbcClient.StatementSpec statement = this.jdbc.sql(sql).param("now", java.sql.Timestamp.from(now))
			.param("id", uploadId);
		if (previousClaim != null) {
			statement = statement.param("previous", java.sql.Timestamp.from(previousClaim));
		}
		return statement.update() == 1;
	}

	/**
	 * Whether the CRM certainly did not create the object: it refused the request (rate limit, token). A timeout, a
	 * reset connection or a 5xx may come after the creation, so their claim stays.
	 */
	private static boolean certainlyNotCreated(CrmUnavailableException ex) {
		return ex.reason() != CrmUnavailableException.Reason.TRANSIENT;
	}

	/** Gives the claim back, so that the next delivery creates at once instead of searching. */
	private void release(UUID uploadId, Kind kind) {
		this.jdbc.sql("update crm_syncs set " + kind.claimColumn + " = null where upload_id = :id and "
				+ kind.idColumn + " is null")
			.param("id", uploadId)
			.update();
	}

	private void store(UUID uploadId, Kind kind, String id) {
		this.jdbc.sql("update crm_syncs set " + kind.idColumn + " = :crmId where upload_id = :id")
			.param("crmId", id)
			.param("id", uploadId)
			.update();
	}

	private Optional<Row> row(UUID uploadId) {
		return this.jdbc.sql("""
				select upload_id, status, contact_id, owner_id, link, task_id, task_claimed_at, note_id, note_claimed_at
				from crm_syncs where upload_id = :id""").param("id", uploadId).query(Row.class).optional();
	}

	/** A token unique to the upload, one word for the CRM's search: {@code esteira} and the id's hex digits. */
	static String marker(UUID uploadId) {
		return "esteira" + uploadId.toString().replace("-", "");
	}

	private static String withMarker(String body, String marker) {
		return body + "\n\n(Esteira ref " + marker + ")";
	}

	private static String fill(String template, Row row) {
		return template.replace("{link}", row.link())
			.replace("{contactId}", row.contactId())
			.replace("{uploadId}", String.valueOf(row.uploadId()));
	}

	private enum Kind {

		TASK("Task", "task_id", "task_claimed_at"), NOTE("Note", "note_id", "note_claimed_at");

		final String label;

		final String idColumn;

		final String claimColumn;

		Kind(String label, String idColumn, String claimColumn) {
			this.label = label;
			this.idColumn = idColumn;
			this.claimColumn = claimColumn;
		}

	}

	record Row(UUID uploadId, CrmSyncStatus status, String contactId, String ownerId, String link, String taskId,
			Instant taskClaimedAt, String noteId, Instant noteClaimedAt) {
	}

}
