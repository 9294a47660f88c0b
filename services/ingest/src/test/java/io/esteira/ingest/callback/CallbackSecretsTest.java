package io.esteira.ingest.callback;

import java.util.Map;

import io.esteira.ingest.TestSettings;
import io.esteira.ingest.config.IngestProperties;
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

}
