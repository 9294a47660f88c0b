package io.esteira.invoice.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OTLP exporter on this service's classpath: spans leave through the JDK's HttpClient sender (the OkHttp one,
 * with okio and kotlin-stdlib, is excluded in the pom). Without any sender the exporter fails only once an endpoint
 * is configured, which no other test does.
 */
class OtlpSpanExportTest {

	private final List<String> received = new CopyOnWriteArrayList<>();

	private HttpServer collector;

	@BeforeEach
	void startCollector() throws IOException {
		this.collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.collector.createContext("/v1/traces", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			this.received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
					+ " " + body.length);
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.collector.start();
	}

	@AfterEach
	void stopCollector() {
		this.collector.stop(0);
	}

	@Test
	void spansReachAnOtlpCollectorOverHttp() {
		new ApplicationContextRunner()
			.withPropertyValues("management.tracing.sampling.probability=1.0",
					"management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
							+ this.collector.getAddress().getPort() + "/v1/traces")
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					OpenTelemetrySdkAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
					OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Observation.createNotStarted("invoice-import", context.getBean(ObservationRegistry.class))
					.observe(() -> {
					});
				assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
					.isTrue();
			});
		assertThat(this.received).singleElement().asString().startsWith("POST application/x-protobuf ");
	}

}
