package io.esteira.ingest;

import java.util.Map;

import io.esteira.ingest.config.IngestProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Ingest's settings bound as the application binds them: the defaults, with the given keys set. */
public final class TestSettings {

	private TestSettings() {
	}

	/** @param properties keys under {@code esteira.ingest.} ({@code notifications.callback-timeout}) and values */
	public static IngestProperties ingest(Map<String, String> properties) {
		MapConfigurationPropertySource source = new MapConfigurationPropertySource();
		properties.forEach((key, value) -> source.put("esteira.ingest." + key, value));
		return new Binder(source).bindOrCreate("esteira.ingest", IngestProperties.class);
	}

}
