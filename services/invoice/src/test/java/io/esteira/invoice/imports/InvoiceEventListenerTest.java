package io.esteira.invoice.imports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.awspring.cloud.sqs.listener.Visibility;
import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import io.esteira.invoice.TestSettings;
import io.esteira.invoice.config.InvoiceProperties;
import io.esteira.platform.aws.EsteiraAwsProperties;
import io.esteira.platform.retry.RetryPolicies;
import io.esteira.platform.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The listener's handling of one delivery, the import service mocked: what it does to the message's visibility and
 * when it gives up. (The import itself, against the real stand-ins: {@code InvoiceImportIntegrationTest}.)
 */
class InvoiceEventListenerTest {

	private static final EsteiraAwsProperties AWS = new EsteiraAwsProperties("esteira-uploads", "esteira-output",
			new EsteiraAwsProperties.Queues("esteira-images", "esteira-invoices", "esteira-image-events",
					"esteira-status"));

	/** Files over 1 KB are large here; their messages stay invisible for 15 minutes. */
	private static final InvoiceProperties SETTINGS = TestSettings.invoiceProperties(
			Map.of("large-file-bytes", "1024", "large-file-visibility", "15m"));

	/** Three attempts, 10 s then 20 s apart, no jitter. */
	private static final RetryPolicies POLICY = new RetryPolicies(RetryPolicy.DEFAULT, Map.of("invoice-import",
			new RetryPolicy(3, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5), RetryPolicy.Jitter.NONE)));

	private final InvoiceImportService imports = mock(InvoiceImportService.class);

	private final InvoiceEventListener listener = new InvoiceEventListener(this.imports, AWS, SETTINGS, POLICY);

	private final RecordedVisibility visibility = new RecordedVisibility();

	@Test
	void aLargeFilesMessageStaysInvisibleForTheLongImportBeforeItStarts() {
		S3ObjectEvent large = anEvent(5 * 1024 * 1024);

		this.listener.onS3Event(S3Events.encode(large, "us-east-1"), "1", null, this.visibility);

		assertThat(this.visibility.changes).containsExactly(900);
		verify(this.imports).importObject(any(), eq(1), eq(0));
	}

	@Test
	void aSmallFilesMessageKeepsTheQueuesVisibility() {
		this.listener.onS3Event(S3Events.encode(anEvent(512), "us-east-1"), "1", null, this.visibility);

		assertThat(this.visibility.changes).isEmpty();
	}

	@Test
	void aLargeFileWhoseImportFailsComesBackAfterThePolicysDelayNotAfterFifteenMinutes() {
		willThrow(new DataAccessResourceFailureException("database down")).given(this.imports)
			.importObject(any(), anyInt(), anyInt());

		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> this.listener
			.onS3Event(S3Events.encode(anEvent(5 * 1024 * 1024), "us-east-1"), "1", null, this.visibility));

		assertThat(this.visibility.changes).containsExactly(900, 10);
	}

	@Test
	void whenTheFailureCannotEvenBeRecordedTheMessageStillGoesOnToTheDeadLetterQueue() {
		DataAccessResourceFailureException down = new DataAccessResourceFailureException("database down");
		willThrow(down).given(this.imports).importObject(any(), anyInt(), anyInt());
		given(this.imports.fail(any(), anyInt(), anyString()))
			.willThrow(new DataAccessResourceFailureException("still down"));

		// The last attempt: recording FAILED fails too, and the original failure is what propagates.
		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> this.listener.onS3Event(S3Events.encode(anEvent(512), "us-east-1"), "3", null,
					this.visibility))
			.isSameAs(down)
			.satisfies((thrown) -> assertThat(thrown.getSuppressed()).singleElement()
				.satisfies((suppressed) -> assertThat(suppressed).hasMessage("still down")));
		// Visible at once: SQS moves it to the dead-letter queue on its next receive, where a redrive finds it.
		assertThat(this.visibility.changes).containsExactly(0);
		verify(this.imports).fail(any(), eq(3), anyString());
	}

	@Test
	void aRedrivesRunIsHandedToTheImport() {
		this.listener.onS3Event(S3Events.encode(anEvent(512), "us-east-1"), "1", "2", this.visibility);

		verify(this.imports).importObject(any(), eq(1), eq(2));
	}

	private static S3ObjectEvent anEvent(long size) {
		return new S3ObjectEvent("ObjectCreated:Put", Instant.parse("2026-12-01T10:00:00Z"), "esteira-uploads",
				"invoices/2026/12/feed.csv", size, "0123abcd", null, "00AA");
	}

	/** The visibility changes the listener asked for, in order. */
	private static final class RecordedVisibility implements Visibility {

		private final List<Integer> changes = new ArrayList<>();

		@Override
		public CompletableFuture<Void> changeToAsync(int seconds) {
			this.changes.add(seconds);
			return CompletableFuture.completedFuture(null);
		}

	}

}
