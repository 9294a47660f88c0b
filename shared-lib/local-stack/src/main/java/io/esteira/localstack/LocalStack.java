package io.esteira.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.esteira.platform.security.ApiKeyProperties;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.Ports;
import io.esteira.testkit.TcpProxy;
import io.esteira.testkit.TestPostgres;

/**
 * Runs the whole pipeline on one machine: the stand-ins in this JVM (PostgreSQL — the one in {@code DATABASE_URL} or
 * an embedded one — ElasticMQ, S3Proxy with S3-style bucket notifications, WireMock answering like HubSpot), and the
 * four services as child processes — several of a service with {@link Replicas}, each with its own ports and log.
 * {@code main} prints the URLs and a demo API key and runs until Ctrl-C, which stops everything; it reads
 * {@code -Dreplicas} ({@link Replicas#parse}).
 */
public final class LocalStack implements AutoCloseable {

	/** The demo API key the local stack configures (and only the local stack). */
	public static final String DEMO_API_KEY = "esteira-demo-key";

	/**
	 * The demo's operator key: the admin endpoints (dead-letter queues, foreign objects), every tenant, and LGPD erasure
	 * ({@code uploads:delete}); as in docker-compose.yml.
	 */
	public static final String DEMO_ADMIN_KEY = "esteira-demo-admin-key";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

	private final EsteiraInfrastructure infrastructure;

	/** Each service's processes, replica 0 first. */
	private final Map<EsteiraService, List<Replica>> replicas = new EnumMap<>(EsteiraService.class);

	private final Options options;

	private final Path logs;

	/** The proxies between the services and their dependencies ({@link Options#faultProxies}), else empty. */
	private final Map<Dependency, TcpProxy> proxies = new EnumMap<>(Dependency.class);

	/** What the services depend on that the fault suite can take away ({@link #proxy}). */
	public enum Dependency {

		DATABASE, SQS, S3

	}

	private LocalStack(EsteiraInfrastructure infrastructure, Options options) {
		this.infrastructure = infrastructure;
		this.options = options;
		this.logs = options.work().resolve("logs");
	}

	/** One process of a service: replica {@code index}, its ports and its log, the process once launched. */
	private static final class Replica {

		private final EsteiraService service;

		private final int index;

		private final int port;

		private final int managementPort;

		private final Path log;

		private Process process;

		private Replica(EsteiraService service, int index, int port, int managementPort, Path log) {
			this.service = service;
			this.index = index;
			this.port = port;
			this.managementPort = managementPort;
			this.log = log;
		}

		private String name() {
			return this.service.id() + "-" + this.index;
		}

	}

	/**
	 * How to run the stack.
	 *
	 * @param root the repository (holds {@code services/*}/target jars)
	 * @param work folder for logs
	 * @param fixedPorts the services' default ports (8080–8083, management 9080–9083) instead of free random ones;
	 * replica {@code k} of a service adds {@code 100 * k} to both
	 * @param database an existing database, or {@code null} for a new one
	 * @param replicas how many processes of each service (default one)
	 * @param properties more Spring properties for every replica of a service, after (so over) the stack's own, e.g.
	 * crm-sync's {@code esteira.crm.rate-limit.requests}
	 * @param peakCompiler the services' JVMs compile hot code fully (C2), as in the image (the benchmark: slower to
	 * warm up, less CPU once warm); otherwise only with C1, which starts faster (tests, the demo)
	 * @param faultProxies the services reach PostgreSQL, SQS and S3 through a {@link TcpProxy} each
	 * ({@link #proxy}), which the fault suite cuts and restores
	 */
	public record Options(Path root, Path work, boolean fixedPorts, TestPostgres.Database database, Replicas replicas,
			Map<EsteiraService, Map<String, String>> properties, boolean peakCompiler, boolean faultProxies) {

		/** One process of each service, no extra properties, quick to start. */
		public Options(Path root, Path work, boolean fixedPorts, TestPostgres.Database database) {
			this(root, work, fixedPorts, database, Replicas.one(), Map.of(), false, false);
		}

		public Options withReplicas(Replicas replicas) {
			return new Options(this.root, this.work, this.fixedPorts, this.database, replicas, this.properties,
					this.peakCompiler, this.faultProxies);
		}

		/** These options with the services' JVMs compiling as in the image (C1 then C2). */
		public Options withPeakCompiler() {
			return new Options(this.root, this.work, this.fixedPorts, this.database, this.replicas, this.properties,
					true, this.faultProxies);
		}

		/** These options with the services behind a proxy each to PostgreSQL, SQS and S3 ({@link #proxy}). */
		public Options withFaultProxies() {
			return new Options(this.root, this.work, this.fixedPorts, this.database, this.replicas, this.properties,
					this.peakCompiler, true);
		}

		/** These options and a Spring property for every replica of {@code service}. */
		public Options withProperty(EsteiraService service, String key, String value) {
			Map<EsteiraService, Map<String, String>> properties = new EnumMap<>(EsteiraService.class);
			this.properties.forEach((named, values) -> properties.put(named, new LinkedHashMap<>(values)));
			properties.computeIfAbsent(service, (named) -> new LinkedHashMap<>()).put(key, value);
			return new Options(this.root, this.work, this.fixedPorts, this.database, this.replicas, properties,
					this.peakCompiler, this.faultProxies);
		}

	}

	public static LocalStack start(Options options) {
		long started = System.nanoTime();
		try {
			Files.createDirectories(options.work().resolve("logs"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// S3 objects stay in memory: S3Proxy's filesystem store keeps user metadata in extended attributes, which not
		// every filesystem has (tmpfs, some container overlays).
		EsteiraInfrastructure infrastructure = EsteiraInfrastructure
			.start(new EsteiraInfrastructure.Settings(options.database(), null, 5, 10));
		infrastructure.startEventBridge(Duration.ofMillis(100));
		LocalStack stack = new LocalStack(infrastructure, options);
		infrastructure.beforeStop(stack::close);
		if (options.faultProxies()) {
			stack.proxies.put(Dependency.DATABASE, TcpProxy.toDatabase(infrastructure.database().jdbcUrl()));
			stack.proxies.put(Dependency.SQS,
					TcpProxy.to(infrastructure.sqsEndpoint().getHost(), infrastructure.sqsEndpoint().getPort()));
			stack.proxies.put(Dependency.S3,
					TcpProxy.to(infrastructure.s3Endpoint().getHost(), infrastructure.s3Endpoint().getPort()));
		}
		for (EsteiraService service : EsteiraService.values()) {
			int count = options.replicas().of(service);
			List<Replica> replicas = new ArrayList<>();
			for (int k = 0; k < count; k++) {
				// One replica keeps the log name it always had; several are told apart.
				String log = service.id() + ((count == 1) ? "" : "-" + k) + ".log";
				replicas.add(new Replica(service, k,
						options.fixedPorts() ? service.defaultPort() + 100 * k : Ports.free(),
						options.fixedPorts() ? service.defaultManagementPort() + 100 * k : Ports.free(),
						stack.logs.resolve(log)));
			}
			stack.replicas.put(service, replicas);
		}
		stack.replicas.values().forEach((replicas) -> replicas.forEach(stack::launch));
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		stack.replicas.values().forEach((replicas) -> replicas.forEach((replica) -> stack.awaitReady(replica, deadline)));
		System.out.printf("Esteira local stack ready in %d s (replicas %s)%n",
				(System.nanoTime() - started) / 1_000_000_000, options.replicas());
		return stack;
	}

	private void launch(Replica replica) {
		EsteiraService service = replica.service;
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xss512k", "-Xmx384m"));
		if (!this.options.peakCompiler()) {
			command.add("-XX:TieredStopAtLevel=1");
		}
		command.addAll(List.of("-jar", service.jar(this.options.root()).toString()));
		Map<String, String> properties = new LinkedHashMap<>(this.infrastructure.springProperties());
		if (!this.proxies.isEmpty()) {
			properties.put("spring.datasource.url",
					this.proxies.get(Dependency.DATABASE).jdbcUrl(this.infrastructure.database().jdbcUrl()));
			properties.put("spring.cloud.aws.sqs.endpoint",
					"http://127.0.0.1:" + this.proxies.get(Dependency.SQS).port());
			properties.put("spring.cloud.aws.s3.endpoint", "http://127.0.0.1:" + this.proxies.get(Dependency.S3).port());
		}
		properties.put("server.port", Integer.toString(replica.port));
		properties.put("management.server.port", Integer.toString(replica.managementPort));
		properties.put("esteira.crm.public-base-url", url(EsteiraService.INGEST));
		properties.put("esteira.security.api-keys[0].name", "local-demo");
		properties.put("esteira.security.api-keys[0].sha256", ApiKeyProperties.sha256(DEMO_API_KEY));
		// The demo key acts as the chatbot: its image uploads name CRM contacts (crmContactId), hence crm:write.
		properties.put("esteira.security.api-keys[0].scopes", "uploads:write,uploads:read,invoices:read,crm:write");
		properties.put("esteira.security.api-keys[1].name", "local-demo-admin");
		properties.put("esteira.security.api-keys[1].sha256", ApiKeyProperties.sha256(DEMO_ADMIN_KEY));
		properties.put("esteira.security.api-keys[1].scopes", "admin,uploads:delete");
		if (service == EsteiraService.INGEST) {
			// Callbacks to a receiver on this machine (plain http, loopback); ingest allows neither by default. The
			// demo key's signing secret, if wanted, comes from the environment the services inherit:
			// ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_LOCALDEMO (client local-demo).
			properties.put("esteira.ingest.notifications.insecure-callback-hosts", "localhost");
			properties.put("esteira.ingest.notifications.internal-callback-receivers", "localhost");
		}
		properties.putAll(this.options.properties().getOrDefault(service, Map.of()));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(replica.log.toFile()));
		builder.environment().put("HUBSPOT_TOKEN", "local-demo-token");
		try {
			replica.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + replica.name(), ex);
		}
	}

	private void awaitReady(Replica replica, long deadline) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		URI readiness = URI.create("http://localhost:" + replica.port + "/readyz");
		while (true) {
			Process process = replica.process;
			if (!process.isAlive()) {
				throw new IllegalStateException(replica.name() + " exited with " + process.exitValue() + ": see "
						+ replica.log);
			}
			try {
				if (http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding())
					.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(replica.name() + " not ready within " + STARTUP_TIMEOUT + ": see "
						+ replica.log);
			}
			sleep(250);
		}
	}

	/**
	 * Kills every process of the service at once ({@code SIGKILL}), as a crash, a node failure or the OOM killer
	 * would: no shutdown hook runs, nothing in flight is acknowledged or committed.
	 */
	public synchronized void kill(EsteiraService service) {
		for (Replica replica : this.replicas.get(service)) {
			replica.process.destroyForcibly();
			try {
				replica.process.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Starts a killed service's processes again, on the same ports, and waits until they are ready. */
	public synchronized void restart(EsteiraService service) {
		List<Replica> replicas = this.replicas.get(service);
		for (Replica replica : replicas) {
			if (replica.process.isAlive()) {
				throw new IllegalStateException(replica.name() + " is still running");
			}
		}
		replicas.forEach(this::launch);
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		replicas.forEach((replica) -> awaitReady(replica, deadline));
	}

	/**
	 * The proxy between the services and {@code dependency}, to {@link TcpProxy#cut cut} and
	 * {@link TcpProxy#restore restore}; only with {@link Options#faultProxies}.
	 */
	public TcpProxy proxy(Dependency dependency) {
		TcpProxy proxy = this.proxies.get(dependency);
		if (proxy == null) {
			throw new IllegalStateException("The stack runs without fault proxies (Options.withFaultProxies)");
		}
		return proxy;
	}

	/** The URL of the service (of its first replica, when it has several). */
	public String url(EsteiraService service) {
		return url(service, 0);
	}

	/** The URL of replica {@code k} of the service. */
	public String url(EsteiraService service, int k) {
		return "http://localhost:" + this.replicas.get(service).get(k).port;
	}

	/**
	 * Where the service's actuator answers ({@code /actuator/prometheus}, {@code /actuator/health}); its first
	 * replica's, when it has several.
	 */
	public String managementUrl(EsteiraService service) {
		return "http://localhost:" + this.replicas.get(service).get(0).managementPort;
	}

	/** How many processes of each service run. */
	public Replicas replicas() {
		return this.options.replicas();
	}

	public String ingestUrl() {
		return url(EsteiraService.INGEST);
	}

	public String invoiceUrl() {
		return url(EsteiraService.INVOICE);
	}

	public EsteiraInfrastructure infrastructure() {
		return this.infrastructure;
	}

	/**
	 * Stops the services: gracefully, then forcibly after 30 s. The stand-ins stop after this, when the JVM exits, so
	 * that the services can finish their work and close their connections.
	 */
	@Override
	public synchronized void close() {
		List<Process> processes = this.replicas.values()
			.stream()
			.flatMap(List::stream)
			.map((replica) -> replica.process)
			.filter((process) -> process != null)
			.toList();
		processes.forEach(Process::destroy);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (Process process : processes) {
			try {
				if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		this.replicas.clear();
		this.proxies.values().forEach(TcpProxy::close);
	}

	private static String javaBinary() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static Path root() {
		String configured = System.getProperty("esteira.root");
		Path dir = Path.of((configured != null) ? configured : "").toAbsolutePath();
		for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
			if (Files.isDirectory(candidate.resolve("services")) && Files.exists(candidate.resolve("mvnw"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("Run from the Esteira repository (no services/ and mvnw above " + dir + ")");
	}

	private static TestPostgres.Database databaseFromEnvironment() {
		String url = System.getenv("DATABASE_URL");
		if (url == null || url.isBlank()) {
			return null;
		}
		return new TestPostgres.Database(url, envOr("DATABASE_USERNAME", "postgres"), envOr("DATABASE_PASSWORD", ""),
				"DATABASE_URL");
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	public static void main(String[] args) {
		try {
			run(args);
		}
		catch (Throwable ex) {
			// The stand-ins keep non-daemon threads: exit, so that the shutdown hooks stop everything.
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private static void run(String[] args) throws InterruptedException {
		Path root = root();
		Path work = root.resolve(".local-stack");
		Replicas replicas = Replicas.parse(System.getProperty("replicas"));
		LocalStack stack = start(new Options(root, work, true, databaseFromEnvironment()).withReplicas(replicas));
		Path samples = Samples.write(work.resolve("samples"));
		EsteiraInfrastructure infra = stack.infrastructure();
		System.out.println("""

				  ingest API        %s   (POST /api/uploads, GET /api/uploads/{id}, GET /files/{id}/256)
				  invoice API       %s   (GET /api/invoices, GET /api/invoices/{id})
				  image-processing  %s/readyz      crm-sync  %s/readyz
				  replicas          %s   (-Dreplicas=2, or -Dreplicas=crm-sync:2,image-processing:2:
				                    replica k on the default ports + 100*k, its log <service>-<k>.log)
				  HubSpot stand-in  %s/__admin/requests   (the CRM calls received)
				  SQS (ElasticMQ)   %s      S3 (S3Proxy)  %s   (access key %s, secret %s)
				  PostgreSQL        %s
				  logs              %s
				  demo API key      X-Api-Key: %s   (admin endpoints, erasure: X-Api-Key: %s)

				Try it (another terminal):
				  curl -s -H 'X-Api-Key: %s' -F kind=image -F crmContactId=123 -F file=@%s %s/api/uploads
				  curl -s -H 'X-Api-Key: %s' -F kind=invoice -F file=@%s %s/api/uploads
				  curl -s -H 'X-Api-Key: %s' %s/api/uploads/<id>
				  curl -s -H 'X-Api-Key: %s' '%s/api/invoices?size=10'
				or start the stack with the demo: ./mvnw -Plocal -DskipTests verify -Ddemo

				Ctrl-C stops everything.
				""".formatted(stack.ingestUrl(), stack.invoiceUrl(), stack.url(EsteiraService.IMAGE_PROCESSING),
				stack.url(EsteiraService.CRM_SYNC), replicas, infra.hubSpot().baseUrl(), infra.sqsEndpoint(), infra.s3Endpoint(),
				io.esteira.testkit.AwsTestClients.ACCESS_KEY, io.esteira.testkit.AwsTestClients.SECRET_KEY,
				infra.database().jdbcUrl(), work.resolve("logs"), DEMO_API_KEY, DEMO_ADMIN_KEY, DEMO_API_KEY,
				samples.resolve("photo.jpg"), stack.ingestUrl(), DEMO_API_KEY, samples.resolve("invoices.json"),
				stack.ingestUrl(), DEMO_API_KEY, stack.ingestUrl(), DEMO_API_KEY, stack.invoiceUrl()));
		if (List.of(args).contains("--demo")) {
			new Demo(stack.ingestUrl(), stack.invoiceUrl(), DEMO_API_KEY, infra.hubSpot().baseUrl()).run(samples);
		}
		new CountDownLatch(1).await();
	}

}
