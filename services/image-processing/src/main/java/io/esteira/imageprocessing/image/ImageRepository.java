package io.esteira.imageprocessing.image;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ImageRepository extends JpaRepository<ImageRecord, UUID> {

	Optional<ImageRecord> findByUploadId(UUID uploadId);

}
