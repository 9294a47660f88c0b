package io.esteira.ingest.upload.registration;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UploadKind;
import io.esteira.ingest.upload.UploadTooLargeException;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The size limits per upload kind: {@code esteira.ingest.max-size.*} for files received in a multipart form,
 * {@code esteira.ingest.presign.max-size.*} for the size a direct upload declares. Invoices are read whole by the
 * invoice service, so their limits are far below the images'.
 */
@Component
public class UploadSizes {

	private final IngestProperties.SizePerKind received;

	private final IngestProperties.SizePerKind declared;

	UploadSizes(IngestProperties properties) {
		this.received = properties.maxSize();
		this.declared = properties.presign().maxSize();
	}

	/** @throws UploadTooLargeException if a received file is over its kind's limit */
	public void requireReceivedWithin(UploadKind kind, long size) {
		require(kind, size, limit(this.received, kind));
	}

	/** @throws UploadTooLargeException if the size a direct upload declares is over its kind's limit */
	public void requireDeclaredWithin(UploadKind kind, long size) {
		require(kind, size, limit(this.declared, kind));
	}

	private static void require(UploadKind kind, long size, DataSize limit) {
		if (size > limit.toBytes()) {
			throw new UploadTooLargeException(kind.value(), size, limit);
		}
	}

	private static DataSize limit(IngestProperties.SizePerKind limits, UploadKind kind) {
		return switch (kind) {
			case IMAGE -> limits.image();
			case INVOICE -> limits.invoice();
		};
	}

}
