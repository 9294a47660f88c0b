package io.esteira.ingest.upload.timeline;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface UploadStepRepository extends JpaRepository<UploadStep, UUID> {

	boolean existsByEventId(UUID eventId);

	List<UploadStep> findByUploadIdOrderByOccurredAtAscRecordedAtAsc(UUID uploadId);

	/** The reports of one step of an upload, oldest first: its runs, for measuring how long they took. */
	List<UploadStep> findByUploadIdAndServiceAndStepOrderByOccurredAtAscRecordedAtAsc(UUID uploadId, String service,
			String step);

}
