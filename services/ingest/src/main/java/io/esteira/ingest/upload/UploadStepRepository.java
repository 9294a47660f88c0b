package io.esteira.ingest.upload;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface UploadStepRepository extends JpaRepository<UploadStep, UUID> {

	boolean existsByEventId(UUID eventId);

	List<UploadStep> findByUploadIdOrderByOccurredAtAscRecordedAtAsc(UUID uploadId);

}
