package io.esteira.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.esteira.platform.aws.EsteiraAwsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Everything an Esteira service talks to, started once per JVM in parallel: PostgreSQL, ElasticMQ, S3Proxy and
 * WireMock (for HubSpot), with the buckets and the queues (each with its DLQ and redrive policy) created.
 * {@link #springProperties()} points a Spring Boot application at them.
 */
public final class EsteiraInfrastructure {

	private static final Logger logger = LoggerFactory.getLogger(EsteiraInfrastructure.class);

	/** Names of buckets and queues, as every service's defaults have them. */
	public static final EsteiraAwsProperties NAMES = new EsteiraAwsProperties("esteira-uploads", "esteira-output",
			new EsteiraAwsProperties.Queues("esteira-images", "esteira-invoices", "esteira-image-events",
					"esteira-status"));

	private static EsteiraInfrastructure shared;

	private final TestPostgres.Database database;

	private final TestSqs sqs;

	private final TestS3 s3;

	private final TestHubSpot hubSpot;

	private final SqsClient sqsClient;

	private final S3Client s3Client;

	private final Map<String, String> queueUrls = new LinkedHashMap<>();

	private S3EventBridge eventBridge;

	/** Run first at exit (the local stack stops its services here, while their database is still up). */
	private final Deque<Runnable> beforeStop = new ConcurrentLinkedDeque<>();

	private final Deque<AutoCloseable> databaseStop = new ConcurrentLinkedDeque<>();

	private EsteiraInfrastructure(Settings settings) {
		long started = System.nanoTime();
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "esteira-infrastructure-stop"));
		CompletableFuture<TestPostgres.Database> database = (settings.database() != null)
				? CompletableFuture.completedFuture(settings.database())
				: CompletableFuture.supplyAsync(() -> TestPostgres.start(this.databaseStop::push));
		CompletableFuture<TestS3> s3 = CompletableFuture.supplyAsync(() -> TestS3.start(settings.s3Storage()));
		CompletableFuture<TestHubSpot> hubSpot = CompletableFuture.supplyAsync(TestHubSpot::start);
		this.sqs = TestSqs.start();
		this.s3 = s3.join();
		this.hubSpot = hubSpot.join();
		this.sqsClient = AwsTestClients.sqs(this.sqs.endpoint());
		this.s3Client = AwsTestClients.s3(this.s3.endpoint());
		for (String bucket : List.of(NAMES.uploadsBucket(), NAMES.outputBucket())) {
			this.s3Client.createBucket((request) -> request.bucket(bucket));
		}
		EsteiraAwsProperties.Queues queues = NAMES.queues();
		for (String queue : List.of(queues.images(), queues.invoices(), queues.imageEvents(), queues.status())) {
			this.queueUrls.put(queue, TestSqs.createQueueWithDlq(this.sqsClient, queue, settings.maxReceiveCount(),
					settings.visibilityTimeoutSeconds()));
		}
		this.database = database.join();
		logger.info("Esteira test infrastructure up in {} ms (PostgreSQL: {})",
				(System.nanoTime() - started) / 1_000_000, this.database.source());
	}

	/**
	 * How the infrastructure is set up.
	 *
	 * @param database an existing database to use, or {@code null} to start one ({@link TestPostgres})
	 * @param s3Storage folder for S3 objects, {@code null} for memory
	 * @param maxReceiveCount deliveries before a message moves to its DLQ
	 * @param visibilityTimeoutSeconds how long a received message stays invisible (the retry delay)
	 */
	public record Settings(TestPostgres.Database database, Path s3Storage, int maxReceiveCount,
			int visibilityTimeoutSeconds) {

		/** Tests: a new database, memory storage, three deliveries, three-second retries. */
		public static Settings forTests() {
			return new Settings(null, null, 3, 3);
		}

	}

	/** The infrastructure of this JVM, started on first use with {@link Settings#forTests()}. */
	public static synchronized EsteiraInfrastructure shared() {
		if (shared == null) {
			shared = new EsteiraInfrastructure(Settings.forTests());
		}
		return shared;
	}

	/** A new, separate set of stand-ins (the local stack uses this). */
	public static EsteiraInfrastructure start(Settings settings) {
		return new EsteiraInfrastructure(settings);
	}

	/**
	 * Starts sending S3 event notifications for writes to the uploads bucket ({@code images/} and {@code invoices/}
	 * to their queues), as S3 does on AWS. Idempotent.
	 */
	public synchronized S3EventBridge startEventBridge(Duration interval) {
		if (this.eventBridge == null) {
			this.eventBridge = new S3EventBridge(this.s3Client, this.sqsClient, NAMES.uploadsBucket(),
					Map.of("images/", queueUrl(NAMES.queues().images()), "invoices/",
							queueUrl(NAMES.queues().invoices())))
				.start(interval);
		}
		return this.eventBridge;
	}

	/** Registers something to stop before the stand-ins at JVM exit (e.g. processes that use them). */
	public void beforeStop(Runnable action) {
		this.beforeStop.push(action);
	}

	/** Stops, in order: what was registered with {@link #beforeStop}, the event bridge, the stand-ins, the database. */
	private void stop() {
		runQuietly(() -> this.beforeStop.forEach(Runnable::run));
		if (this.eventBridge != null) {
			runQuietly(this.eventBridge::close);
		}
		runQuietly(() -> this.hubSpot.stop());
		runQuietly(() -> this.s3.stop());
		runQuietly(() -> this.sqs.stop());
		this.databaseStop.forEach((stopper) -> runQuietly(() -> {
			try {
				stopper.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}));
	}

	private static void runQuietly(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Stopping the test infrastructure: {}", ex.getMessage());
		}
	}

	/** Properties that point a Spring Boot service at these stand-ins. */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", this.database.jdbcUrl());
		properties.put("spring.datasource.username", this.database.username());
		properties.put("spring.datasource.password", this.database.password());
		// At exit (a test JVM's end, Ctrl-C on the local stack) the database may stop while a service is still
		// closing: fail fast instead of waiting 30 s for a connection.
		properties.put("spring.datasource.hikari.connection-timeout", "5000");
		properties.put("spring.cloud.aws.region.static", AwsTestClients.REGION.id());
		properties.put("spring.cloud.aws.credentials.access-key", AwsTestClients.ACCESS_KEY);
		properties.put("spring.cloud.aws.credentials.secret-key", AwsTestClients.SECRET_KEY);
		properties.put("spring.cloud.aws.sqs.endpoint", this.sqs.endpoint().toString());
		properties.put("spring.cloud.aws.s3.endpoint", this.s3.endpoint().toString());
		properties.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
		properties.put("esteira.crm.hubspot.base-url", this.hubSpot.baseUrl());
		return properties;
	}

	public TestPostgres.Database database() {
		return this.database;
	}

	public SqsClient sqsClient() {
		return this.sqsClient;
	}

	public S3Client s3Client() {
		return this.s3Client;
	}

	public TestHubSpot hubSpot() {
		return this.hubSpot;
	}

	public String queueUrl(String queueName) {
		String url = this.queueUrls.get(queueName);
		if (url == null) {
			throw new IllegalArgumentException("No queue named " + queueName);
		}
		return url;
	}

	public String deadLetterQueueUrl(String queueName) {
		return this.sqsClient.getQueueUrl((request) -> request.queueName(queueName + "-dlq")).queueUrl();
	}

	/** Empties every queue and its DLQ, so one test's leftovers do not reach the next. */
	public void purgeQueues() {
		this.queueUrls.forEach((name, url) -> {
			this.sqsClient.purgeQueue((request) -> request.queueUrl(url));
			this.sqsClient.purgeQueue((request) -> request.queueUrl(deadLetterQueueUrl(name)));
		});
	}

	public URI sqsEndpoint() {
		return this.sqs.endpoint();
	}

	public URI s3Endpoint() {
		return this.s3.endpoint();
	}

}
