package io.esteira.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.esteira.contracts.event.UploadStatus;
import io.esteira.testkit.EsteiraInfrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End-to-end load benchmark of the local stack: image uploads (a generated 2 MP JPEG, each for its own CRM contact)
 * and invoice files posted through ingest's API at a rate or as a burst, then, from the uploads' own timelines
 * ({@code received} to the first terminal status): completed uploads/s, p50/p90/p99, the count per status; from the
 * HubSpot stand-in's journal ({@link HubSpotJournal}): calls per upload, the busiest 10 s window, tasks and notes
 * per upload; from {@code /proc} ({@link ProcessCpu}): CPU ms per upload of every process. {@code bench/run.sh}
 * runs it; its header and {@code bench/README.md} describe the modes ({@code smoke}, {@code steady},
 * {@code burst}, {@code backlog}) and options. Starts a local stack in this JVM (random ports), or drives a running
 * one ({@code --ingest=URL --hubspot=URL}). Writes its report to {@code --out} (default
 * {@code shared-lib/local-stack/target/bench}); exits 1 when {@code smoke}'s checks fail.
 */
public final class LoadBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration POLL = Duration.ofSeconds(2);

	/** Uploads per second of the warm-up. */
	private static final int WARMUP_RATE = 5;

	/** Contact ids start here and never repeat within a run (phases included). */
	private static final AtomicInteger contacts = new AtomicInteger(700_000);

	private static final AtomicInteger invoiceNumbers = new AtomicInteger(500_000);

	private final Settings settings;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final byte[] photo = Samples.aTwoMegapixelPhoto();

	private final String ingestUrl;

	private final HubSpotJournal journal;

	private final LocalStack stack;

	private final StringBuilder report = new StringBuilder();

	private final List<String> failures = new ArrayList<>();

	private LoadBenchmark(Settings settings, String ingestUrl, String hubSpotUrl, LocalStack stack) {
		this.settings = settings;
		this.ingestUrl = ingestUrl;
		this.journal = new HubSpotJournal(hubSpotUrl);
		this.stack = stack;
	}

	/**
	 * What to run; every input bounded.
	 *
	 * @param mode {@code smoke}, {@code steady}, {@code burst} or {@code backlog}
	 * @param images image uploads (steady: rate × seconds)
	 * @param invoices invoice files, spread among the images
	 * @param rate uploads posted per second; 0 for as fast as ingest takes them
	 * @param concurrency uploads in flight at most
	 * @param backlog backlog mode's burst sizes
	 * @param timeout how long to wait for every upload of a phase to end
	 * @param idle seconds of idle CPU measured before a phase (0: none)
	 * @param replicas the stack's replicas, when this starts it
	 * @param crm Spring properties for crm-sync, when this starts the stack
	 * @param sameContact every image for contact 123 instead of one contact each
	 * @param warmup image uploads posted (at {@value #WARMUP_RATE}/s) and ended before measuring, not counted
	 * @param peakCompiler the services' JVMs compile as in the image (C1 then C2), else C1 only (quick to start)
	 * @param ingest a running stack's ingest URL, {@code null} to start one
	 * @param hubSpot a running stack's HubSpot stand-in URL
	 */
	record Settings(String mode, int images, int invoices, double rate, int concurrency, List<Integer> backlog,
			Duration timeout, int idle, Replicas replicas, Map<String, String> crm, boolean sameContact, int warmup,
			boolean peakCompiler, Path out, String ingest, String hubSpot) {

		static Settings parse(String[] args) {
			if (args.length == 0 || !List.of("smoke", "steady", "burst", "backlog").contains(args[0])) {
				throw new IllegalArgumentException("usage: LoadBenchmark smoke|steady|burst|backlog [--images=N] "
						+ "[--invoices=M] [--rate=R] [--seconds=S] [--concurrency=C] [--sizes=1,10,100] "
						+ "[--replicas=SPEC] [--crm=key=value]... [--timeout=S] [--idle=S] [--same-contact] "
						+ "[--warmup=N] [--compiler=peak|quick] "
						+ "[--ingest=URL --hubspot=URL] [--out=DIR]");
			}
			String mode = args[0];
			Map<String, String> options = new LinkedHashMap<>();
			Map<String, String> crm = new LinkedHashMap<>();
			for (int i = 1; i < args.length; i++) {
				String arg = args[i];
				if (!arg.startsWith("--")) {
					throw new IllegalArgumentException("Not an option: " + arg);
				}
				int equals = arg.indexOf('=');
				String name = (equals < 0) ? arg.substring(2) : arg.substring(2, equals);
				String value = (equals < 0) ? "true" : arg.substring(equals + 1);
				if (name.equals("crm")) {
					int split = value.indexOf('=');
					if (split < 1) {
						throw new IllegalArgumentException("--crm=key=value, got " + arg);
					}
					crm.put(value.substring(0, split), value.substring(split + 1));
				}
				else {
					options.put(name, value);
				}
			}
			double rate = number(options, "rate", switch (mode) {
				case "steady" -> 5;
				default -> 0;
			}, 0, 50);
			int seconds = (int) number(options, "seconds", 120, 1, 1800);
			int images = (int) number(options, "images", switch (mode) {
				case "smoke" -> 5;
				case "steady" -> Math.max(1, (int) Math.round(rate * seconds));
				case "burst" -> 1000;
				default -> 0;
			}, 0, 5000);
			int invoices = (int) number(options, "invoices", mode.equals("smoke") ? 1 : 0, 0, 1000);
			int timeout = (int) number(options, "timeout", switch (mode) {
				case "smoke" -> 90;
				case "steady" -> (int) Math.ceil((images + invoices) / Math.max(rate, 0.1)) + 180;
				default -> 600;
			}, 10, 3600);
			List<Integer> sizes = new ArrayList<>();
			for (String size : options.getOrDefault("sizes", "1,10,100").split(",")) {
				sizes.add((int) number(Map.of("sizes", size.strip()), "sizes", 1, 1, 1000));
			}
			Replicas replicas = Replicas.parse(options.getOrDefault("replicas", mode.equals("burst") ? "crm-sync:2" : "1"));
			String ingest = options.get("ingest");
			String hubSpot = options.get("hubspot");
			if ((ingest == null) != (hubSpot == null)) {
				throw new IllegalArgumentException("--ingest and --hubspot go together (a running stack's URLs)");
			}
			String compiler = options.getOrDefault("compiler", mode.equals("smoke") ? "quick" : "peak");
			if (!List.of("peak", "quick").contains(compiler)) {
				throw new IllegalArgumentException("--compiler=peak|quick, got " + compiler);
			}
			return new Settings(mode, images, invoices, rate, (int) number(options, "concurrency", 8, 1, 32), sizes,
					Duration.ofSeconds(timeout), (int) number(options, "idle", mode.equals("smoke") ? 0 : 10, 0, 120),
					replicas, crm, options.containsKey("same-contact"),
					(int) number(options, "warmup", mode.equals("smoke") ? 0 : 200, 0, 1000), compiler.equals("peak"),
					Path.of(options.getOrDefault("out", "shared-lib/local-stack/target/bench")), ingest, hubSpot);
		}

		private static double number(Map<String, String> options, String name, double fallback, double min,
				double max) {
			String text = options.get(name);
			double value;
			try {
				value = (text != null) ? Double.parseDouble(text) : fallback;
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--" + name + ": not a number: " + text, ex);
			}
			if (value < min || value > max) {
				throw new IllegalArgumentException("--" + name + "=" + text + " is not within " + min + ".." + max);
			}
			return value;
		}

	}

	/** One upload posted: its id (null if ingest refused it), kind, contact, HTTP status of the post. */
	record Posted(UUID id, String kind, String contact, int httpStatus) {
	}

	/**
	 * One upload as its timeline tells it.
	 *
	 * @param received when ingest recorded it ({@code received} step, else its creation)
	 * @param ended when its first terminal status was recorded, {@code null} if it has none
	 * @param steps each step ({@code service step}) of its timeline, at its first occurrence, in order
	 */
	record Outcome(UUID id, String kind, UploadStatus status, Instant received, Instant ended,
			Map<String, Instant> steps) {

		long millis() {
			return Duration.between(this.received, this.ended).toMillis();
		}

	}

	/** What a phase measured. */
	record Phase(List<Posted> posted, List<Outcome> outcomes, HubSpotJournal.Calls calls, double postSeconds,
			Map<String, Long> cpu, Map<String, Double> idlePerSecond) {

		long images() {
			return this.posted.stream().filter((posted) -> posted.kind().equals("image")).count();
		}

		/** HubSpot calls made for uploads: all but crm-sync's startup check of the photo property. */
		long uploadCalls() {
			return this.calls.calls()
				.stream()
				.filter((call) -> !call.url().startsWith("/crm/v3/properties/"))
				.count();
		}

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
		LocalStack stack = null;
		String ingest = settings.ingest();
		String hubSpot = settings.hubSpot();
		if (ingest == null) {
			LocalStack.Options options = new LocalStack.Options(LocalStack.root(), settings.out().resolve("stack"),
					false, null)
				.withReplicas(settings.replicas());
			if (settings.peakCompiler()) {
				options = options.withPeakCompiler();
			}
			for (Map.Entry<String, String> property : settings.crm().entrySet()) {
				options = options.withProperty(EsteiraService.CRM_SYNC, property.getKey(), property.getValue());
			}
			stack = LocalStack.start(options);
			ingest = stack.ingestUrl();
			hubSpot = stack.infrastructure().hubSpot().baseUrl();
		}
		LoadBenchmark benchmark = new LoadBenchmark(settings, ingest, hubSpot, stack);
		try {
			benchmark.run();
		}
		finally {
			if (stack != null) {
				stack.close();
			}
		}
		return benchmark.failures.isEmpty() ? 0 : 1;
	}

	private void run() throws IOException {
		String started = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		line("## %s, %s", this.settings.mode(), started);
		line("");
		line("Machine: %d cores, load average %.2f at the start; stack %s, replicas %s%s.",
				Runtime.getRuntime().availableProcessors(),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				(this.stack != null) ? "started by the benchmark in its JVM" : "running at " + this.ingestUrl,
				(this.stack != null) ? this.stack.replicas() : "(as started)",
				this.settings.crm().isEmpty() ? "" : ", crm-sync " + this.settings.crm());
		line("Image: %d×%d JPEG, %d KB, the same bytes for every upload; %s.", 1600, 1250, this.photo.length / 1024,
				this.settings.sameContact() ? "every image for contact 123" : "one CRM contact per upload");
		if (this.stack != null) {
			line("Services' JVMs: `-XX:+UseSerialGC -Xss512k -Xmx384m`%s.", this.settings.peakCompiler()
					? ", compiling as in the image (C1 then C2)" : " `-XX:TieredStopAtLevel=1` (C1 only: quick to start)");
		}
		warmUp();
		line("");
		if (this.settings.mode().equals("backlog")) {
			backlog();
		}
		else {
			Phase phase = phase(this.settings.images(), this.settings.invoices(), this.settings.rate(),
					this.settings.idle(), null);
			describe(phase);
			if (this.settings.mode().equals("smoke")) {
				check(phase);
			}
		}
		String text = this.report.toString();
		System.out.println();
		System.out.println(text);
		Files.writeString(this.settings.out().resolve(this.settings.mode() + ".md"), text, StandardCharsets.UTF_8);
		Files.writeString(this.settings.out().resolve(this.settings.mode() + "-" + started.replace(":", "") + ".md"),
				text, StandardCharsets.UTF_8);
		System.out.println("Written to " + this.settings.out().resolve(this.settings.mode() + ".md"));
		if (!this.failures.isEmpty()) {
			System.out.println("FAILED: " + String.join("; ", this.failures));
		}
	}

	/**
	 * Posts {@code warmup} image uploads and waits for them to end and for HubSpot's journal to go quiet: what is
	 * measured next runs on compiled code, as a service that has been up for a while does.
	 */
	private void warmUp() {
		int uploads = this.settings.warmup();
		if (uploads == 0) {
			return;
		}
		System.out.printf("Warming up: %d image uploads at %d/s…%n", uploads, WARMUP_RATE);
		long start = System.nanoTime();
		Instant since = Instant.now().minusSeconds(60);
		List<Posted> posted = post(uploads, 0, WARMUP_RATE);
		Set<UUID> ended = awaitEnded(posted, since);
		this.journal.awaitQuiet();
		line("Warm-up: %d image uploads at %d/s, %d ended, in %d s before measuring; not counted below.", uploads,
				WARMUP_RATE, ended.size(), (System.nanoTime() - start) / 1_000_000_000);
	}

	/**
	 * Posts the uploads, waits until each has ended (or the timeout) and for the HubSpot journal to go quiet, then
	 * reads the timelines and the journal. {@code beforeWait} runs once everything is posted (backlog mode restarts
	 * crm-sync there).
	 */
	private Phase phase(int images, int invoices, double rate, int idleSeconds, Runnable beforeWait) {
		this.journal.reset();
		Map<String, Long> pids = ProcessCpu.localStack(hubSpotUrl());
		Map<String, Double> idle = new LinkedHashMap<>();
		if (idleSeconds > 0 && !pids.isEmpty()) {
			System.out.printf("Measuring idle CPU for %d s…%n", idleSeconds);
			Map<String, Long> before = ProcessCpu.sample(pids);
			long start = System.nanoTime();
			sleep(Duration.ofSeconds(idleSeconds));
			double seconds = (System.nanoTime() - start) / 1e9;
			ProcessCpu.sample(pids).forEach((label, after) -> idle.put(label, (after - before.get(label)) / seconds));
		}
		Map<String, Long> cpuBefore = ProcessCpu.sample(pids);
		System.out.printf("Posting %d image uploads and %d invoice files %s…%n", images, invoices,
				(rate > 0) ? "at " + rate + "/s" : "as fast as ingest takes them (" + this.settings.concurrency()
						+ " in flight)");
		long postStart = System.nanoTime();
		Instant since = Instant.now().minusSeconds(60);
		List<Posted> posted = post(images, invoices, rate);
		double postSeconds = (System.nanoTime() - postStart) / 1e9;
		if (beforeWait != null) {
			beforeWait.run();
		}
		Set<UUID> ended = awaitEnded(posted, since);
		Map<String, Long> cpu = new LinkedHashMap<>();
		ProcessCpu.sample(pids).forEach((label, after) -> cpu.put(label, after - cpuBefore.get(label)));
		System.out.printf("%d of %d uploads ended; waiting for the HubSpot journal to go quiet…%n", ended.size(),
				posted.stream().filter((p) -> p.id() != null).count());
		this.journal.awaitQuiet();
		List<Outcome> outcomes = outcomes(posted);
		return new Phase(posted, outcomes, this.journal.read(), postSeconds, cpu, idle);
	}

	private String hubSpotUrl() {
		return (this.stack != null) ? this.stack.infrastructure().hubSpot().baseUrl() : this.settings.hubSpot();
	}

	private List<Posted> post(int images, int invoices, double rate) {
		int total = images + invoices;
		List<String> kinds = new ArrayList<>(Collections.nCopies(total, "image"));
		for (int j = 0; j < invoices; j++) {
			// spread evenly among the images
			kinds.set((int) ((j + 0.5) * total / invoices), "invoice");
		}
		List<Posted> posted = Collections.synchronizedList(new ArrayList<>());
		Semaphore inFlight = new Semaphore(this.settings.concurrency());
		long start = System.nanoTime();
		try (ExecutorService pool = Executors.newFixedThreadPool(this.settings.concurrency())) {
			for (int i = 0; i < total; i++) {
				if (rate > 0) {
					long due = start + (long) (i * 1e9 / rate);
					long wait = due - System.nanoTime();
					if (wait > 0) {
						sleep(Duration.ofNanos(wait));
					}
				}
				acquire(inFlight);
				String kind = kinds.get(i);
				pool.execute(() -> {
					try {
						posted.add(postOne(kind));
					}
					finally {
						inFlight.release();
					}
				});
			}
		}
		return new ArrayList<>(posted);
	}

	private Posted postOne(String kind) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("kind", kind);
		String contact = null;
		byte[] content;
		String filename;
		if (kind.equals("image")) {
			contact = this.settings.sameContact() ? "123" : Integer.toString(contacts.incrementAndGet());
			fields.put("crmContactId", contact);
			content = this.photo;
			filename = "photo.jpg";
		}
		else {
			content = Samples.invoices(invoiceNumbers.getAndAdd(3), LocalDate.now())
				.getBytes(StandardCharsets.UTF_8);
			filename = "invoices.json";
		}
		String boundary = "esteira-" + UUID.randomUUID();
		try {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create(this.ingestUrl + "/api/uploads"))
				.header("X-Api-Key", LocalStack.DEMO_API_KEY)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.timeout(Duration.ofSeconds(60))
				.POST(HttpRequest.BodyPublishers.ofByteArray(Demo.multipart(boundary, fields, filename, content)))
				.build(), HttpResponse.BodyHandlers.ofString());
			UUID id = (response.statusCode() == 202)
					? UUID.fromString(JSON.readTree(response.body()).path("id").asString()) : null;
			return new Posted(id, kind, contact, response.statusCode());
		}
		catch (IOException ex) {
			return new Posted(null, kind, contact, -1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Polls ingest's listing ({@code GET /api/uploads?from=…}, 100 a page: ten requests every two seconds for a
	 * thousand uploads) until every posted upload has a terminal status or the timeout passes; returns those that
	 * ended.
	 */
	private Set<UUID> awaitEnded(List<Posted> posted, Instant from) {
		Set<UUID> waiting = new HashSet<>();
		posted.stream().filter((p) -> p.id() != null).forEach((p) -> waiting.add(p.id()));
		Set<UUID> ended = new HashSet<>();
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		long lastPrint = 0;
		while (!waiting.isEmpty() && System.nanoTime() < deadline) {
			String cursor = null;
			do {
				JsonNode page = getJson("/api/uploads?limit=100&from=" + from
						+ ((cursor != null) ? "&cursor=" + cursor : ""));
				for (JsonNode item : page.path("items")) {
					UUID id = UUID.fromString(item.path("id").asString());
					if (waiting.contains(id) && UploadStatus.valueOf(item.path("status").asString()).isTerminal()) {
						waiting.remove(id);
						ended.add(id);
					}
				}
				cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString(null);
			}
			while (cursor != null && !waiting.isEmpty());
			if (System.nanoTime() - lastPrint > 10_000_000_000L) {
				System.out.printf("  %d ended, %d waiting%n", ended.size(), waiting.size());
				lastPrint = System.nanoTime();
			}
			if (!waiting.isEmpty()) {
				sleep(POLL);
			}
		}
		return ended;
	}


	/** Each upload's timeline, read once it has ended: the {@code received} step and the first terminal status. */
	private List<Outcome> outcomes(List<Posted> posted) {
		List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
		try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, this.settings.concurrency()))) {
			for (Posted one : posted) {
				if (one.id() == null) {
					continue;
				}
				pool.execute(() -> {
					JsonNode upload = getJson("/api/uploads/" + one.id());
					UploadStatus status = UploadStatus.valueOf(upload.path("status").asString());
					Instant received = Instant.parse(upload.path("createdAt").asString());
					Instant ended = null;
					Map<String, Instant> steps = new LinkedHashMap<>();
					for (JsonNode step : upload.path("steps")) {
						steps.putIfAbsent(step.path("service").asString() + " " + step.path("step").asString(),
								Instant.parse(step.path("occurredAt").asString()));
						if (step.path("service").asString().equals("ingest")
								&& step.path("step").asString().equals("received")) {
							received = Instant.parse(step.path("occurredAt").asString());
						}
						String stepStatus = step.path("status").asString("");
						if (ended == null && !stepStatus.isEmpty() && UploadStatus.valueOf(stepStatus).isTerminal()) {
							ended = Instant.parse(step.path("occurredAt").asString());
						}
					}
					if (ended == null && status.isTerminal()) {
						ended = Instant.parse(upload.path("updatedAt").asString());
					}
					outcomes.add(new Outcome(one.id(), one.kind(), status, received, ended, steps));
				});
			}
		}
		return new ArrayList<>(outcomes);
	}

	private void backlog() {
		line("Backlog: for each size, the uploads' image events are left queued for crm-sync, then crm-sync takes");
		line("them all at once. %s", (this.stack != null)
				? "crm-sync is stopped (killed) before the burst is posted and started again once the image-events "
						+ "queue holds them all, so the whole burst is queued when it starts."
				: "Against a running stack crm-sync cannot be stopped from here: the burst is posted as fast as "
						+ "ingest takes it and crm-sync sees it arrive over image-processing's time, not as a backlog.");
		line("");
		line("| queued | uploads | ended COMPLETED | HubSpot calls | calls per upload | busiest 10 s | tasks 1 each | "
				+ "notes 1 each | p50 ms | p99 ms |");
		line("|---|---|---|---|---|---|---|---|---|---|");
		for (int size : this.settings.backlog()) {
			Runnable restart = null;
			if (this.stack != null) {
				this.stack.kill(EsteiraService.CRM_SYNC);
				restart = () -> {
					awaitQueued(size);
					System.out.println("Starting crm-sync again…");
					this.stack.restart(EsteiraService.CRM_SYNC);
				};
			}
			Phase phase = phase(size, 0, 0, 0, restart);
			List<Long> millis = latencies(phase, "image");
			line("| %d | %d | %d | %d | %.2f | %d | %s | %s | %s | %s |", size, phase.images(),
					count(phase, "image", UploadStatus.COMPLETED), phase.uploadCalls(),
					(double) phase.uploadCalls() / Math.max(1, phase.images()),
					phase.calls().busiestWindow(HubSpotJournal.TEN_SECONDS),
					exactlyOne(phase, phase.calls().tasksPerUpload()), exactlyOne(phase, phase.calls().notesPerUpload()),
					percentile(millis, 50), percentile(millis, 99));
			System.out.println(this.report.substring(this.report.lastIndexOf("\n| " + size + " |") + 1));
		}
		line("");
		line("Calls counted: every request the stand-in logged during the phase but crm-sync's startup check of the "
				+ "photo property (`GET /crm/v3/properties/...`).");
	}

	private void awaitQueued(int size) {
		EsteiraInfrastructure infra = this.stack.infrastructure();
		String queue = infra.queueUrl(EsteiraInfrastructure.NAMES.queues().imageEvents());
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		while (System.nanoTime() < deadline) {
			String queued = infra.sqsClient()
				.getQueueAttributes((request) -> request.queueUrl(queue)
					.attributeNamesWithStrings("ApproximateNumberOfMessages"))
				.attributesAsStrings()
				.get("ApproximateNumberOfMessages");
			if (Integer.parseInt(queued) >= size) {
				System.out.printf("%s image events queued%n", queued);
				return;
			}
			sleep(Duration.ofMillis(500));
		}
		System.out.println("Not every image event was queued before the timeout; starting crm-sync anyway");
	}

	/** The report of a steady, burst or smoke phase. */
	private void describe(Phase phase) {
		long refused = phase.posted().stream().filter((p) -> p.id() == null).count();
		long uploads = phase.posted().size();
		line("Input: %d image uploads, %d invoice files, %s; posted in %.1f s (%.1f/s)%s.", phase.images(),
				uploads - phase.images(),
				(this.settings.rate() > 0) ? "offered at " + this.settings.rate() + "/s"
						: "a burst, " + this.settings.concurrency() + " in flight",
				phase.postSeconds(), uploads / Math.max(phase.postSeconds(), 0.001),
				(refused > 0) ? "; " + refused + " refused by ingest " + refusals(phase) : "");
		line("");
		line("| uploads | count | per status | not ended | completed/s | p50 ms | p90 ms | p99 ms | max ms |");
		line("|---|---|---|---|---|---|---|---|---|");
		for (String kind : List.of("image", "invoice")) {
			List<Outcome> outcomes = phase.outcomes().stream().filter((o) -> o.kind().equals(kind)).toList();
			if (outcomes.isEmpty()) {
				continue;
			}
			Map<UploadStatus, Integer> statuses = new EnumMap<>(UploadStatus.class);
			outcomes.forEach((o) -> statuses.merge(o.status(), 1, Integer::sum));
			List<Long> millis = latencies(phase, kind);
			long notEnded = outcomes.stream().filter((o) -> o.ended() == null).count();
			line("| %s | %d | %s | %d | %s | %s | %s | %s | %s |", kind, outcomes.size(), statuses, notEnded,
					completedPerSecond(outcomes), percentile(millis, 50), percentile(millis, 90),
					percentile(millis, 99), percentile(millis, 100));
		}
		line("");
		line("Latency: from the upload's `received` step to its first terminal status, both as its timeline "
				+ "records them; completed/s: COMPLETED uploads over the span from the first `received` to the last "
				+ "terminal status.");
		line("");
		stepTimes(phase);
		HubSpotJournal.Calls calls = phase.calls();
		line("| HubSpot stand-in | |");
		line("|---|---|");
		line("| calls | %d (%d for uploads) |", calls.total(), phase.uploadCalls());
		line("| calls per image upload | %.2f |", (double) phase.uploadCalls() / Math.max(1, phase.images()));
		line("| busiest 10 s window | %d calls |", calls.busiestWindow(HubSpotJournal.TEN_SECONDS));
		line("| tasks created | %s |", perUpload(phase, calls.tasksPerUpload()));
		line("| notes created | %s |", perUpload(phase, calls.notesPerUpload()));
		calls.byEndpoint().forEach((endpoint, count) -> line("| `%s` | %d |", endpoint, count));
		line("");
		if (phase.cpu().isEmpty()) {
			line("CPU: no process of the stack found in /proc.");
			return;
		}
		line("| process | CPU ms | ms per upload | idle ms/s before |");
		line("|---|---|---|---|");
		Map<String, Long> perService = new TreeMap<>();
		phase.cpu().forEach((label, millis) -> {
			line("| %s | %d | %.1f | %s |", label, millis, (double) millis / Math.max(1, uploads),
					phase.idlePerSecond().containsKey(label) ? "%.1f".formatted(phase.idlePerSecond().get(label)) : "");
			String service = label.replaceFirst("-\\d+$", "");
			if (!service.equals(label)) {
				perService.merge(service, millis, Long::sum);
			}
		});
		perService.forEach((service, millis) -> line("| **%s, all replicas** | %d | **%.1f** | |", service, millis,
				(double) millis / Math.max(1, uploads)));
		line("");
		line("CPU: utime + stime from /proc/<pid>/stat before and after the phase (posting to the last upload's end), "
				+ "%d ticks/s; per upload = over all %d uploads. The local-stack JVM runs ElasticMQ, WireMock, the S3 "
				+ "event bridge%s; S3Proxy is its child process.", ProcessCpu.clockTicks(), uploads,
				(this.stack != null) ? " and this benchmark's client (posting, polling, reading timelines)" : "");
	}

	/** smoke: every upload ended, none FAILED, the HubSpot journal is not empty. */
	private void check(Phase phase) {
		long refused = phase.posted().stream().filter((p) -> p.id() == null).count();
		if (refused > 0) {
			this.failures.add(refused + " uploads refused by ingest " + refusals(phase));
		}
		long notEnded = phase.outcomes().stream().filter((o) -> !o.status().isTerminal()).count();
		if (notEnded > 0) {
			this.failures.add(notEnded + " uploads not ended within " + this.settings.timeout());
		}
		long failed = phase.outcomes().stream().filter((o) -> o.status() == UploadStatus.FAILED).count();
		if (failed > 0) {
			this.failures.add(failed + " uploads FAILED");
		}
		if (phase.calls().total() == 0 && phase.images() > 0) {
			this.failures.add("the HubSpot journal is empty");
		}
		line("Smoke checks: %s", this.failures.isEmpty() ? "passed (every upload ended, none FAILED, HubSpot called)"
				: "FAILED: " + String.join("; ", this.failures));
	}

	private static String refusals(Phase phase) {
		Map<Integer, Integer> codes = new TreeMap<>();
		phase.posted().stream().filter((p) -> p.id() == null).forEach((p) -> codes.merge(p.httpStatus(), 1, Integer::sum));
		return "(HTTP status: count " + codes + ")";
	}

	private static long count(Phase phase, String kind, UploadStatus status) {
		return phase.outcomes().stream().filter((o) -> o.kind().equals(kind) && o.status() == status).count();
	}

	/**
	 * Where an image upload's time goes: each step of the timelines, in the order of its median, with the time from
	 * {@code received} to its first occurrence.
	 */
	private void stepTimes(Phase phase) {
		Map<String, List<Long>> sinceReceived = new LinkedHashMap<>();
		phase.outcomes()
			.stream()
			.filter((o) -> o.kind().equals("image") && o.status() == UploadStatus.COMPLETED)
			.forEach((o) -> o.steps()
				.forEach((step, at) -> sinceReceived.computeIfAbsent(step, (key) -> new ArrayList<>())
					.add(Duration.between(o.received(), at).toMillis())));
		if (sinceReceived.isEmpty()) {
			return;
		}
		sinceReceived.values().forEach(Collections::sort);
		line("| completed image uploads: step | p50 ms after received | p90 ms | p99 ms |");
		line("|---|---|---|---|");
		sinceReceived.entrySet()
			.stream()
			.sorted(Comparator.comparingLong((e) -> Long.parseLong(percentile(e.getValue(), 50))))
			.forEach((e) -> line("| %s | %s | %s | %s |", e.getKey(), percentile(e.getValue(), 50),
					percentile(e.getValue(), 90), percentile(e.getValue(), 99)));
		line("");
	}

	private static List<Long> latencies(Phase phase, String kind) {
		return phase.outcomes()
			.stream()
			.filter((o) -> o.kind().equals(kind) && o.ended() != null)
			.map(Outcome::millis)
			.sorted()
			.toList();
	}

	/** Nearest-rank percentile of sorted values, {@code -} when there are none. */
	static String percentile(List<Long> sorted, int p) {
		if (sorted.isEmpty()) {
			return "-";
		}
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return Long.toString(sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1)));
	}

	private static String completedPerSecond(List<Outcome> outcomes) {
		List<Outcome> completed = outcomes.stream().filter((o) -> o.status() == UploadStatus.COMPLETED).toList();
		if (completed.isEmpty()) {
			return "-";
		}
		Instant first = completed.stream().map(Outcome::received).min(Instant::compareTo).orElseThrow();
		Instant last = completed.stream().map(Outcome::ended).max(Instant::compareTo).orElseThrow();
		double seconds = Math.max(0.001, Duration.between(first, last).toMillis() / 1000.0);
		return "%.2f".formatted(completed.size() / seconds);
	}

	private static String perUpload(Phase phase, Map<UUID, Integer> counts) {
		long exactlyOne = 0;
		long more = 0;
		for (Posted posted : phase.posted()) {
			if (posted.id() != null && posted.kind().equals("image")) {
				int count = counts.getOrDefault(posted.id(), 0);
				exactlyOne += (count == 1) ? 1 : 0;
				more += (count > 1) ? 1 : 0;
			}
		}
		return "%d image uploads with exactly one, %d with more, %d with none".formatted(exactlyOne, more,
				phase.images() - exactlyOne - more);
	}

	private static String exactlyOne(Phase phase, Map<UUID, Integer> counts) {
		long ok = phase.posted()
			.stream()
			.filter((p) -> p.id() != null && p.kind().equals("image") && counts.getOrDefault(p.id(), 0) == 1)
			.count();
		return ok + "/" + phase.images();
	}

	private JsonNode getJson(String path) {
		return retrying(() -> {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.ingestUrl + path))
				.header("X-Api-Key", LocalStack.DEMO_API_KEY)
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
			}
			return JSON.readTree(response.body());
		});
	}

	/** Three tries, a second apart: a read of the stack under load may time out once. */
	private static <T> T retrying(Call<T> call) {
		IOException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				return call.get();
			}
			catch (IOException ex) {
				last = ex;
				sleep(Duration.ofSeconds(1));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new UncheckedIOException(last);
	}

	private interface Call<T> {

		T get() throws IOException, InterruptedException;

	}

	private void line(String format, Object... args) {
		this.report.append(args.length == 0 ? format : format.formatted(args)).append('\n');
	}

	private static void acquire(Semaphore semaphore) {
		try {
			semaphore.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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
