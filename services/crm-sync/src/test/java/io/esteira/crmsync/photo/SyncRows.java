package io.esteira.crmsync.photo;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** What crm-sync recorded for an upload, read as a test sees the table. */
record SyncRows(JdbcClient jdbc) {

	Optional<Row> of(UUID uploadId) {
		return this.jdbc.sql("""
				select status, contact_id, resolved_by, owner_id, candidates, reason, task_id, note_id, attempts,
				       task_claimed_at
				from crm_sync.crm_syncs where upload_id = ?""").param(uploadId).query(Row.class).optional();
	}

	record Row(String status, String contactId, String resolvedBy, String ownerId, String candidates, String reason,
			String taskId, String noteId, int attempts, Instant taskClaimedAt) {
	}

}
