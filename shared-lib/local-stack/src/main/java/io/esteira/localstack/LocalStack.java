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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.esteira.platform.security.ApiKeyProperties;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.Ports;
import io.esteira.testkit.TestPostgres;

/**
 * Runs the whole pipeline on one machine: the stand-ins in this JVM (PostgreSQL — the one in {@code DATABASE_URL} or
 * an embedded one — ElasticMQ, S3Proxy with S3-style bucket notifications, WireMock answering like HubSpot), and the
 * four services as child processes. {@code main} prints the URLs and a demo API key and runs until Ctrl-C, which
 * stops everything.
 */
public final class LocalStack implements AutoCloseable {

	/** The demo API key the local stack configures (and only the local stack). */
	public static final String DEMO_API_KEY = "esteira-demo-key";

	/** The demo's key for the admin endpoints (dead-letter queues, foreign objects); as in docker-compose.yml. */
	public static final String DEMO_ADMIN_KEY = "esteira-demo-admin-key";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

	private final EsteiraInfrastructure infrastructure;

	private final Map<EsteiraService, Integer> ports = new EnumMap<>(EsteiraService.class);

	private final Map<EsteiraService, Integer> managementPorts = new EnumMap<>(EsteiraService.class);

	private final Map<EsteiraService, Process> processes = new EnumMap<>(EsteiraService.class);

	private Path root;

	private final Path logs;

	private LocalStack(EsteiraInfrastructure infrastructure, Path logs) {
		this.infrastructure = infrastructure;
		this.logs = logs;
	}

	/**
	 * How to run the stack.
	 *
	 * @param root the repository (holds {@code services/*}/target jars)
	 * @param work folder for logs
	 * @param fixedPorts the services' default ports (8080–8083) instead of free random ones
	 * @param database an existing database, or {@code null} for a new one
	 */
	public record Options(Path root, Path work, boolean fixedPorts, TestPostgres.Database database) {
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
		infrastructure.startEventBridge(Duration.ofMillis(300));
		LocalStack stack = new LocalStack(infrastructure, options.work().resolve("logs"));
		infrastructure.beforeStop(stack::close);
		for (EsteiraService service : EsteiraService.values()) {
			stack.ports.put(service, options.fixedPorts() ? service.defaultPort() : Ports.free());
			stack.managementPorts.put(service,
					options.fixedPorts() ? service.defaultManagementPort() : Ports.free());
		}
		stack.root = options.root();
		for (EsteiraService service : EsteiraService.values()) {
			stack.launch(service);
		}
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		for (EsteiraService service : EsteiraService.values()) {
			stack.awaitReady(service, deadline);
		}
		System.out.printf("Esteira local stack ready in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
		return stack;
	}

	private void launch(EsteiraService service) {
		Path root = this.root;
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-Xss512k", "-Xmx384m", "-jar", service.jar(root).toString()));
		Map<String, String> properties = new java.util.LinkedHashMap<>(this.infrastructure.springProperties());
		properties.put("server.port", Integer.toString(this.ports.get(service)));
		properties.put("management.server.port", Integer.toString(this.managementPorts.get(service)));
		properties.put("esteira.crm.public-base-url", url(EsteiraService.INGEST));
		properties.put("esteira.security.api-keys[0].name", "local-demo");
		properties.put("esteira.security.api-keys[0].sha256", ApiKeyProperties.sha256(DEMO_API_KEY));
		properties.put("esteira.security.api-keys[0].scopes", "uploads:write,uploads:read,invoices:read");
		properties.put("esteira.security.api-keys[1].name", "local-demo-admin");
		properties.put("esteira.security.api-keys[1].sha256", ApiKeyProperties.sha256(DEMO_ADMIN_KEY));
		properties.put("esteira.security.api-keys[1].scopes", "admin");
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logs.resolve(service.id() + ".log").toFile()));
		builder.environment().put("HUBSPOT_TOKEN", "local-demo-token");
		try {
			this.processes.put(service, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + service.id(), ex);
		}
	}

	private void awaitReady(EsteiraService service, long deadline) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		URI readiness = URI.create(url(service) + "/readyz");
		while (true) {
			Process process = this.processes.get(service);
			if (!process.isAlive()) {
				throw new IllegalStateException(service.id() + " exited with " + process.exitValue() + ": see "
						+ this.logs.resolve(service.id() + ".log"));
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
				throw new IllegalStateException(service.id() + " not ready within " + STARTUP_TIMEOUT + ": see "
						+ this.logs.resolve(service.id() + ".log"));
			}
			sleep(250);
		}
	}

	/**
	 * Kills the service's process at once ({@code SIGKILL}), as a crash, a node failure or the OOM killer would: no
	 * shutdown hook runs, nothing in flight is acknowledged or committed.
	 */
	public synchronized void kill(EsteiraService service) {
		Process process = this.processes.get(service);
		process.destroyForcibly();
		try {
			process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Starts a killed service again, on the same ports, and waits until it is ready. */
	public synchronized void restart(EsteiraService service) {
		if (this.processes.get(service).isAlive()) {
			throw new IllegalStateException(service.id() + " is still running");
		}
		launch(service);
		awaitReady(service, System.nanoTime() + STARTUP_TIMEOUT.toNanos());
	}

	public String url(EsteiraService service) {
		return "http://localhost:" + this.ports.get(service);
	}

	/** Where the service's actuator answers ({@code /actuator/prometheus}, {@code /actuator/health}). */
	public String managementUrl(EsteiraService service) {
		return "http://localhost:" + this.managementPorts.get(service);
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
		this.processes.values().forEach(Process::destroy);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (Process process : this.processes.values()) {
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
		this.processes.clear();
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
		LocalStack stack = start(new Options(root, work, true, databaseFromEnvironment()));
		Path samples = Samples.write(work.resolve("samples"));
		EsteiraInfrastructure infra = stack.infrastructure();
		System.out.println("""

				  ingest API        %s   (POST /api/uploads, GET /api/uploads/{id}, GET /files/{id}/256)
				  invoice API       %s   (GET /api/invoices, GET /api/invoices/{id})
				  image-processing  %s/readyz      crm-sync  %s/readyz
				  HubSpot stand-in  %s/__admin/requests   (the CRM calls received)
				  SQS (ElasticMQ)   %s      S3 (S3Proxy)  %s   (access key %s, secret %s)
				  PostgreSQL        %s
				  logs              %s
				  demo API key      X-Api-Key: %s   (admin endpoints: X-Api-Key: %s)

				Try it (another terminal):
				  curl -s -H 'X-Api-Key: %s' -F kind=image -F crmContactId=123 -F file=@%s %s/api/uploads
				  curl -s -H 'X-Api-Key: %s' -F kind=invoice -F file=@%s %s/api/uploads
				  curl -s -H 'X-Api-Key: %s' %s/api/uploads/<id>
				  curl -s -H 'X-Api-Key: %s' '%s/api/invoices?size=10'
				or start the stack with the demo: ./mvnw -Plocal -DskipTests verify -Ddemo

				Ctrl-C stops everything.
				""".formatted(stack.ingestUrl(), stack.invoiceUrl(), stack.url(EsteiraService.IMAGE_PROCESSING),
				stack.url(EsteiraService.CRM_SYNC), infra.hubSpot().baseUrl(), infra.sqsEndpoint(), infra.s3Endpoint(),
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
