package io.esteira.crmsync.crm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestPostgres;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * A fresh schema on the test PostgreSQL holding the table of {@code V4__rate_limit_buckets.sql}, and
 * {@link CrmRateLimiter}s on it. Each {@link #limiter} has its own connection pool and {@link ProxyManager}, as a
 * limiter in another JVM (another replica) would: they share nothing but the table.
 */
final class RateLimitBuckets implements AutoCloseable {

	private static final String MIGRATION = "/db/migration/V4__rate_limit_buckets.sql";

	private final TestPostgres.Database database = EsteiraInfrastructure.shared().database();

	private final String schema = "rl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private final List<HikariDataSource> pools = new ArrayList<>();

	RateLimitBuckets() {
		execute("CREATE SCHEMA " + this.schema, "SET search_path TO " + this.schema, migration());
	}

	/** A limiter of a new "replica": its own pool, its own proxy manager, the same table. */
	CrmRateLimiter limiter(CrmRateLimiter.Settings settings) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.database.jdbcUrl());
		config.setUsername(this.database.username());
		config.setPassword(this.database.password());
		config.setSchema(this.schema);
		config.setMaximumPoolSize(4);
		config.setPoolName(this.schema + "-" + this.pools.size());
		HikariDataSource pool = new HikariDataSource(config);
		this.pools.add(pool);
		// As CrmSyncConfiguration builds it.
		ProxyManager<String> buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("crm_rate_limit_buckets")
			.idColumn("id")
			.stateColumn("state")
			.build();
		return new CrmRateLimiter(buckets, settings);
	}

	@Override
	public void close() {
		this.pools.forEach(HikariDataSource::close);
		execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
	}

	private void execute(String... statements) {
		try (Connection connection = DriverManager.getConnection(this.database.jdbcUrl(), this.database.username(),
				this.database.password()); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not prepare the rate-limit schema " + this.schema, ex);
		}
	}

	private static String migration() {
		try (InputStream in = RateLimitBuckets.class.getResourceAsStream(MIGRATION)) {
			if (in == null) {
				throw new IllegalStateException(MIGRATION + " is not on the classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
