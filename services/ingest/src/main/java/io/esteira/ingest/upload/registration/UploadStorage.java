package io.esteira.ingest.upload.registration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.platform.observability.PipelineTracing;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import org.springframework.core.io.InputStreamSource;
import org.springframework.stereotype.Component;

/**
 * Writes uploads to S3, with the configured server-side encryption requested and the trace context in the object's
 * metadata, so the service that processes the object continues the upload's trace.
 */
@Component
public class UploadStorage {

	private final S3Client s3;

	private final ServerSideEncryption encryption;

	private final PipelineTracing tracing;

	UploadStorage(S3Client s3, IngestProperties properties, PipelineTracing tracing) {
		this.s3 = s3;
		this.encryption = encryption(properties.serverSideEncryption());
		this.tracing = tracing;
	}

	/**
	 * Stores the content; the stream is opened again if the SDK retries.
	 * @throws software.amazon.awssdk.core.exception.SdkException when S3 refuses or cannot be reached
	 */
	public void store(String bucket, String key, String contentType, long size, InputStreamSource content,
			Map<String, String> metadata) {
		Map<String, String> traced = new HashMap<>(metadata);
		this.tracing.objectMetadata().forEach(traced::putIfAbsent);
		PutObjectRequest request = PutObjectRequest.builder()
			.bucket(bucket)
			.key(key)
			.contentType(contentType)
			.contentLength(size)
			.metadata(traced)
			.serverSideEncryption(this.encryption)
			.build();
		this.s3.putObject(request, RequestBody.fromContentProvider(() -> open(content), size, contentType));
	}

	/** The server-side encryption requested for uploads, {@code null} for the bucket default. */
	public ServerSideEncryption encryption() {
		return this.encryption;
	}

	private static InputStream open(InputStreamSource content) {
		try {
			return content.getInputStream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ServerSideEncryption encryption(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		ServerSideEncryption encryption = ServerSideEncryption.fromValue(value.strip());
		if (encryption == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
			throw new IllegalStateException("esteira.ingest.server-side-encryption must be one of "
					+ ServerSideEncryption.knownValues() + " or empty, not '" + value + "'");
		}
		return encryption;
	}

}
