package io.esteira.ingest.upload.timeline;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface UploadStepRepository extends JpaRepository<UploadStep, UUID> {

	boolean existsByEventId(UUID eventId);

	List<UploadStep> findByUploadIdOrderByOccurredAtAscRecordedAtAsc(UUID uploadId);

	/** The reports of one step of an upload, oldest first: its runs, for measuring how long they took. */
	List<UploadStep> findByUploadIdAndServiceAndStepOrderByOccurredAtAscRecordedAtAsc(UUID uploadId, String service,
			String step);

	/** Clears the reasons of an upload's steps (they may name a customer or a CRM contact). */
	@Modifying(flushAutomatically = true, clearAutomatically = false)
	@Query("update UploadStep s set s.reason = null where s.uploadId = :uploadId")
	int clearReasons(UUID uploadId);

}
