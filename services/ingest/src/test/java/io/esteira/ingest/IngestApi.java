package io.esteira.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls ingest's HTTP API on a random port, the way a client would; never throws on an error status. */
public final class IngestApi {

	/** May upload and read (see {@link IngestIntegrationTest}). */
	public static final String WRITER_KEY = "test-writer-key";

	/** May only read. */
	public static final String READER_KEY = "test-reader-key";

	/** May use the admin endpoints, and read the uploads of every tenant. */
	public static final String ADMIN_KEY = "test-admin-key";

	/** Another client that may upload, with a callback secret of its own ({@code partner}). */
	public static final String PARTNER_KEY = "test-partner-key";

	/** A client that may upload but has no callback secret ({@code guest}). */
	public static final String GUEST_KEY = "test-guest-key";

	/** Tenant {@code beta}'s client: uploads (with CRM fields), reads, erases. */
	public static final String BETA_KEY = "test-beta-key";

	/** Restricted to the customer {@link #BETA_CUSTOMER_DOCUMENT} of tenant {@code beta}. */
	public static final String BETA_CUSTOMER_KEY = "test-beta-customer-key";

	/** The customer document of {@link #BETA_CUSTOMER_KEY}, as configured (with punctuation). */
	public static final String BETA_CUSTOMER_DOCUMENT = "12.345.678/0001-95";

	/** The default tenant's client that may erase ({@code uploads:delete}). */
	public static final String ERASER_KEY = "test-eraser-key";

	/** Uploads and reads, without {@code crm:write}. */
	public static final String NO_CRM_KEY = "test-no-crm-key";

	/** {@code printf %s test-beta-key | sha256sum} */
	static final String BETA_KEY_SHA256 = "55cfa7dc8b9783e1226a46608953bf1ffdc230bd1b8925b5bfe2f1c7edad7ee7";

	/** {@code printf %s test-beta-customer-key | sha256sum} */
	static final String BETA_CUSTOMER_KEY_SHA256 = "e486f0ead2bf6e6f557261cfadb03091116114b3d3da180f8409552bf0e578c8";

	/** {@code printf %s test-eraser-key | sha256sum} */
	static final String ERASER_KEY_SHA256 = "9087d474466776edaa36ce36119343fdcc080c94c8e8e2e7bbc85e0e467195f8";

	/** {@code printf %s test-no-crm-key | sha256sum} */
	static final String NO_CRM_KEY_SHA256 = "54d85f561d6b6742e530aa68870e3242e01af3186c3af84013188f128862fef1";

	/** {@code printf %s test-partner-key | sha256sum} */
	static final String PARTNER_KEY_SHA256 = "5b00e4f12d5e18ca5eb49068451b332fa4e3a5bac9d23872599fc4849e5a26d9";

	/** {@code printf %s test-guest-key | sha256sum} */
	static final String GUEST_KEY_SHA256 = "2e64bb03514ec2589eb451ee2520f4aec97b939441af3ea9f1d2fd267ab3c109";

	/** {@code printf %s test-admin-key | sha256sum} */
	static final String ADMIN_KEY_SHA256 = "944650a7cd0f9e14d5c4fb15edbffb7fa45fb9ed36a4fa9be3d7e5476ae51bd9";

	/** {@code printf %s test-writer-key | sha256sum} */
	static final String WRITER_KEY_SHA256 = "61fb44fd7a10316d790cd0fe37044ed02bf2df77f3a0fec7789b72fb452da6ac";

	/** {@code printf %s test-reader-key | sha256sum} */
	static final String READER_KEY_SHA256 = "c84e0916ac2bc43a1821afb14a4daac8ecc1d16aa4f6bbb47e998f557074058b";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RestClient http;

	private final int port;

	public IngestApi(int port) {
		this.port = port;
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + port)
			.requestFactory(new JdkClientHttpRequestFactory(
					HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()))
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	/** A response; a JSON body is parsed ({@code body}), any other is only in {@code text}. */
	public record Response(int status, HttpHeaders headers, JsonNode body, String text) {

		public String header(String name) {
			return this.headers.getFirst(name);
		}

	}

	public Response upload(String apiKey, String kind, String filename, byte[] content) {
		return upload(apiKey, kind, filename, content, Map.of());
	}

	/** Posts the multipart form; {@code kind} or {@code content} {@code null} leaves that part out. */
	public Response upload(String apiKey, String kind, String filename, byte[] content, Map<String, String> fields) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		if (content != null) {
			// The client's Content-Type for the part is deliberately generic: ingest must not trust it anyway.
			form.part("file", new ByteArrayResource(content)).filename(filename)
				.contentType(MediaType.APPLICATION_OCTET_STREAM);
		}
		if (kind != null) {
			form.part("kind", kind);
		}
		fields.forEach(form::part);
		return exchange(this.http.post()
			.uri("/api/uploads")
			.headers((headers) -> apiKey(headers, apiKey))
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(form.build())
			.retrieve()
			.toEntity(String.class));
	}

	/** Uploads a file and answers its id; fails unless the upload was accepted (202). */
	public UUID uploaded(String apiKey, String kind, byte[] content, Map<String, String> fields) {
		Response accepted = upload(apiKey, kind, "file", content, fields);
		if (accepted.status() != 202) {
			throw new AssertionError("upload not accepted: " + accepted.status() + " " + accepted.text());
		}
		return UUID.fromString(accepted.body().path("id").asString());
	}

	public Response get(String apiKey, String path) {
		return exchange(this.http.get()
			.uri(path)
			.headers((headers) -> apiKey(headers, apiKey))
			.retrieve()
			.toEntity(String.class));
	}

	public Response post(String apiKey, String path) {
		return exchange(this.http.post()
			.uri(path)
			.headers((headers) -> apiKey(headers, apiKey))
			.retrieve()
			.toEntity(String.class));
	}

	public Response delete(String apiKey, String path) {
		return exchange(this.http.delete()
			.uri(path)
			.headers((headers) -> apiKey(headers, apiKey))
			.retrieve()
			.toEntity(String.class));
	}

	public Response postJson(String apiKey, String path, Object body) {
		return exchange(this.http.post()
			.uri(path)
			.headers((headers) -> apiKey(headers, apiKey))
			.contentType(MediaType.APPLICATION_JSON)
			.body(JSON.writeValueAsString(body))
			.retrieve()
			.toEntity(String.class));
	}

	/**
	 * Sends exactly this path (with its query, nothing encoded for it) and body, as a hostile client would.
	 * @param contentType {@code null} sends none
	 * @param body {@code null} sends none
	 */
	public Response raw(String method, String rawPath, String apiKey, String contentType, byte[] body) {
		return send(method, rawPath, apiKey, contentType, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
				: HttpRequest.BodyPublishers.noBody());
	}

	/** {@link #raw} with the body sent chunked, without a {@code Content-Length}. */
	public Response rawChunked(String method, String rawPath, String apiKey, String contentType, byte[] body) {
		return send(method, rawPath, apiKey, contentType,
				HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
	}

	private Response send(String method, String rawPath, String apiKey, String contentType,
			HttpRequest.BodyPublisher body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + rawPath))
			.method(method, body);
		if (apiKey != null && isToken(apiKey)) {
			request.header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
		}
		else if (apiKey != null) {
			request.header("X-Api-Key", apiKey);
		}
		if (contentType != null) {
			request.header(HttpHeaders.CONTENT_TYPE, contentType);
		}
		try (HttpClient client = HttpClient.newHttpClient()) {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			HttpHeaders headers = new HttpHeaders();
			response.headers().map().forEach(headers::addAll);
			return exchange(ResponseEntity.status(response.statusCode()).headers(headers).body(response.body()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** An API key as {@code X-Api-Key}; a JWT ({@link TestTokens}) as {@code Authorization: Bearer}. */
	private static void apiKey(HttpHeaders headers, String apiKey) {
		if (apiKey != null && isToken(apiKey)) {
			headers.setBearerAuth(apiKey);
		}
		else if (apiKey != null) {
			headers.set("X-Api-Key", apiKey);
		}
	}

	/** A JWT: three base64url parts, the header's JSON beginning {@code eyJ}. */
	private static boolean isToken(String credential) {
		return credential.startsWith("eyJ") && credential.chars().filter((c) -> c == '.').count() == 2;
	}

	private static Response exchange(ResponseEntity<String> entity) {
		String body = entity.getBody();
		MediaType type = entity.getHeaders().getContentType();
		boolean isJson = type != null && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
				|| type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON) || type.getSubtype().endsWith("+json"));
		JsonNode json = (isJson && body != null && !body.isBlank()) ? JSON.readTree(body) : JSON.missingNode();
		return new Response(entity.getStatusCode().value(), entity.getHeaders(), json, body);
	}

}
