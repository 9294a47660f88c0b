package io.esteira.ingest.upload;

import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** The uploads; steps are in {@code timeline}. */
public interface UploadRepository extends JpaRepository<Upload, UUID> {

	boolean existsByObjectKey(String objectKey);

	Optional<Upload> findByObjectKey(String objectKey);

	/** Loads an upload locked for the rest of the transaction, so steps of one upload are recorded one at a time. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select u from Upload u where u.id = :id")
	Optional<Upload> findForUpdate(UUID id);

}
