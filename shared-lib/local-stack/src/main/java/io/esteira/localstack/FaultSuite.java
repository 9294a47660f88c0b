package io.esteira.localstack;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestHubSpot;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * The fault-injection suite: the local stack (four service processes) with its services behind a {@link
 * io.esteira.testkit.TcpProxy} each to PostgreSQL, SQS and S3, a stream of image and invoice uploads through the
 * public API, and one fault per scenario in the middle of the stream. A client whose upload is refused (a 5xx, a
 * connection refused) posts it again a second later, as a chatbot would. For each scenario it reports the uploads
 * accepted, those that ended as expected ({@code COMPLETED}), those lost (no terminal status within the timeout),
 * the duplicated effects (more or fewer than one task and one note per image in the HubSpot stand-in, than one set of
 * renditions in the output bucket, than the file's invoice rows in the invoice schema), what is left in the
 * dead-letter queues, and the time to recover: from the fault's end until every upload posted before it had ended.
 * Report: {@code <out>/faults.md}; exit code 1 when an upload was lost, ended otherwise than expected or had an
 * effect twice.
 */
public final class FaultSuite {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final AtomicInteger contacts = new AtomicInteger(900_000);

	private static final AtomicInteger invoiceNumbers = new AtomicInteger(800_000);

	/** Rows of the large invoice file of the database scenario. */
	static final int LARGE_FILE_ROWS = 200_000;

	private static final Set<String> RENDITIONS = Set.of("256.jpg", "1024.jpg");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Settings settings;

	private final LocalStack stack;

	private final HubSpotJournal journal;

	private final byte[] photo = Samples.aTwoMegapixelPhoto();

	private final StringBuilder report = new StringBuilder();

	private final List<String> failures = new ArrayList<>();

	private FaultSuite(Settings settings, LocalStack stack) {
		this.settings = settings;
		this.stack = stack;
		this.journal = new HubSpotJournal(stack.infrastructure().hubSpot().baseUrl());
	}

	/**
	 * How to run it.
	 *
	 * @param scenarios the scenarios' names, in order
	 * @param rate image uploads per second of the stream (an invoice file every five images)
	 */
	record Settings(List<String> scenarios, Path out, double rate, Duration timeout) {

		static Settings parse(String[] args) {
			List<String> scenarios = new ArrayList<>(Scenario.NAMES);
			Path out = Path.of("target", "faults");
			double rate = 2;
			Duration timeout = Duration.ofMinutes(5);
			for (String arg : args) {
				if (arg.startsWith("--out=")) {
					out = Path.of(arg.substring("--out=".length()));
				}
				else if (arg.startsWith("--rate=")) {
					rate = Math.max(0.2, Math.min(20, Double.parseDouble(arg.substring("--rate=".length()))));
				}
				else if (arg.startsWith("--timeout=")) {
					timeout = Duration.ofSeconds(Long.parseLong(arg.substring("--timeout=".length())));
				}
				else if (!arg.equals("all")) {
					scenarios = List.of(arg.split(","));
					for (String name : scenarios) {
						if (!Scenario.NAMES.contains(name)) {
							throw new IllegalArgumentException("No scenario " + name + "; there are " + Scenario.NAMES);
						}
					}
				}
			}
			return new Settings(scenarios, out, rate, timeout);
		}

	}

	/** One scenario: the stream runs {@code before}, then the fault (as long as it takes), then {@code after}. */
	record Scenario(String name, String fault, Duration before, Duration after) {

		static final List<String> NAMES = List.of("kill-image-processing", "kill-crm-sync", "kill-invoice",
				"kill-ingest", "database", "s3", "sqs", "crm", "slow-step");

		static Scenario named(String name) {
			return switch (name) {
				case "kill-image-processing", "kill-crm-sync", "kill-invoice", "kill-ingest" -> new Scenario(name,
						"`" + name.substring(5) + "` SIGKILLed in the middle of its steps, started again 5 s later",
						Duration.ofSeconds(10), Duration.ofSeconds(15));
				case "database" -> new Scenario(name, "PostgreSQL unreachable for 10 s (every connection reset, new "
						+ "ones refused) in the middle of a " + LARGE_FILE_ROWS + "-row import", Duration.ofSeconds(5),
						Duration.ofSeconds(15));
				case "s3" -> new Scenario(name, "S3 unreachable for 30 s", Duration.ofSeconds(10),
						Duration.ofSeconds(15));
				case "sqs" -> new Scenario(name, "SQS unreachable for 30 s", Duration.ofSeconds(10),
						Duration.ofSeconds(15));
				case "crm" -> new Scenario(name, "HubSpot answering 500 (20 s), then 429 (20 s), then nothing within "
						+ "the read timeout (20 s)", Duration.ofSeconds(10), Duration.ofSeconds(15));
				case "slow-step" -> new Scenario(name, "the images queue's visibility timeout at 1 s while 5 large "
						+ "PNGs (each decoded for longer) are in the stream: messages delivered again while their "
						+ "first attempt still runs", Duration.ofSeconds(5), Duration.ofSeconds(15));
				default -> throw new IllegalArgumentException(name);
			};
		}

	}

	/** One upload the stream posted and ingest accepted, and what to expect of it. */
	record Posted(UUID id, String kind, int invoiceRows, Instant postedAt, int refusals) {
	}

	public static void main(String[] args) {
		int exit;
		try {
			exit = run(Settings.parse(args));
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			exit = 2;
		}
		// The stand-ins keep non-daemon threads: exit, so that the shutdown hooks stop everything.
		System.exit(exit);
	}

	static int run(Settings settings) throws Exception {
		Files.createDirectories(settings.out());
		LocalStack stack = LocalStack.start(new LocalStack.Options(LocalStack.root(), settings.out().resolve("stack"),
				false, null)
			.withFaultProxies());
		FaultSuite suite = new FaultSuite(settings, stack);
		try {
			suite.runAll();
		}
		finally {
			stack.close();
		}
		return suite.failures.isEmpty() ? 0 : 1;
	}

	private void runAll() throws Exception {
		String started = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		line("## Fault suite, %s", started);
		line("");
		line("Machine: %d cores. The local stack: one process of each service (C1 only), ElasticMQ, S3Proxy and the "
				+ "HubSpot stand-in (WireMock); the services reach PostgreSQL, SQS and S3 through a TCP proxy each, "
				+ "which a scenario cuts (connections reset, new ones refused) and restores. Stream: %.1f 2 MP image "
				+ "uploads/s, each for its own CRM contact, and a 3-invoice JSON file every %d images; a refused "
				+ "upload is posted again a second later. Recovery: from the fault's end until every upload posted "
				+ "before it had ended.", Runtime.getRuntime().availableProcessors(), this.settings.rate(), 5);
		line("");
		line("| scenario | fault | uploads (images + invoice files) | refused, posted again | ended as expected | "
				+ "lost | duplicated effects | left in DLQs | recovery after the fault |");
		line("|---|---|---|---|---|---|---|---|---|");
		for (String name : this.settings.scenarios()) {
			runScenario(Scenario.named(name));
		}
		String text = this.report.toString();
		System.out.println();
		System.out.println(text);
		Files.writeString(this.settings.out().resolve("faults.md"), text, StandardCharsets.UTF_8);
		Files.writeString(this.settings.out().resolve("faults-" + started.replace(":", "") + ".md"), text,
				StandardCharsets.UTF_8);
		System.out.println("Written to " + this.settings.out().resolve("faults.md"));
		if (!this.failures.isEmpty()) {
			System.out.println("FAILED: " + String.join("; ", this.failures));
		}
	}

	private void runScenario(Scenario scenario) throws Exception {
		System.out.printf("%n=== %s: %s%n", scenario.name(), scenario.fault());
		this.journal.reset();
		List<Posted> posted = Collections.synchronizedList(new ArrayList<>());
		Stream stream = new Stream(posted);
		Thread streaming = Thread.ofPlatform().name("fault-stream").start(stream);
		sleep(scenario.before());
		Instant faultStart = Instant.now();
		inject(scenario, posted);
		Instant faultEnd = Instant.now();
		System.out.printf("  fault over after %d s%n", Duration.between(faultStart, faultEnd).toSeconds());
		sleep(scenario.after());
		stream.stop();
		streaming.join();
		stream.awaitPosts();
		List<Posted> accepted = List.copyOf(posted);
		Map<UUID, Ended> ended = awaitEnded(accepted);
		this.journal.awaitQuiet();
		awaitOwnersTold(accepted, ended);
		evaluate(scenario, accepted, ended, stream.refusals(), faultEnd);
	}

	/** Carries out the scenario's fault and returns when it is over (the faulty part is healed). */
	private void inject(Scenario scenario, List<Posted> posted) throws Exception {
		switch (scenario.name()) {
			case "kill-image-processing" -> killAndRestart(EsteiraService.IMAGE_PROCESSING);
			case "kill-crm-sync" -> killAndRestart(EsteiraService.CRM_SYNC);
			case "kill-invoice" -> killAndRestart(EsteiraService.INVOICE);
			case "kill-ingest" -> killAndRestart(EsteiraService.INGEST);
			case "database" -> {
				posted.add(postUntilAccepted("invoice", largeInvoiceFile(), "large.csv", LARGE_FILE_ROWS, null));
				awaitCopyRunning(Duration.ofSeconds(60));
				cut(LocalStack.Dependency.DATABASE, Duration.ofSeconds(10));
			}
			case "s3" -> cut(LocalStack.Dependency.S3, Duration.ofSeconds(30));
			case "sqs" -> cut(LocalStack.Dependency.SQS, Duration.ofSeconds(30));
			case "crm" -> crmFaults();
			case "slow-step" -> slowStep(posted);
			default -> throw new IllegalArgumentException(scenario.name());
		}
	}

	private void killAndRestart(EsteiraService service) {
		this.stack.kill(service);
		sleep(Duration.ofSeconds(5));
		this.stack.restart(service);
	}

	private void cut(LocalStack.Dependency dependency, Duration duration) {
		this.stack.proxy(dependency).cut();
		try {
			sleep(duration);
		}
		finally {
			this.stack.proxy(dependency).restore();
		}
	}

	/** Waits until the invoice service's {@code COPY} of the large file runs in PostgreSQL. */
	private void awaitCopyRunning(Duration atMost) throws SQLException {
		long deadline = System.nanoTime() + atMost.toNanos();
		try (Connection connection = database()) {
			while (System.nanoTime() < deadline) {
				try (PreparedStatement query = connection.prepareStatement("select count(*) from pg_stat_activity "
						+ "where state = 'active' and query ilike 'copy%invoices%'");
						ResultSet rows = query.executeQuery()) {
					rows.next();
					if (rows.getLong(1) > 0) {
						System.out.println("  the import's COPY runs: cutting PostgreSQL off");
						return;
					}
				}
				sleep(Duration.ofMillis(100));
			}
		}
		System.out.println("  no COPY seen within " + atMost + ": cutting PostgreSQL off anyway");
	}

	/** 500s, then 429s, then answers slower than crm-sync's read timeout: 20 s each. */
	private void crmFaults() {
		WireMockServer hubSpot = this.stack.infrastructure().hubSpot().server();
		List<com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder> answers = List.of(
				aResponse().withStatus(500).withBody("{\"status\":\"error\",\"message\":\"internal error\"}"),
				aResponse().withStatus(429)
					.withHeader("Content-Type", "application/json")
					.withBody("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
							+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"),
				aResponse().withStatus(200).withFixedDelay(15_000));
		for (var answer : answers) {
			StubMapping fault = hubSpot.stubFor(any(urlPathMatching(TestHubSpot.OBJECTS + ".*")).atPriority(1)
				.willReturn(answer));
			try {
				sleep(Duration.ofSeconds(20));
			}
			finally {
				hubSpot.removeStub(fault);
			}
		}
	}

	/** Five large PNGs while the images queue's visibility timeout is 1 s, for 20 s. */
	private void slowStep(List<Posted> posted) throws IOException {
		EsteiraInfrastructure infra = this.stack.infrastructure();
		String queue = infra.queueUrl(EsteiraInfrastructure.NAMES.queues().images());
		String visibility = infra.sqsClient()
			.getQueueAttributes((request) -> request.queueUrl(queue).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
			.attributes()
			.get(QueueAttributeName.VISIBILITY_TIMEOUT);
		byte[] large = largePng();
		infra.sqsClient()
			.setQueueAttributes((request) -> request.queueUrl(queue)
				.attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1")));
		try {
			for (int i = 0; i < 5; i++) {
				posted.add(postUntilAccepted("image", large, "large.png", 0, nextContact()));
			}
			sleep(Duration.ofSeconds(20));
		}
		finally {
			infra.sqsClient()
				.setQueueAttributes((request) -> request.queueUrl(queue)
					.attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, visibility)));
		}
	}

	/** A 6000×4000 PNG (gradients: a few MB, but 24 megapixels to decode). */
	static byte[] largePng() throws IOException {
		BufferedImage image = new BufferedImage(6000, 4000, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setPaint(new GradientPaint(0, 0, new Color(30, 90, 160), 6000, 4000, new Color(240, 200, 80)));
		graphics.fillRect(0, 0, 6000, 4000);
		graphics.setColor(new Color(200, 40, 40));
		for (int i = 0; i < 200; i++) {
			graphics.drawOval(i * 29, i * 19, 400, 300);
		}
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	/** A semicolon CSV of {@link #LARGE_FILE_ROWS} valid invoices (Brazilian spelling), numbered from a fresh range. */
	private static byte[] largeInvoiceFile() {
		int rows = LARGE_FILE_ROWS;
		int first = invoiceNumbers.getAndAdd(rows);
		String date = LocalDate.now().format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
		StringBuilder csv = new StringBuilder(rows * 48).append("numero;cliente;valor;data\n");
		for (int i = 0; i < rows; i++) {
			csv.append(first + i).append(";Cliente ").append(i % 997).append(" Ltda;").append(10 + i % 5000)
				.append(",50;").append(date).append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** The stream of uploads: an image every {@code 1/rate} s, an invoice file every fifth, until stopped. */
	private final class Stream implements Runnable {

		private final List<Posted> posted;

		private final List<Thread> posts = Collections.synchronizedList(new ArrayList<>());

		private final AtomicInteger refusals = new AtomicInteger();

		private volatile boolean stopped;

		Stream(List<Posted> posted) {
			this.posted = posted;
		}

		@Override
		public void run() {
			long period = (long) (1_000_000_000L / FaultSuite.this.settings.rate());
			long next = System.nanoTime();
			for (int i = 0; !this.stopped; i++) {
				boolean invoice = i % 5 == 4;
				this.posts.add(Thread.ofVirtual().start(() -> {
					Posted one = invoice
							? postUntilAccepted("invoice", Samples.invoices(invoiceNumbers.getAndAdd(3), LocalDate.now())
								.getBytes(StandardCharsets.UTF_8), "invoices.json", 3, null)
							: postUntilAccepted("image", FaultSuite.this.photo, "photo.jpg", 0, nextContact());
					if (one != null) {
						this.posted.add(one);
						this.refusals.addAndGet(one.refusals());
					}
				}));
				next += period;
				long wait = next - System.nanoTime();
				if (wait > 0) {
					sleep(Duration.ofNanos(wait));
				}
			}
		}

		void stop() {
			this.stopped = true;
		}

		void awaitPosts() throws InterruptedException {
			for (Thread post : List.copyOf(this.posts)) {
				post.join();
			}
		}

		int refusals() {
			return this.refusals.get();
		}

	}

	private static String nextContact() {
		return Integer.toString(contacts.incrementAndGet());
	}

	/**
	 * Posts the upload until ingest accepts it (a 5xx or no connection: again a second later, for two minutes).
	 * @return what was accepted; {@code null} if it never was (counted as a failure)
	 */
	private Posted postUntilAccepted(String kind, byte[] content, String filename, int invoiceRows, String contact) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("kind", kind);
		if (contact != null) {
			fields.put("crmContactId", contact);
		}
		Instant first = Instant.now();
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		int refusals = 0;
		String last = "";
		while (System.nanoTime() < deadline) {
			String boundary = "esteira-" + UUID.randomUUID();
			try {
				HttpResponse<String> response = this.http.send(HttpRequest
					.newBuilder(URI.create(this.stack.ingestUrl() + "/api/uploads"))
					.header("X-Api-Key", LocalStack.DEMO_API_KEY)
					.header("Content-Type", "multipart/form-data; boundary=" + boundary)
					.timeout(Duration.ofSeconds(60))
					.POST(HttpRequest.BodyPublishers.ofByteArray(Demo.multipart(boundary, fields, filename, content)))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 202) {
					return new Posted(UUID.fromString(JSON.readTree(response.body()).path("id").asString()), kind,
							invoiceRows, first, refusals);
				}
				last = response.statusCode() + " " + response.body();
				if (response.statusCode() < 500) {
					break;
				}
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			refusals++;
			sleep(Duration.ofSeconds(1));
		}
		synchronized (this.failures) {
			this.failures.add("a " + kind + " upload was never accepted (" + last + ")");
		}
		return null;
	}

	/** When an upload first had a terminal status, and which. */
	record Ended(UploadStatus status, Instant at) {
	}

	/** Polls each upload until it has a terminal status or the timeout passes. */
	private Map<UUID, Ended> awaitEnded(List<Posted> posted) {
		Map<UUID, Ended> ended = new HashMap<>();
		Set<UUID> waiting = new TreeSet<>();
		posted.forEach((p) -> waiting.add(p.id()));
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		while (!waiting.isEmpty() && System.nanoTime() < deadline) {
			for (UUID id : List.copyOf(waiting)) {
				JsonNode upload = getJson("/api/uploads/" + id);
				if (upload == null) {
					continue;
				}
				UploadStatus status = UploadStatus.valueOf(upload.path("status").asString());
				if (status.isTerminal()) {
					Instant at = Instant.parse(upload.path("updatedAt").asString());
					for (JsonNode step : upload.path("steps")) {
						String stepStatus = step.path("status").asString("");
						if (!stepStatus.isEmpty() && UploadStatus.valueOf(stepStatus).isTerminal()) {
							at = Instant.parse(step.path("occurredAt").asString());
							break;
						}
					}
					ended.put(id, new Ended(status, at));
					waiting.remove(id);
				}
			}
			if (!waiting.isEmpty()) {
				System.out.printf("  %d ended, %d waiting%n", ended.size(), waiting.size());
				sleep(Duration.ofSeconds(2));
			}
		}
		return ended;
	}

	/**
	 * Waits (at most 3 minutes) until every completed image has its task and its note: after a crash between creating
	 * one and storing its id, crm-sync looks for it again only once the claim is older than
	 * {@code esteira.crm.retry.claim-timeout} (2 min).
	 */
	private void awaitOwnersTold(List<Posted> posted, Map<UUID, Ended> ended) {
		List<UUID> images = posted.stream()
			.filter((p) -> p.kind().equals("image") && ended.containsKey(p.id())
					&& ended.get(p.id()).status() == UploadStatus.COMPLETED)
			.map(Posted::id)
			.toList();
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < deadline) {
			HubSpotJournal.Calls calls = this.journal.read();
			Map<UUID, Integer> tasks = calls.tasksPerUpload();
			Map<UUID, Integer> notes = calls.notesPerUpload();
			long missing = images.stream()
				.filter((id) -> !tasks.containsKey(id) || !notes.containsKey(id))
				.count();
			if (missing == 0) {
				return;
			}
			System.out.printf("  %d images without their task or note yet%n", missing);
			sleep(Duration.ofSeconds(5));
		}
	}


	private void evaluate(Scenario scenario, List<Posted> posted, Map<UUID, Ended> ended, int refusals,
			Instant faultEnd) throws SQLException {
		long images = posted.stream().filter((p) -> p.kind().equals("image")).count();
		long lost = posted.stream().filter((p) -> !ended.containsKey(p.id())).count();
		List<String> unexpected = new ArrayList<>();
		for (Posted one : posted) {
			Ended end = ended.get(one.id());
			if (end != null && end.status() != UploadStatus.COMPLETED) {
				unexpected.add(one.kind() + " " + one.id() + " " + end.status());
			}
		}
		List<String> duplicated = new ArrayList<>();
		HubSpotJournal.Calls calls = this.journal.read();
		Map<UUID, Integer> tasks = calls.tasksPerUpload();
		Map<UUID, Integer> notes = calls.notesPerUpload();
		Map<UUID, Long> rows = invoiceRows(posted);
		for (Posted one : posted) {
			if (!ended.containsKey(one.id())) {
				continue;
			}
			if (one.kind().equals("image")) {
				int task = tasks.getOrDefault(one.id(), 0);
				int note = notes.getOrDefault(one.id(), 0);
				if (task != 1 || note != 1) {
					duplicated.add("image " + one.id() + ": " + task + " tasks, " + note + " notes");
				}
				Set<String> renditions = renditions(one.id());
				if (!renditions.equals(RENDITIONS)) {
					duplicated.add("image " + one.id() + ": renditions " + renditions);
				}
			}
			else if (rows.getOrDefault(one.id(), 0L) != one.invoiceRows()) {
				duplicated.add("invoice file " + one.id() + ": " + rows.getOrDefault(one.id(), 0L) + " rows, "
						+ one.invoiceRows() + " expected");
			}
		}
		int deadLetters = deadLetters();
		Instant lastEnded = posted.stream()
			.filter((p) -> p.postedAt().isBefore(faultEnd) && ended.containsKey(p.id()))
			.map((p) -> ended.get(p.id()).at())
			.max(Instant::compareTo)
			.orElse(faultEnd);
		long recovery = Math.max(0, Duration.between(faultEnd, lastEnded).toMillis());
		long expected = posted.size() - lost - unexpected.size();
		line("| %s | %s | %d (%d + %d) | %d | %d | %d | %d | %d | %.1f s |", scenario.name(), scenario.fault(),
				posted.size(), images, posted.size() - images, refusals, expected, lost, duplicated.size(),
				deadLetters, recovery / 1000.0);
		if (lost > 0) {
			this.failures.add(scenario.name() + ": " + lost + " uploads lost");
		}
		if (!unexpected.isEmpty()) {
			this.failures.add(scenario.name() + ": not COMPLETED: " + abbreviate(unexpected));
		}
		if (!duplicated.isEmpty()) {
			this.failures.add(scenario.name() + ": " + abbreviate(duplicated));
		}
		System.out.printf("  %s: %d uploads, %d lost, %d not COMPLETED, %d duplicated, %d in DLQs, recovery %.1f s%n",
				scenario.name(), posted.size(), lost, unexpected.size(), duplicated.size(), deadLetters,
				recovery / 1000.0);
		purgeDeadLetters();
	}

	private static String abbreviate(List<String> items) {
		return String.join(", ", items.subList(0, Math.min(5, items.size())))
				+ ((items.size() > 5) ? " and " + (items.size() - 5) + " more" : "");
	}

	private Set<String> renditions(UUID uploadId) {
		Set<String> names = new TreeSet<>();
		for (S3Object object : this.stack.infrastructure()
			.s3Client()
			.listObjectsV2((request) -> request.bucket(EsteiraInfrastructure.NAMES.outputBucket())
				.prefix("thumbnails/" + uploadId + "/"))
			.contents()) {
			names.add(object.key().substring(object.key().lastIndexOf('/') + 1));
		}
		return names;
	}

	/** The invoice rows stored for each invoice upload, read from the invoice service's schema. */
	private Map<UUID, Long> invoiceRows(List<Posted> posted) throws SQLException {
		Map<UUID, Long> rows = new HashMap<>();
		List<UUID> ids = posted.stream().filter((p) -> p.kind().equals("invoice")).map(Posted::id).toList();
		if (ids.isEmpty()) {
			return rows;
		}
		try (Connection connection = database();
				PreparedStatement query = connection.prepareStatement(
						"select upload_id, count(*) from invoice.invoices where upload_id = any(?) group by upload_id")) {
			query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
			try (ResultSet result = query.executeQuery()) {
				while (result.next()) {
					rows.put(result.getObject(1, UUID.class), result.getLong(2));
				}
			}
		}
		return rows;
	}

	private Connection database() throws SQLException {
		var database = this.stack.infrastructure().database();
		return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
	}

	private int deadLetters() {
		EsteiraInfrastructure infra = this.stack.infrastructure();
		int total = 0;
		for (String queue : List.of("esteira-images", "esteira-invoices", "esteira-image-events", "esteira-status")) {
			Map<QueueAttributeName, String> attributes = infra.sqsClient()
				.getQueueAttributes((request) -> request.queueUrl(infra.deadLetterQueueUrl(queue))
					.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
							QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
				.attributes();
			total += attributes.values().stream().mapToInt(Integer::parseInt).sum();
		}
		return total;
	}

	private void purgeDeadLetters() {
		EsteiraInfrastructure infra = this.stack.infrastructure();
		for (String queue : List.of("esteira-images", "esteira-invoices", "esteira-image-events", "esteira-status")) {
			infra.sqsClient().purgeQueue((request) -> request.queueUrl(infra.deadLetterQueueUrl(queue)));
		}
	}

	/** {@code GET} on ingest; {@code null} when it does not answer (it may be the service that was killed). */
	private JsonNode getJson(String path) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create(this.stack.ingestUrl() + path))
				.header("X-Api-Key", LocalStack.DEMO_API_KEY)
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? JSON.readTree(response.body()) : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void line(String format, Object... args) {
		this.report.append(args.length == 0 ? format : format.formatted(args)).append('\n');
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
