package io.esteira.crmsync.photo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.esteira.crmsync.config.CrmProperties;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmConnection;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmTask;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.platform.logging.PersonalData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Tells the contacts' owners about synced photos, a batch at a time: a task for the owner (due now; only when the
 * contact has an owner) and a note with the link, each optional ({@code esteira.crm.task.enabled},
 * {@code esteira.crm.note.enabled}), all tasks of the batch in one CRM request, then all notes in another.
 * <p>
 * <b>At most once, even across crashes.</b> Each runs outside any transaction, in three committed steps: claim
 * ({@code task_claimed_at}, only if nobody claimed it), create in the CRM, store the CRM's id ({@code task_id}). A
 * delivery that finds the id does nothing (so a crash between the task batch and the note batch creates only the
 * notes on redelivery). One that finds a claim without an id cannot know whether the creation happened (a crash or a
 * lost answer between the CRM call and the last step), so it searches the CRM for the upload's marker, written into
 * the body: found, the id is stored; not found and the claim is younger than {@code esteira.crm.retry.claim-timeout},
 * it comes back later (another delivery may be at work); older, it claims again and creates. The CRM's search index
 * lags a few seconds behind writes, far less than the claim timeout. When the CRM certainly did not create it (429,
 * 401), the claim is given back at once; when it refuses an item for good, the error is kept in {@code last_error}
 * and nothing more is tried.
 */
@Service
class OwnerNotifications {

	private static final Logger logger = LoggerFactory.getLogger(OwnerNotifications.class);

	private final JdbcClient jdbc;

	private final CrmProperties settings;

	private final Clock clock;

	OwnerNotifications(JdbcClient jdbc, CrmProperties settings, Clock clock) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Creates what is missing for these {@link CrmSyncStatus#SYNCED} uploads (others are left alone), through their
	 * tenant's connection. The task goes to the contact's owner, else the connection's default owner
	 * ({@code esteira.crm.tenants.<t>.default-owner-id}); with neither, there is no task.
	 * @return why, for the uploads whose task or note could not be created now (to be tried again)
	 */
	Map<UUID, CrmUnavailableException> notifyOwners(CrmConnection connection, Collection<UUID> uploadIds) {
		CrmClient crm = connection.client();
		Map<UUID, CrmUnavailableException> failures = new LinkedHashMap<>();
		List<Row> rows = rows(uploadIds, CrmSyncStatus.SYNCED);
		CrmProperties.Task task = this.settings.task();
		if (task.enabled()) {
			List<Row> missing = rows.stream()
				.filter((row) -> connection.ownerOr(row.ownerId()) != null && row.taskId() == null)
				.toList();
			ensure(Kind.TASK, missing, Row::taskClaimedAt, failures, (batch) -> crm.createTasks(batch.stream()
				.map((row) -> new CrmTask(row.contactId(), connection.ownerOr(row.ownerId()), fill(task.subject(), row),
						withMarker(fill(task.body(), row), marker(row.uploadId())), this.clock.instant(),
						marker(row.uploadId())))
				.toList()), crm::findTask);
		}
		CrmProperties.Note note = this.settings.note();
		if (note.enabled()) {
			List<Row> missing = rows.stream().filter((row) -> row.noteId() == null).toList();
			ensure(Kind.NOTE, missing, Row::noteClaimedAt, failures, (batch) -> crm.createNotes(batch.stream()
				.map((row) -> new CrmNote(row.contactId(), withMarker(fill(note.body(), row), marker(row.uploadId())),
						this.clock.instant(), marker(row.uploadId())))
				.toList()), crm::findNote);
		}
		return failures;
	}

	/**
	 * Records the erasure note ({@code esteira.crm.erasure.note}, nothing of the customer) on the contact of each of
	 * these {@link CrmSyncStatus#ERASED} uploads whose photo property was handled, once per upload, as the owner's
	 * note is: claim, create, store the id.
	 * @return why, for the uploads whose note could not be created now (to be tried again)
	 */
	Map<UUID, CrmUnavailableException> noteErasures(CrmConnection connection, Collection<UUID> uploadIds) {
		CrmClient crm = connection.client();
		Map<UUID, CrmUnavailableException> failures = new LinkedHashMap<>();
		List<Row> missing = rows(uploadIds, CrmSyncStatus.ERASED).stream()
			.filter((row) -> row.contactId() != null && row.erasureNoteId() == null)
			.toList();
		String body = this.settings.erasure().note();
		ensure(Kind.ERASURE_NOTE, missing, Row::erasureNoteClaimedAt, failures, (batch) -> crm.createNotes(batch
			.stream()
			.map((row) -> new CrmNote(row.contactId(), withMarker(body, Kind.ERASURE_NOTE.marker(row.uploadId())),
					this.clock.instant(), Kind.ERASURE_NOTE.marker(row.uploadId())))
			.toList()), crm::findNote);
		return failures;
	}

	private void ensure(Kind kind, List<Row> missing, Function<Row, Instant> claimedAt,
			Map<UUID, CrmUnavailableException> failures,
			Function<List<Row>, Map<String, CrmOutcome<String>>> create, Function<String, Optional<String>> find) {
		Instant now = this.clock.instant();
		List<Row> toCreate = new ArrayList<>();
		for (Row row : missing) {
			if (failures.containsKey(row.uploadId())) {
				continue;
			}
			try {
				if (claimable(kind, row, claimedAt.apply(row), now, find)) {
					toCreate.add(row);
				}
			}
			catch (CrmUnavailableException ex) {
				failures.put(row.uploadId(), ex);
			}
		}
		if (toCreate.isEmpty()) {
			return;
		}
		Map<String, CrmOutcome<String>> outcomes;
		try {
			outcomes = create.apply(toCreate);
		}
		catch (CrmUnavailableException ex) {
			for (Row row : toCreate) {
				if (certainlyNotCreated(ex)) {
					release(row.uploadId(), kind);
				}
				failures.put(row.uploadId(), ex);
			}
			return;
		}
		for (Row row : toCreate) {
			switch (outcomes.get(kind.marker(row.uploadId()))) {
				case CrmOutcome.Done<String> done -> {
					store(row.uploadId(), kind, done.value());
					logger.info("{} {} created for upload {}", kind.label, done.value(), row.uploadId());
				}
				case CrmOutcome.Refused<String> refused -> {
					// Refused for good (e.g. the owner no longer exists): nothing was created, retrying will not help.
					release(row.uploadId(), kind);
					this.jdbc.sql("update crm_syncs set last_error = :error where upload_id = :id")
						.param("error", PersonalData.mask(kind.label + " not created: " + refused.reason()))
						.param("id", row.uploadId())
						.update();
					logger.warn("{} for upload {} refused by the CRM: {}", kind.label, row.uploadId(),
							refused.reason());
				}
				case CrmOutcome.Unavailable<String> unavailable -> {
					if (certainlyNotCreated(unavailable.failure())) {
						release(row.uploadId(), kind);
					}
					failures.put(row.uploadId(), unavailable.failure());
				}
				case null -> failures.put(row.uploadId(), new CrmUnavailableException(
						"the CRM said nothing of the " + kind.label.toLowerCase() + " of upload " + row.uploadId(),
						null));
			}
		}
	}

	/**
	 * Whether this delivery may create the upload's task or note now (it is claimed for it); {@code false} when it
	 * turned out to exist already (found by its marker and stored).
	 * @throws CrmUnavailableException (reason {@code THROTTLED}) when another delivery may be creating it
	 */
	private boolean claimable(Kind kind, Row row, Instant claimedAt, Instant now,
			Function<String, Optional<String>> find) {
		UUID uploadId = row.uploadId();
		if (claimedAt == null) {
			if (!claim(uploadId, kind, null, now)) {
				throw new CrmUnavailableException(CrmUnavailableException.Reason.THROTTLED,
						kind.label + " of upload " + uploadId + " is being created by another delivery",
						Duration.ofSeconds(1), null);
			}
			return true;
		}
		Optional<String> existing = find.apply(kind.marker(uploadId));
		if (existing.isPresent()) {
			store(uploadId, kind, existing.get());
			logger.info("{} {} of upload {} found in the CRM by its marker; not created again", kind.label,
					existing.get(), uploadId);
			return false;
		}
		Instant expires = claimedAt.plus(this.settings.retry().claimTimeout());
		if (now.isBefore(expires) || !claim(uploadId, kind, claimedAt, now)) {
			throw new CrmUnavailableException(CrmUnavailableException.Reason.THROTTLED,
					kind.label + " of upload " + uploadId + " may be being created by another delivery",
					Duration.between(now, expires).plusSeconds(1), null);
		}
		return true;
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

	private List<Row> rows(Collection<UUID> uploadIds, CrmSyncStatus status) {
		if (uploadIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				select upload_id, status, contact_id, owner_id, link, task_id, task_claimed_at, note_id, note_claimed_at,
				       erasure_note_id, erasure_note_claimed_at
				from crm_syncs where upload_id in (:ids) and status = :status
				  and (status <> 'ERASED' or photo_cleared_at is not null) order by upload_id""")
			.param("ids", List.copyOf(uploadIds))
			.param("status", status.name())
			.query(Row.class)
			.list();
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

		TASK("Task", "task_id", "task_claimed_at"), NOTE("Note", "note_id", "note_claimed_at"),

		/** The note that the photo was removed at the customer's request; its own marker. */
		ERASURE_NOTE("Erasure note", "erasure_note_id", "erasure_note_claimed_at");

		final String label;

		final String idColumn;

		final String claimColumn;

		Kind(String label, String idColumn, String claimColumn) {
			this.label = label;
			this.idColumn = idColumn;
			this.claimColumn = claimColumn;
		}

		String marker(UUID uploadId) {
			return (this == ERASURE_NOTE) ? "esteiraerased" + uploadId.toString().replace("-", "")
					: OwnerNotifications.marker(uploadId);
		}

	}

	record Row(UUID uploadId, CrmSyncStatus status, String contactId, String ownerId, String link, String taskId,
			Instant taskClaimedAt, String noteId, Instant noteClaimedAt, String erasureNoteId,
			Instant erasureNoteClaimedAt) {
	}

}
