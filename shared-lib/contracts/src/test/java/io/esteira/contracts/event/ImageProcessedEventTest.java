package io.esteira.contracts.event;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ImageProcessedEventTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void anEventFromBeforeRunsWereCarriedIsTheFirstRun() {
		// As image-processing sent it before the upload time and the run were added (still queued at an upgrade).
		String old = """
				{"eventId":"7d3c1f5e-0f6a-4b7e-9a65-2f3c0f1d2e3a","uploadId":"0b8f7c52-8a1d-4a55-9f0e-1c2d3e4f5a6b",
				"sourceBucket":"esteira-uploads","sourceKey":"images/a.jpg","crmContactId":"901","customerEmail":null,
				"customerPhone":null,"renditions":[{"name":"256","bucket":"esteira-output",
				"key":"thumbnails/0b8f7c52-8a1d-4a55-9f0e-1c2d3e4f5a6b/256.jpg","width":256,"height":192,
				"bytes":18432,"contentType":"image/jpeg"}],"occurredAt":"2026-11-22T10:15:30Z"}""";

		ImageProcessedEvent read = JSON.readValue(old, ImageProcessedEvent.class);

		assertThat(read.run()).isEqualTo(1);
		assertThat(read.tenant()).isEqualTo(Tenants.DEFAULT);
		assertThat(read.uploadedAt()).isNull();
		assertThat(read.renditions()).singleElement().extracting(ImageProcessedEvent.Rendition::width).isEqualTo(256);
	}

	@Test
	void aRedrivesRunSurvivesTheQueue() {
		ImageProcessedEvent read = JSON.readValue("{\"uploadId\":\"0b8f7c52-8a1d-4a55-9f0e-1c2d3e4f5a6b\",\"run\":3}",
				ImageProcessedEvent.class);
		assertThat(read.run()).isEqualTo(3);
	}

	@Test
	void aTenantSurvivesTheQueue() {
		ImageProcessedEvent read = JSON.readValue(
				"{\"uploadId\":\"0b8f7c52-8a1d-4a55-9f0e-1c2d3e4f5a6b\",\"tenant\":\"acme\"}", ImageProcessedEvent.class);
		assertThat(read.tenant()).isEqualTo("acme");
	}

	@Test
	void anErasureEventSaysWhatItIs() {
		UploadErasedEvent event = UploadErasedEvent.of(UUID.randomUUID(), "acme", Instant.parse("2026-12-06T10:00:00Z"));
		String json = JSON.writeValueAsString(event);
		assertThat(JSON.readTree(json).get("type").asString()).isEqualTo(UploadErasedEvent.TYPE);
		assertThat(JSON.readValue(json, UploadErasedEvent.class)).isEqualTo(event);
	}

}
