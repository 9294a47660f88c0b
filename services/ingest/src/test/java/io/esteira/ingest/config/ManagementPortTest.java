package io.esteira.ingest.config;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IngestIntegrationTest
class ManagementPortTest {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void healthAndMetricsAreServedOnTheManagementPortWithoutApiKey() {
		IngestApi management = new IngestApi(this.managementPort);

		IngestApi.Response health = management.get(null, "/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.body().path("status").asString()).isEqualTo("UP");
		IngestApi.Response metrics = management.get(null, "/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.text()).contains("jvm_memory_used_bytes");
		assertThat(management.get(null, "/actuator/env").status()).isIn(401, 403, 404);
	}

	@Test
	void probesAreOnTheApiPortButMetricsAreNot() {
		IngestApi api = new IngestApi(this.port);

		assertThat(api.get(null, "/livez").status()).isEqualTo(200);
		assertThat(api.get(null, "/readyz").status()).isEqualTo(200);
		assertThat(api.get(null, "/actuator/prometheus").status()).isIn(401, 403, 404);
	}

}
