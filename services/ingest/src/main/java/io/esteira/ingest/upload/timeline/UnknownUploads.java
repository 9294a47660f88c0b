package io.esteira.ingest.upload.timeline;

import java.util.Optional;
import java.util.UUID;

import io.esteira.contracts.event.UploadStatusEvent;

/**
 * Registers the upload a status report names when the timeline has none, from the object the report names
 * ({@code foreign.ForeignObjects}). The timeline only asks; how an object becomes an upload is not its business.
 */
public interface UnknownUploads {

	/**
	 * Called outside any transaction; an S3 failure propagates, so the report comes back later.
	 * @return the upload the report is about (registered now or before, possibly under another id than the report
	 * names), empty if there is none
	 */
	Optional<UUID> registerReported(UploadStatusEvent event);

}
