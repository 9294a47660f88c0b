package io.esteira.contracts.event;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class UploadStatusEventTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void aReportNamingItsObjectSurvivesTheQueue() {
		UploadStatusEvent event = UploadStatusEvent
			.of(UUID.randomUUID(), "invoice", "invoice-import", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED, "3 rows",
					Instant.parse("2026-11-22T10:15:30Z"))
			.withAttempt(2)
			.forObject("esteira-uploads", "invoices/nightly/2026-11-22.csv");
		UploadStatusEvent read = JSON.readValue(JSON.writeValueAsString(event), UploadStatusEvent.class);
		assertThat(read).isEqualTo(event);
		assertThat(read.attempt()).isEqualTo(2);
		assertThat(read.key()).isEqualTo("invoices/nightly/2026-11-22.csv");
	}

	@Test
	void aReportFromBeforeObjectsWereNamedStillReads() {
		String old = """
				{"eventId":"7d3c1f5e-0f6a-4b7e-9a65-2f3c0f1d2e3a","uploadId":"0b8f7c52-8a1d-4a55-9f0e-1c2d3e4f5a6b",
				"service":"image-processing","step":"thumbnail","outcome":"SUCCEEDED","status":null,"reason":null,
				"attempt":1,"occurredAt":"2026-11-22T10:15:30Z"}""";
		UploadStatusEvent read = JSON.readValue(old, UploadStatusEvent.class);
		assertThat(read.step()).isEqualTo("thumbnail");
		assertThat(read.bucket()).isNull();
		assertThat(read.key()).isNull();
	}

}
