package io.esteira.invoice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the service's HTTP API like a client would, without throwing on error statuses. */
public final class TestApi {

	/** Amounts are read as they are written, never through double. */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	public TestApi(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
	}

	/** GET with {@code X-Api-Key}, or without it when {@code apiKey} is {@code null}. */
	public Response get(String pathAndQuery, String apiKey) {
		return get(pathAndQuery, apiKey, java.util.Map.of());
	}

	/** The status of a GET without key, whatever the body (HTML pages). */
	public int status(String pathAndQuery) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(this.baseUrl + pathAndQuery)).GET().build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** GET with {@code X-Api-Key} and more request headers. */
	public Response get(String pathAndQuery, String apiKey, java.util.Map<String, String> headers) {
		return send("GET", pathAndQuery, apiKey, headers, null);
	}

	/** Any method, with {@code X-Api-Key} (unless {@code null}), more headers and a body (or {@code null}). */
	public Response send(String method, String pathAndQuery, String apiKey, java.util.Map<String, String> headers,
			String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + pathAndQuery))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (apiKey != null) {
			request.header("X-Api-Key", apiKey);
		}
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			String text = response.body();
			String contentType = response.headers().firstValue("Content-Type").orElse("");
			return new Response(response.statusCode(), contentType,
					(text == null || text.isBlank() || !contentType.contains("json")) ? JSON.missingNode()
							: JSON.readTree(text),
					response.headers().firstValue("ETag").orElse(null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A response: status, content type, the body as JSON and the {@code ETag} header (or {@code null}). */
	public record Response(int status, String contentType, JsonNode body, String eTag) {
	}

}
