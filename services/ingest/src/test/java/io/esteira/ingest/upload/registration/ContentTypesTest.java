package io.esteira.ingest.upload.registration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentTypesTest {

	@Test
	void extensionsComeFromTheDetectedType() {
		assertThat(ContentTypes.extensionOf("image/jpeg")).isEqualTo(".jpg");
		assertThat(ContentTypes.extensionOf("image/png")).isEqualTo(".png");
		assertThat(ContentTypes.extensionOf("application/json")).isEqualTo(".json");
		assertThat(ContentTypes.extensionOf("text/plain")).isEqualTo(".txt");
		assertThat(ContentTypes.extensionOf("application/x-made-up")).isEqualTo(".bin");
	}

}
