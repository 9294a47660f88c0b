package io.esteira.crmsync.photo;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface CrmSyncRepository extends JpaRepository<CrmSync, UUID> {

	/**
	 * Serialises work on one key (a contact, or an upload without one) until the current transaction ends, so that
	 * duplicate deliveries and images of the same contact processed in parallel see each other's outcome.
	 */
	@Query(value = "select 1 from pg_advisory_xact_lock(hashtextextended(:key, 0))", nativeQuery = true)
	int lockUntilCommit(String key);

	/**
	 * Claims {@code key} for {@code token}: when unclaimed, or when its claim is older than {@code expiredBefore}
	 * (that delivery is presumed dead).
	 * @return 1 when claimed, 0 when another delivery holds it
	 */
	@Modifying
	@Query(value = """
			insert into crm_sync_claims (claim_key, token, claimed_at) values (:key, :token, :now)
			on conflict (claim_key) do update set token = excluded.token, claimed_at = excluded.claimed_at
			where crm_sync_claims.claimed_at < :expiredBefore""", nativeQuery = true)
	int claim(String key, UUID token, Instant now, Instant expiredBefore);

	/** When {@code key} was claimed, if it is. */
	@Query(value = "select claimed_at from crm_sync_claims where claim_key = :key", nativeQuery = true)
	Optional<Instant> claimedAt(String key);

	/** Gives back every claim {@code token} holds. */
	@Modifying
	@Query(value = "delete from crm_sync_claims where token = :token", nativeQuery = true)
	int releaseClaims(UUID token);

	/** The newest sync of the tenant's contact from an image processed after {@code occurredAt}, if any. */
	Optional<CrmSync> findFirstByTenantAndContactIdAndStatusAndEventOccurredAtAfterOrderByEventOccurredAtDesc(
			String tenant, String contactId, CrmSyncStatus status, Instant occurredAt);

	default Optional<CrmSync> findNewerSync(String tenant, String contactId, Instant occurredAt) {
		return findFirstByTenantAndContactIdAndStatusAndEventOccurredAtAfterOrderByEventOccurredAtDesc(tenant,
				contactId, CrmSyncStatus.SYNCED, occurredAt);
	}

}
