package io.esteira.platform.observability;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.esteira.platform.config.PlatformDefaults;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.esteira.platform.outbox.SqsOutboxRelay;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Against the real OpenTelemetry tracer that Spring Boot configures in every service. */
class PipelineTracingTest {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withPropertyValues("management.tracing.sampling.probability=1.0",
				"management.tracing.baggage.remote-fields=uploadId",
				"management.tracing.baggage.correlation.fields=uploadId")
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				OpenTelemetrySdkAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, ObservabilityAutoConfiguration.class));

	@Test
	void aProcessingServiceContinuesTheTraceStoredWithTheObject() {
		this.contexts.run((context) -> {
			PipelineTracing tracing = context.getBean(PipelineTracing.class);
			UUID upload = UUID.randomUUID();
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			assertThat(tracing.currentTraceId()).isNull();
			// The SQS listener's observation of the S3 event: a trace of its own, since S3 events carry none.
			Observation listener = Observation.start("sqs.listener", registry);
			Observation.Scope listening = listener.openScope();
			String listenerTrace = tracing.currentTraceId();
			try (PipelineTracing.Scope scope = tracing.open(upload, Map.of(PipelineTracing.TRACEPARENT, TRACEPARENT),
					"thumbnail")) {
				assertThat(tracing.currentTraceId()).isEqualTo(TRACE_ID);
				assertThat(MDC.get(PipelineTracing.UPLOAD_ID)).isEqualTo(upload.toString());
				// What this service stores or sends on carries the same trace, with a span of its own.
				String passedOn = tracing.objectMetadata().get(PipelineTracing.TRACEPARENT);
				assertThat(passedOn).startsWith("00-" + TRACE_ID + "-").isNotEqualTo(TRACEPARENT);
				// A send observed inside the scope (as Spring Cloud AWS observes SQS sends) joins the same trace.
				Observation.createNotStarted("send", registry)
					.observe(() -> assertThat(tracing.currentTraceId()).isEqualTo(TRACE_ID));
			}
			assertThat(tracing.currentTraceId()).isEqualTo(listenerTrace).isNotEqualTo(TRACE_ID);
			listening.close();
			listener.stop();
			assertThat(tracing.currentTraceId()).isNull();
			assertThat(MDC.get(PipelineTracing.UPLOAD_ID)).isNull();
		});
	}

	@Test
	void anObjectWithoutTraceContextStartsATraceOfItsOwn() {
		this.contexts.run((context) -> {
			PipelineTracing tracing = context.getBean(PipelineTracing.class);
			try (PipelineTracing.Scope scope = tracing.open(UUID.randomUUID(), Map.of(), "invoice-import")) {
				assertThat(tracing.currentTraceId()).hasSize(32).isNotEqualTo(TRACE_ID);
			}
		});
	}

	@Test
	void whatTheOutboxSendsAfterTheCommitStillCarriesTheUploadsTrace() {
		this.contexts.withUserConfiguration(TransactionConfiguration.class).run((context) -> {
			PipelineTracing tracing = context.getBean(PipelineTracing.class);
			new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult((tx) -> {
				tracing.continueInTransaction(UUID.randomUUID(), Map.of(PipelineTracing.TRACEPARENT, TRACEPARENT),
						"thumbnail");
				context.publishEvent(new Processed());
			});
			assertThat(context.getBean(TransactionConfiguration.class).tracesAtRelay).containsExactly(TRACE_ID);
			assertThat(tracing.currentTraceId()).isNull();
		});
	}

	record Processed() {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionConfiguration {

		final List<String> tracesAtRelay = new CopyOnWriteArrayList<>();

		private final ObjectProvider<PipelineTracing> tracing;

		TransactionConfiguration(ObjectProvider<PipelineTracing> tracing) {
			this.tracing = tracing;
		}

		@Bean
		PlatformTransactionManager transactionManager() {
			// No resource behind it: only the synchronization callbacks matter here.
			return new AbstractPlatformTransactionManager() {

				@Override
				protected Object doGetTransaction() {
					return new Object();
				}

				@Override
				protected void doBegin(Object transaction, TransactionDefinition definition) {
				}

				@Override
				protected void doCommit(DefaultTransactionStatus status) {
				}

				@Override
				protected void doRollback(DefaultTransactionStatus status) {
				}

			};
		}

		@TransactionalEventListener
		@Order(SqsOutboxRelay.ORDER)
		void relay(Processed event) {
			this.tracesAtRelay.add(Objects.requireNonNullElse(this.tracing.getObject().currentTraceId(), "none"));
		}

	}

	@Test
	void continuingInATransactionNeedsOne() {
		this.contexts.run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(PipelineTracing.class)
				.continueInTransaction(UUID.randomUUID(), Map.of(), "thumbnail")));
	}

	@Test
	void withoutATracerOnlyTheLogsLearnTheUpload() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class))
			.run((context) -> {
				PipelineTracing tracing = context.getBean(PipelineTracing.class);
				UUID upload = UUID.randomUUID();
				try (PipelineTracing.Scope scope = tracing.open(upload, Map.of(), "thumbnail")) {
					assertThat(MDC.get(PipelineTracing.UPLOAD_ID)).isEqualTo(upload.toString());
					assertThat(tracing.objectMetadata()).isEmpty();
				}
				assertThat(MDC.get(PipelineTracing.UPLOAD_ID)).isNull();
			});
	}

	@Test
	void defaultsSwitchObservationOnBelowWhatADeploymentSets() {
		MockEnvironment environment = new MockEnvironment().withProperty("management.tracing.sampling.probability",
				"0.1");
		new PlatformDefaults().postProcessEnvironment(environment, null);
		assertThat(environment.getProperty("spring.cloud.aws.sqs.observation-enabled")).isEqualTo("true");
		assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("0.1");
		assertThat(environment.getProperty("management.observations.enable.spring.security")).isEqualTo("false");
	}

}
