package io.esteira.platform.observability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchExportAutoConfiguration;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The optional CloudWatch registry every service carries: off unless a namespace is configured, and then publishing
 * with CloudWatch's wire protocol (rpc-v2-cbor {@code PutMetricData}) to the configured endpoint, here a local HTTP
 * server standing in for CloudWatch.
 */
class CloudWatchRegistryTest {

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private HttpServer cloudWatch;

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withPropertyValues("spring.cloud.aws.region.static=us-east-1",
				"spring.cloud.aws.credentials.access-key=test", "spring.cloud.aws.credentials.secret-key=test")
		.withConfiguration(AutoConfigurations.of(AwsAutoConfiguration.class,
				CredentialsProviderAutoConfiguration.class, RegionProviderAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				CloudWatchExportAutoConfiguration.class));

	@BeforeEach
	void startCloudWatchStandIn() throws IOException {
		this.cloudWatch = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.cloudWatch.createContext("/", (exchange) -> {
			this.requests.add(exchange.getRequestURI().getPath() + " "
					+ exchange.getRequestHeaders().getFirst("Content-Type"));
			exchange.getRequestBody().readAllBytes();
			exchange.getResponseHeaders().add("Smithy-Protocol", "rpc-v2-cbor");
			exchange.getResponseHeaders().add("Content-Type", "application/cbor");
			// An empty CBOR map: PutMetricData answers nothing.
			exchange.sendResponseHeaders(200, 1);
			exchange.getResponseBody().write(new byte[] { (byte) 0xa0 });
			exchange.close();
		});
		this.cloudWatch.start();
	}

	@AfterEach
	void stop() {
		this.cloudWatch.stop(0);
	}

	@Test
	void withoutANamespaceNothingGoesToCloudWatch() {
		this.contexts.run((context) -> assertThat(context).doesNotHaveBean(CloudWatchMeterRegistry.class));
	}

	@Test
	void withANamespaceMetricsArePutToCloudWatch() {
		this.contexts
			.withPropertyValues("management.cloudwatch.metrics.export.namespace=Esteira",
					"management.cloudwatch.metrics.export.step=1s",
					"spring.cloud.aws.cloudwatch.endpoint=http://127.0.0.1:" + this.cloudWatch.getAddress().getPort())
			.run((context) -> {
				assertThat(context).hasSingleBean(CloudWatchMeterRegistry.class);
				context.getBean(MeterRegistry.class).counter("esteira.uploads", "kind", "image").increment();
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(this.requests).contains(
							"/service/GraniteServiceVersion20100801/operation/PutMetricData application/cbor"));
			});
	}

}
