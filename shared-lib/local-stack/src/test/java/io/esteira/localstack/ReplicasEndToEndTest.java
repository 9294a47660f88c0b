package io.esteira.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several replicas, proven: two processes of crm-sync and two of image-processing take a burst of image uploads,
 * each for its own contact, with HubSpot's account-wide limit set to 30 calls per 10 s so that it bites. Every
 * upload ends COMPLETED with one task and one note, and the HubSpot stand-in never sees more than the limit in any
 * 10 s window, whichever replica called.
 */
class ReplicasEndToEndTest {

	/** The account-wide limit crm-sync's replicas share ({@code esteira.crm.rate-limit.requests} per 10 s). */
	private static final int LIMIT = 30;

	private static final int UPLOADS = 60;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Under target/, not a temporary folder: the replicas' logs stay to be read when the test fails. */
	static Path work = Path.of("target", "replicas-end-to-end").toAbsolutePath();

	static LocalStack stack;

	@BeforeAll
	static void startTwoReplicasOfCrmSyncAndImageProcessing() {
		stack = LocalStack.start(new LocalStack.Options(LocalStack.root(), work, false, null)
			.withReplicas(Replicas.parse("crm-sync:2,image-processing:2"))
			.withProperty(EsteiraService.CRM_SYNC, "esteira.crm.rate-limit.requests", Integer.toString(LIMIT)));
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void aBurstEndsCompletedWithOneTaskAndOneNoteEachAndNeverMoreThanTheLimitPerWindow() throws Exception {
		assertThat(stack.url(EsteiraService.CRM_SYNC, 1)).isNotEqualTo(stack.url(EsteiraService.CRM_SYNC, 0));
		HubSpotJournal journal = new HubSpotJournal(stack.infrastructure().hubSpot().baseUrl());
		journal.reset(); // crm-sync's startup checks are not the burst's calls

		List<UUID> uploads = postBurst();
		assertThat(uploads).hasSize(UPLOADS).doesNotContainNull();

		// At 30 calls per 10 s and a few calls per upload, the burst takes a minute or two: bounded at three.
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> uploads.stream()
				.map(ReplicasEndToEndTest::status)
				.noneMatch(List.of("RECEIVED", "PROCESSING")::contains));
		assertThat(uploads).allSatisfy((id) -> assertThat(status(id)).as("upload %s", id).isEqualTo("COMPLETED"));
		// The owner is told (task, note) right after the sync commits: those calls may follow the status. Wait until
		// every upload has both, or nothing new has come for 20 s (at most 90 s).
		long[] last = { -1, System.nanoTime() };
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
			HubSpotJournal.Calls calls = journal.read();
			if (calls.total() != last[0]) {
				last[0] = calls.total();
				last[1] = System.nanoTime();
			}
			return (calls.tasksPerUpload().size() == UPLOADS && calls.notesPerUpload().size() == UPLOADS)
					|| System.nanoTime() - last[1] > Duration.ofSeconds(20).toNanos();
		});

		HubSpotJournal.Calls calls = journal.read();
		System.out.printf("HubSpot stand-in: %d calls for %d uploads, busiest 10 s window %d (limit %d), "
				+ "uploads with a task %d, with a note %d: %s%n", calls.total(), UPLOADS,
				calls.busiestWindow(HubSpotJournal.TEN_SECONDS), LIMIT, calls.tasksPerUpload().size(),
				calls.notesPerUpload().size(), calls.byEndpoint());
		// Every violation at once: the window, and each upload's task and note.
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(calls.busiestWindow(HubSpotJournal.TEN_SECONDS))
			.as("HubSpot calls in the busiest 10 s window")
			.isLessThanOrEqualTo(LIMIT);
		for (UUID id : uploads) {
			softly.assertThat(calls.tasksPerUpload().getOrDefault(id, 0)).as("tasks of upload %s", id).isEqualTo(1);
			softly.assertThat(calls.notesPerUpload().getOrDefault(id, 0)).as("notes of upload %s", id).isEqualTo(1);
		}
		softly.assertThat(calls.tasksPerUpload().keySet()).as("uploads with tasks").isSubsetOf(uploads);
		softly.assertThat(calls.notesPerUpload().keySet()).as("uploads with notes").isSubsetOf(uploads);
		softly.assertAll();
	}

	/** Posts the uploads, eight at a time, each for its own contact; returns their ids. */
	private static List<UUID> postBurst() throws Exception {
		byte[] photo = Samples.aTwoMegapixelPhoto();
		HttpClient http = HttpClient.newHttpClient();
		try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
			List<Future<UUID>> posted = new ArrayList<>();
			for (int i = 0; i < UPLOADS; i++) {
				String contact = Integer.toString(900_000 + i);
				posted.add(pool.submit(() -> {
					String boundary = "esteira-" + UUID.randomUUID();
					HttpResponse<String> response = http.send(HttpRequest
						.newBuilder(URI.create(stack.ingestUrl() + "/api/uploads"))
						.header("X-Api-Key", LocalStack.DEMO_API_KEY)
						.header("Content-Type", "multipart/form-data; boundary=" + boundary)
						.POST(HttpRequest.BodyPublishers.ofByteArray(Demo.multipart(boundary,
								Map.of("kind", "image", "crmContactId", contact), "photo.jpg", photo)))
						.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
					assertThat(response.statusCode()).as("upload: %s", response.body()).isEqualTo(202);
					return UUID.fromString(JSON.readTree(response.body()).path("id").asString());
				}));
			}
			List<UUID> ids = new ArrayList<>();
			for (Future<UUID> future : posted) {
				ids.add(future.get());
			}
			return ids;
		}
	}

	private static String status(UUID id) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/api/uploads/" + id))
					.header("X-Api-Key", LocalStack.DEMO_API_KEY)
					.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode upload = JSON.readTree(response.body());
			return upload.path("status").asString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
