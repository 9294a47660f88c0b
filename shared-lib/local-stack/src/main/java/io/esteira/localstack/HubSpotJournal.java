package io.esteira.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the HubSpot stand-in (WireMock, {@code TestHubSpot}) received, read over HTTP from its request journal
 * ({@code GET /__admin/requests}), so that it works against a stack in this JVM or another: every call with the time
 * WireMock logged it, the busiest rolling window, and the tasks and notes created per upload.
 * <p>
 * An upload's task or note is recognised by the marker crm-sync writes into its body ({@code esteira} and the
 * upload id's 32 hex digits) in a create call: the batch form
 * ({@code POST /crm/objects/<version>/tasks/batch/create}, one object per entry of {@code inputs}, body in
 * {@code properties.hs_task_body} or {@code hs_note_body}) or the single-object form
 * ({@code POST /crm/v3/objects/tasks}). Searches carry the marker too and are not counted.
 * <p>
 * The test kit's WireMock keeps every request (no {@code maxRequestJournalEntries}): the journal is complete, and
 * {@link #read()} fails if WireMock says it holds more than it returned. It also grows for as long as the stack runs:
 * a benchmark {@link #reset()}s it before each phase.
 */
public final class HubSpotJournal {

	/** HubSpot's rate-limit period (and {@code esteira.crm.rate-limit.period}'s default). */
	public static final Duration TEN_SECONDS = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern CREATE = Pattern
		.compile("^/crm/(?:v3/objects|objects/[^/]+)/(tasks|notes)(/batch/create)?/?$");

	private static final Pattern MARKER = Pattern.compile("esteira([0-9a-f]{32})");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	public HubSpotJournal(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/**
	 * One request WireMock received.
	 *
	 * @param loggedAt when WireMock logged it, epoch milliseconds
	 */
	public record Call(long loggedAt, String method, String url, String body) {
	}

	/** Every request in the journal now, oldest first. */
	public Calls read() {
		JsonNode journal = JSON.readTree(send(HttpRequest.newBuilder(URI.create(this.baseUrl + "/__admin/requests"))
			.timeout(Duration.ofSeconds(60))
			.GET()).body());
		List<Call> calls = new ArrayList<>();
		for (JsonNode event : journal.path("requests")) {
			JsonNode request = event.path("request");
			calls.add(new Call(request.path("loggedDate").asLong(), request.path("method").asString(),
					request.path("url").asString(), request.path("body").asString("")));
		}
		long total = journal.path("meta").path("total").asLong(calls.size());
		if (total != calls.size()) {
			throw new IllegalStateException("The HubSpot stand-in's journal holds " + total + " requests but returned "
					+ calls.size() + ": it is capped or paged, counts would be wrong");
		}
		calls.sort((a, b) -> Long.compare(a.loggedAt(), b.loggedAt()));
		return new Calls(calls);
	}

	/** How many requests the journal holds now (cheap: one entry is sent, and the total). */
	public long count() {
		JsonNode journal = JSON.readTree(
				send(HttpRequest.newBuilder(URI.create(this.baseUrl + "/__admin/requests?limit=1")).GET()).body());
		return journal.path("meta").path("total").asLong();
	}

	/**
	 * Waits until the journal has had nothing new for 3 s (at most 60 s): crm-sync tells the contact's owner (task,
	 * note) right after the upload's sync commits, so those calls may come after the upload's status.
	 */
	public void awaitQuiet() {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		long last = -1;
		int quiet = 0;
		while (quiet < 3 && System.nanoTime() < deadline) {
			long count = count();
			quiet = (count == last) ? quiet + 1 : 0;
			last = count;
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Empties the journal (the stubs stay): what {@link #read()} returns next starts now. */
	public void reset() {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(this.baseUrl + "/__admin/requests")).DELETE());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException("Reset of the HubSpot journal answered " + response.statusCode());
		}
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The calls of a journal, oldest first, and what they add up to. */
	public record Calls(List<Call> calls) {

		public int total() {
			return this.calls.size();
		}

		/** The most calls logged in any {@code [t, t + window)}. */
		public int busiestWindow(Duration window) {
			return busiest(this.calls.stream().mapToLong(Call::loggedAt).toArray(), window.toMillis());
		}

		/** Tasks created per upload (uploads with none are absent). */
		public Map<UUID, Integer> tasksPerUpload() {
			return created("tasks");
		}

		/** Notes created per upload (uploads with none are absent). */
		public Map<UUID, Integer> notesPerUpload() {
			return created("notes");
		}

		/** Calls per path without the query, e.g. {@code PATCH /crm/v3/objects/contacts/{id}}: 12. */
		public Map<String, Integer> byEndpoint() {
			Map<String, Integer> counts = new TreeMap<>();
			for (Call call : this.calls) {
				String path = call.url().replaceFirst("\\?.*$", "").replaceAll("/[0-9]+(?=/|$)", "/{id}");
				counts.merge(call.method() + " " + path, 1, Integer::sum);
			}
			return counts;
		}

		private Map<UUID, Integer> created(String objects) {
			Map<UUID, Integer> counts = new TreeMap<>();
			String property = objects.equals("tasks") ? "hs_task_body" : "hs_note_body";
			for (Call call : this.calls) {
				Matcher create = CREATE.matcher(call.url().replaceFirst("\\?.*$", ""));
				if (!"POST".equals(call.method()) || !create.matches() || !create.group(1).equals(objects)) {
					continue;
				}
				JsonNode body = JSON.readTree(call.body().isEmpty() ? "{}" : call.body());
				List<JsonNode> inputs = new ArrayList<>();
				if (create.group(2) != null) {
					body.path("inputs").forEach(inputs::add);
				}
				else {
					inputs.add(body);
				}
				for (JsonNode input : inputs) {
					Matcher marker = MARKER.matcher(input.path("properties").path(property).asString(""));
					if (marker.find()) {
						counts.merge(uuid(marker.group(1)), 1, Integer::sum);
					}
				}
			}
			return counts;
		}

	}

	/** The most of {@code times} (epoch ms, any order) in any {@code [t, t + windowMillis)}. */
	static int busiest(long[] times, long windowMillis) {
		long[] sorted = times.clone();
		Arrays.sort(sorted);
		int most = 0;
		int first = 0;
		for (int last = 0; last < sorted.length; last++) {
			while (sorted[last] - sorted[first] >= windowMillis) {
				first++;
			}
			most = Math.max(most, last - first + 1);
		}
		return most;
	}

	/** The upload id whose 32 hex digits (no dashes) the marker holds. */
	static UUID uuid(String hex) {
		return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
				+ hex.substring(16, 20) + "-" + hex.substring(20));
	}

	/** The marker crm-sync writes for an upload: {@code esteira} and the id's hex digits. */
	static String marker(UUID uploadId) {
		return "esteira" + uploadId.toString().replace("-", "");
	}

}
