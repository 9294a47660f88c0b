package io.esteira.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes a sample image and a sample invoice file through a running stack over its public APIs, as a chatbot would,
 * and reports what happened: both timelines, the thumbnail behind the CRM permalink, the CRM calls, the invoices.
 */
public final class Demo {

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private static final List<String> TERMINAL = List.of("COMPLETED", "COMPLETED_WITH_ERRORS", "NEEDS_REVIEW",
			"REJECTED", "FAILED");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String ingestUrl;

	private final String invoiceUrl;

	private final String apiKey;

	private final String hubSpotUrl;

	public Demo(String ingestUrl, String invoiceUrl, String apiKey, String hubSpotUrl) {
		this.ingestUrl = ingestUrl;
		this.invoiceUrl = invoiceUrl;
		this.apiKey = apiKey;
		this.hubSpotUrl = hubSpotUrl;
	}

	/** What the demo saw. */
	public record Result(JsonNode imageUpload, JsonNode invoiceUpload, int thumbnailStatus, byte[] thumbnail,
			JsonNode crmRequests, JsonNode invoices) {
	}

	public Result run(Path samples) {
		System.out.println("Demo: uploading a photo for CRM contact 123 and an invoice file…");
		String imageId = upload(samples.resolve("photo.jpg"), Map.of("kind", "image", "crmContactId", "123"));
		String invoiceId = upload(samples.resolve("invoices.json"), Map.of("kind", "invoice"));
		JsonNode image = awaitTerminal(imageId);
		JsonNode invoice = awaitTerminal(invoiceId);
		HttpResponse<byte[]> thumbnail = send(HttpRequest.newBuilder(URI.create(this.ingestUrl + "/files/" + imageId + "/256")),
				HttpResponse.BodyHandlers.ofByteArray(), true);
		JsonNode crm = JSON.readTree(send(HttpRequest.newBuilder(URI.create(this.hubSpotUrl + "/__admin/requests")),
				HttpResponse.BodyHandlers.ofString(), false).body());
		JsonNode invoices = JSON.readTree(send(withKey(URI.create(this.invoiceUrl + "/api/invoices?size=20&count=true")),
				HttpResponse.BodyHandlers.ofString(), false).body());
		printTimeline("image", image);
		printTimeline("invoice", invoice);
		System.out.printf("Thumbnail behind %s/files/%s/256: HTTP %d, %d bytes%n", this.ingestUrl, imageId,
				thumbnail.statusCode(), thumbnail.body().length);
		for (JsonNode request : crm.path("requests")) {
			JsonNode req = request.path("request");
			System.out.printf("CRM call received: %s %s %s%n", req.path("method").asString(), req.path("url").asString(),
					req.path("body").asString());
		}
		System.out.printf("Invoices through the REST API: %s%n", invoices.path("totalElements").asString());
		for (JsonNode row : invoices.path("content")) {
			System.out.printf("  %s  %s  %s %s%n", row.path("number").asString(), row.path("customer").asString(),
					row.path("amount").asString(), row.path("issueDate").asString());
		}
		return new Result(image, invoice, thumbnail.statusCode(), thumbnail.body(), crm, invoices);
	}

	/** How many invoices the invoice API lists. */
	public int invoiceCount() {
		return JSON.readTree(send(withKey(URI.create(this.invoiceUrl + "/api/invoices?size=1&count=true")),
				HttpResponse.BodyHandlers.ofString(), false).body()).path("totalElements").asInt();
	}

	String upload(Path file, Map<String, String> fields) {
		String boundary = "esteira-" + UUID.randomUUID();
		byte[] content;
		try {
			content = Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		HttpResponse<String> response = send(withKey(URI.create(this.ingestUrl + "/api/uploads"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers
				.ofByteArray(multipart(boundary, fields, file.getFileName().toString(), content))),
				HttpResponse.BodyHandlers.ofString(), false);
		if (response.statusCode() != 202) {
			throw new IllegalStateException("Upload of " + file + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		String id = JSON.readTree(response.body()).path("id").asString();
		System.out.printf("  %s -> upload %s%n", file.getFileName(), id);
		return id;
	}

	/** A {@code multipart/form-data} body: the fields, then the file as part {@code file}. */
	static byte[] multipart(String boundary, Map<String, String> fields, String filename, byte[] content) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (Map.Entry<String, String> field : fields.entrySet()) {
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
					+ "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
		}
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return body.toByteArray();
	}

	/** {@code POST /api/uploads/{id}/retry}: the answer's body (the run it started). */
	JsonNode retry(String id) {
		HttpResponse<String> response = send(withKey(URI.create(this.ingestUrl + "/api/uploads/" + id + "/retry"))
			.POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString(), false);
		if (response.statusCode() != 202) {
			throw new IllegalStateException("Retry of " + id + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		return JSON.readTree(response.body());
	}

	JsonNode awaitTerminal(String id) {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		JsonNode upload;
		do {
			upload = JSON.readTree(send(withKey(URI.create(this.ingestUrl + "/api/uploads/" + id)),
					HttpResponse.BodyHandlers.ofString(), false).body());
			if (TERMINAL.contains(upload.path("status").asString())) {
				return upload;
			}
			sleep();
		}
		while (System.nanoTime() < deadline);
		return upload;
	}

	private static void printTimeline(String label, JsonNode upload) {
		System.out.printf("%nTimeline of the %s upload %s: %s%n", label, upload.path("id").asString(),
				upload.path("status").asString());
		for (JsonNode step : upload.path("steps")) {
			System.out.printf("  %-25s %-18s %-10s %-22s %s%n", step.path("occurredAt").asString(),
					step.path("service").asString(), step.path("step").asString(), step.path("outcome").asString(),
					step.path("reason").asString(""));
		}
	}

	private HttpRequest.Builder withKey(URI uri) {
		return HttpRequest.newBuilder(uri).header("X-Api-Key", this.apiKey).timeout(Duration.ofSeconds(30));
	}

	private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler,
			boolean followRedirects) {
		HttpClient client = followRedirects
				? HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build() : this.http;
		try {
			return client.send(request.build(), handler);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(500);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
