package io.esteira.ingest.callback;

import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.esteira.ingest.TestSettings;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UploadFinished;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackSecretsTest {

	private final IngestProperties settings = TestSettings.ingest(Map.of("notifications.client-secrets.chatbot",
			"chatbot-secret-1", "notifications.client-secrets.erp", "", "notifications.client-secrets.localdemo", "x"));

	@Test
	void eachClientHasItsOwnSecretFoundInAnyCaseAndSpelling() {
		CallbackSecrets secrets = new CallbackSecrets(this.settings);

		assertThat(secrets.of("chatbot")).isPresent();
		assertThat(secrets.of("ChatBot")).isPresent();
		// as an environment variable names it: ..._CLIENTSECRETS_LOCALDEMO
		assertThat(secrets.of("local-demo")).isPresent();
		assertThat(secrets.of("erp")).as("a blank secret is none").isEmpty();
		assertThat(secrets.of("someone-else")).isEmpty();
		assertThat(secrets.of(null)).isEmpty();
	}

	@Test
	void settingsNeverShowASecret() {
		assertThat(this.settings.toString()).contains("chatbot").doesNotContain("chatbot-secret-1");
		assertThat(this.settings.notifications().toString()).doesNotContain("chatbot-secret-1");
		assertThat(this.settings.notifications().clientSecrets().get("chatbot")).hasToString("(redacted)");
		assertThat(TestSettings.ingest(Map.of("foreign-objects.id-secret", "foreign-secret-1")).toString())
			.doesNotContain("foreign-secret-1");
	}

	@Test
	void aFinishedUploadAndACallbackTargetNeverShowTheCallbackUrlsQuery() throws Exception {
		String url = "https://hooks.example.com/esteira?token=receiver-token-1#frag";
		UploadFinished finished = new UploadFinished(UUID.randomUUID(), "image", UploadStatus.COMPLETED, null, null,
				null, url, 1, Instant.now(), "chatbot");
		CallbackTarget target = new CallbackTarget(URI.create(url), "hooks.example.com",
				List.of(InetAddress.ofLiteral("203.0.113.10")));

		assertThat(finished.toString()).contains("https://hooks.example.com/esteira?(redacted)")
			.doesNotContain("receiver-token-1");
		assertThat(target.toString()).doesNotContain("receiver-token-1");
	}

}
