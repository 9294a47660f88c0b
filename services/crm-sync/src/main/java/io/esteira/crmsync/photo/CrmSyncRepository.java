package io.esteira.crmsync.photo;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface CrmSyncRepository extends JpaRepository<CrmSync, UUID> {

	/**
	 * Serialises work on one key (a contact, or an upload without one) until the current transaction ends, so that
	 * duplicate deliveries and images of the same contact processed in parallel see each other's outcome.
	 */
	@Query(value = "select 1 from pg_advisory_xact_lock(hashtextextended(:key, 0))", nativeQuery = true)
	int lockUntilCommit(String key);

	/** The newest sync of the contact from an image processed after {@code occurredAt}, if any. */
	Optional<CrmSync> findFirstByContactIdAndStatusAndEventOccurredAtAfterOrderByEventOccurredAtDesc(String contactId,
			CrmSyncStatus status, Instant occurredAt);

	default Optional<CrmSync> findNewerSync(String contactId, Instant occurredAt) {
		return findFirstByContactIdAndStatusAndEventOccurredAtAfterOrderByEventOccurredAtDesc(contactId,
				CrmSyncStatus.SYNCED, occurredAt);
	}

}
