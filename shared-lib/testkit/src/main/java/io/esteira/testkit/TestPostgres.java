package io.esteira.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Consumer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One PostgreSQL database for this JVM, from the first source that is available:
 * <ol>
 * <li>{@code TEST_POSTGRES_URL} (with {@code TEST_POSTGRES_USER}, default {@code postgres}, and
 * {@code TEST_POSTGRES_PASSWORD}): a throwaway database is created on that server and dropped when the JVM exits;</li>
 * <li>Testcontainers {@code postgres:17} when a Docker engine answers;</li>
 * <li>an embedded PostgreSQL (zonky), which needs nothing but this JVM.</li>
 * </ol>
 */
public final class TestPostgres {

	private TestPostgres() {
	}

	/** Connection settings of a database. */
	public record Database(String jdbcUrl, String username, String password, String source) {
	}

	/**
	 * Starts (or creates) the database.
	 * @param onStop receives what stops (or drops) it; the caller runs it when the JVM exits
	 */
	public static Database start(Consumer<AutoCloseable> onStop) {
		String url = System.getenv("TEST_POSTGRES_URL");
		if (url != null && !url.isBlank()) {
			return throwawayDatabase(url, env("TEST_POSTGRES_USER", "postgres"), env("TEST_POSTGRES_PASSWORD", ""),
					onStop);
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:17");
			container.start();
			onStop.accept(container::stop);
			return new Database(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
					"testcontainers");
		}
		return embedded(onStop);
	}

	private static Database embedded(Consumer<AutoCloseable> onStop) {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			onStop.accept(postgres);
			return new Database(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", "embedded");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

	private static Database throwawayDatabase(String serverUrl, String user, String password,
			Consumer<AutoCloseable> onStop) {
		String name = "esteira_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute(serverUrl, user, password, "CREATE DATABASE " + name);
		onStop.accept(() -> execute(serverUrl, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
		return new Database(withDatabase(serverUrl, name), user, password, "TEST_POSTGRES_URL");
	}

	/** Replaces the database in a {@code jdbc:postgresql://host:port/db?params} URL. */
	static String withDatabase(String url, String database) {
		int query = url.indexOf('?');
		String base = (query < 0) ? url : url.substring(0, query);
		String params = (query < 0) ? "" : url.substring(query);
		int slash = base.indexOf('/', "jdbc:postgresql://".length());
		String server = (slash < 0) ? base : base.substring(0, slash);
		return server + "/" + database + params;
	}

	private static void execute(String url, String user, String password, String sql) {
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on " + url, ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
