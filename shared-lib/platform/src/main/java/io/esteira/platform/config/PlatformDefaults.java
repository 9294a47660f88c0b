package io.esteira.platform.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.esteira.platform.observability.PipelineTracing;
import io.esteira.platform.outbox.OutboxResubmission;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The defaults every Esteira service starts from, below everything a deployment sets (application.yml, environment
 * variables, system properties). The platform's README lists them with their reasons.
 * <ul>
 * <li>Observability: SQS observation on, so the trace context travels in message attributes; every request traced
 * (lower {@code management.tracing.sampling.probability} where traffic is high); the upload id as baggage that
 * crosses services and appears in the logs; the {@code application} tag on every metric; and no observation per
 * Spring Security filter (a dozen spans and timers around every request: a sixth of an invoice listing request's CPU,
 * 0.46 against 0.34–0.41 ms; the request itself is still observed, its status says whether security let it
 * through).</li>
 * <li>The outbox: a publication whose send failed is tried again by {@link OutboxResubmission} with the
 * {@value OutboxResubmission#STEP} step's policy (1 s doubling up to 30 s, for about 8 hours), so a send recovers
 * within 30 s of SQS coming back; one left in flight by a crash is declared failed after 2 minutes (Spring Modulith's
 * staleness monitor) and then tried again the same way.</li>
 * </ul>
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

	static final String SOURCE = "esteiraPlatformDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.cloud.aws.sqs.observation-enabled", "true");
		defaults.put("management.tracing.sampling.probability", "1.0");
		defaults.put("management.tracing.baggage.remote-fields", PipelineTracing.UPLOAD_ID);
		defaults.put("management.tracing.baggage.correlation.fields", PipelineTracing.UPLOAD_ID);
		defaults.put("management.observations.enable.spring.security", "false");
		defaults.put("management.metrics.tags.application", "${spring.application.name:esteira}");
		defaults.put("logging.pattern.correlation", "[%X{traceId:-},%X{spanId:-},%X{uploadId:-}] ");
		String outbox = "esteira.retry.steps." + OutboxResubmission.STEP + ".";
		defaults.put(outbox + "max-attempts", "1000");
		defaults.put(outbox + "initial-interval", "1s");
		defaults.put(outbox + "max-delay", "30s");
		defaults.put("spring.modulith.events.staleness.published", "2m");
		defaults.put("spring.modulith.events.staleness.processing", "2m");
		defaults.put("spring.modulith.events.staleness.resubmitted", "2m");
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
	}

}
