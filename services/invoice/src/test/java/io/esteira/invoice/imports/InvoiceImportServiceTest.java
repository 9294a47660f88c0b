package io.esteira.invoice.imports;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.esteira.contracts.event.UploadMetadata;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.invoice.TestSettings;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.observability.PipelineTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The import's own checks before the file is read, its collaborators mocked (an object of gigabytes cannot be put
 * into the test S3, which keeps objects in memory). The import itself: {@code InvoiceImportIntegrationTest}.
 */
class InvoiceImportServiceTest {

	private static final EsteiraAwsProperties AWS = new EsteiraAwsProperties("esteira-uploads", "esteira-output",
			new EsteiraAwsProperties.Queues("esteira-images", "esteira-invoices", "esteira-image-events",
					"esteira-status"));

	private final S3Client s3 = mock(S3Client.class);

	private final InvoiceImportRepository imports = mock(InvoiceImportRepository.class);

	private final ApplicationEventPublisher events = mock(ApplicationEventPublisher.class);

	private final InvoiceImportService service = new InvoiceImportService(this.s3,
			new InvoiceFileParser(Clock.systemUTC(), TestSettings.invoiceProperties()), mock(InvoiceBatchWriter.class),
			this.imports, mock(JdbcClient.class, RETURNS_DEEP_STUBS), this.events, TestSettings.invoiceProperties(),
			AWS, Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC),
			new ImportMetrics(new SimpleMeterRegistry()), mock(PipelineTracing.class));

	@Test
	@SuppressWarnings("unchecked")
	void objectLargerThanMaxFileSizeIsRejectedFromItsSizeWithoutBeingRead() {
		UUID uploadId = UUID.randomUUID();
		long fiveGigabytes = 5L * 1024 * 1024 * 1024;
		GetObjectResponse response = GetObjectResponse.builder()
			.contentLength(fiveGigabytes)
			.eTag("\"0123abcd\"")
			.metadata(Map.of(UploadMetadata.UPLOAD_ID, uploadId.toString()))
			.build();
		given(this.s3.getObject(any(Consumer.class)))
			.willReturn(new ResponseInputStream<>(response, AbortableInputStream.create(new Unreadable())));
		given(this.imports.claim(eq(uploadId), any(), anyString(), anyString(), anyString(), anyInt(), any()))
			.willReturn(true);

		this.service.importObject(new S3ObjectEvent("ObjectCreated:Put", Instant.now(), "esteira-uploads",
				"invoices/2026/03/huge.csv", fiveGigabytes, "0123abcd", null, "00AA"));

		ArgumentCaptor<UploadStatusEvent> published = ArgumentCaptor.forClass(UploadStatusEvent.class);
		verify(this.events, atLeastOnce()).publishEvent(published.capture());
		assertThat(published.getValue().status()).isEqualTo(UploadStatus.REJECTED);
		assertThat(published.getValue().reason())
			.isEqualTo("limit_exceeded: file larger than 268435456 bytes (esteira.invoices.limits.max-file-size)");
		verify(this.imports).finish(eq(uploadId), eq("REJECTED"), any(), isNull(),
				eq("reports/invoices/" + uploadId + "/errors.csv"), anyLong(), any());
	}

	/** An object body that fails the test if anything reads it. */
	private static final class Unreadable extends InputStream {

		@Override
		public int read() {
			throw new AssertionError("the object was read");
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			throw new AssertionError("the object was read");
		}

	}

}
