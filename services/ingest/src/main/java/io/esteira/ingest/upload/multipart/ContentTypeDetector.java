package io.esteira.ingest.upload.multipart;

import java.io.IOException;
import java.io.InputStream;

import io.esteira.ingest.upload.registration.ContentTypes;
import org.apache.tika.Tika;

import org.springframework.core.io.InputStreamSource;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells what a file is from its bytes (magic numbers, via Apache Tika), never from its name or the client's
 * {@code Content-Type}. Tika's core detector cannot tell JSON from plain text, so text that parses as one JSON object
 * or array is refined to {@code application/json}.
 */
@Component
class ContentTypeDetector {

	static final String TEXT_PLAIN = "text/plain";

	static final String APPLICATION_JSON = "application/json";

	private final Tika tika = new Tika();

	private final JsonMapper json = JsonMapper.builder().build();

	/** @return the detected type, lower case without parameters, e.g. {@code image/png} */
	String detect(InputStreamSource content) throws IOException {
		String type;
		try (InputStream in = content.getInputStream()) {
			type = ContentTypes.normalize(this.tika.detect(in));
		}
		if (TEXT_PLAIN.equals(type) && isJsonDocument(content)) {
			return APPLICATION_JSON;
		}
		return type;
	}

	private boolean isJsonDocument(InputStreamSource content) throws IOException {
		try (InputStream in = content.getInputStream(); JsonParser parser = this.json.createParser(in)) {
			JsonToken first = parser.nextToken();
			if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
				return false;
			}
			parser.skipChildren();
			return parser.nextToken() == null;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

}
