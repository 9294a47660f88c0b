package io.esteira.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3Proxy started from its jar as a child process on a free loopback port, with in-memory storage (or a folder, for
 * the local stack), AWS signature checks on, and stopped when this JVM exits. It is never put on a classpath: the
 * jar carries its own copies of Jetty and Jackson.
 */
public final class TestS3 {

	private static final Logger logger = LoggerFactory.getLogger(TestS3.class);

	private final Process process;

	private final int port;

	private TestS3(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Starts S3Proxy keeping objects in memory. */
	public static TestS3 start() {
		return start(null);
	}

	/**
	 * Starts S3Proxy.
	 * @param storage a folder to keep objects in, or {@code null} to keep them in memory
	 */
	public static TestS3 start(Path storage) {
		try {
			int port = Ports.free();
			Path work = Files.createTempDirectory("esteira-s3proxy");
			Properties properties = new Properties();
			properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
			properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
			properties.setProperty("s3proxy.identity", AwsTestClients.ACCESS_KEY);
			properties.setProperty("s3proxy.credential", AwsTestClients.SECRET_KEY);
			properties.setProperty("s3proxy.cors-allow-all", "true");
			properties.setProperty("jclouds.identity", AwsTestClients.ACCESS_KEY);
			properties.setProperty("jclouds.credential", AwsTestClients.SECRET_KEY);
			if (storage == null) {
				properties.setProperty("jclouds.provider", "transient");
			}
			else {
				Files.createDirectories(storage);
				properties.setProperty("jclouds.provider", "filesystem");
				properties.setProperty("jclouds.filesystem.basedir", storage.toAbsolutePath().toString());
			}
			Path config = work.resolve("s3proxy.properties");
			try (var out = Files.newOutputStream(config)) {
				properties.store(out, "Esteira test kit");
			}
			Path log = work.resolve("s3proxy.log");
			Process process = new ProcessBuilder(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
					s3ProxyJar().toString(), "--properties", config.toString()))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			TestS3 s3 = new TestS3(process, port);
			try {
				Ports.awaitOpen(port, Duration.ofSeconds(60), process);
			}
			catch (IllegalStateException ex) {
				s3.stop();
				throw new IllegalStateException("S3Proxy did not start; its log: " + Files.readString(log), ex);
			}
			logger.info("S3Proxy on port {} (log {})", port, log);
			return s3;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	public void stop() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	static String javaBinary() {
		return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	private static Path s3ProxyJar() throws IOException {
		Properties kit = new Properties();
		try (InputStream in = TestS3.class.getResourceAsStream("/esteira-testkit.properties")) {
			kit.load(in);
		}
		Path jar = Path.of(kit.getProperty("s3proxy.jar"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("S3Proxy jar not found at " + jar
					+ ": build the test kit with Maven (./mvnw install -pl shared-lib/testkit -am) so it is fetched");
		}
		return jar;
	}

}
