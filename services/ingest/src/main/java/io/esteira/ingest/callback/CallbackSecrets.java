package io.esteira.ingest.callback;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.config.Secret;

import org.springframework.stereotype.Component;

/**
 * Each client's callback signing secret ({@code esteira.ingest.notifications.client-secrets.<client>}), looked up by
 * the client that registered the upload (its API key name). Names are compared ignoring case and every character but
 * letters and digits, as an environment variable can only spell them:
 * {@code ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_LOCALDEMO} is the secret of {@code local-demo}. Two names that
 * compare equal are a configuration error (start-up fails). A client without a secret gets no callbacks.
 */
@Component
public class CallbackSecrets {

	private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]");

	private final Map<String, Secret> byClient;

	CallbackSecrets(IngestProperties properties) {
		this.byClient = properties.notifications()
			.clientSecrets()
			.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().isEmpty())
			.collect(Collectors.toUnmodifiableMap((entry) -> key(entry.getKey()), Map.Entry::getValue));
	}

	/** The client's secret; empty for a client without one, or no client ({@code null}). */
	public Optional<Secret> of(String client) {
		return (client == null) ? Optional.empty() : Optional.ofNullable(this.byClient.get(key(client)));
	}

	private static String key(String client) {
		return NOT_LETTER_OR_DIGIT.matcher(client.toLowerCase(Locale.ROOT)).replaceAll("");
	}

}
