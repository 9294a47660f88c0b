package io.esteira.ingest.config;

import java.time.Duration;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestSqs;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
	void readinessIsDownWhileAQueueItNeedsIsMissingAndRecoversByItself() {
		// What an emulator restart that lost its state looks like to ingest: a queue it sends to is gone, then back.
		EsteiraInfrastructure infra = EsteiraInfrastructure.shared();
		IngestApi management = new IngestApi(this.managementPort);
		String queue = EsteiraInfrastructure.NAMES.queues().invoices();
		infra.sqsClient().deleteQueue((delete) -> delete.queueUrl(infra.queueUrl(queue)));
		try {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				IngestApi.Response readiness = management.get(null, "/actuator/health/readiness");
				assertThat(readiness.status()).isEqualTo(503);
				assertThat(new IngestApi(this.port).get(null, "/readyz").status()).isEqualTo(503);
			});
			assertThat(new IngestApi(this.port).get(null, "/livez").status()).isEqualTo(200);
		}
		finally {
			TestSqs.createQueueWithDlq(infra.sqsClient(), queue, 3, 3);
		}
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(management.get(null, "/actuator/health/readiness").status()).isEqualTo(200));
	}

	@Test
	void noGeneratedPasswordIsMadeForAnApiThatOnlyTakesApiKeys(@Autowired ApplicationContext context) {
		// Spring Boot logs "Using generated security password" whenever it makes this in-memory user.
		assertThat(context.getBeanProvider(UserDetailsService.class).getIfAvailable()).isNull();
	}

	@Test
	void probesAreOnTheApiPortButMetricsAreNot() {
		IngestApi api = new IngestApi(this.port);

		assertThat(api.get(null, "/livez").status()).isEqualTo(200);
		assertThat(api.get(null, "/readyz").status()).isEqualTo(200);
		assertThat(api.get(null, "/actuator/prometheus").status()).isIn(401, 403, 404);
	}

}
