package io.esteira.platform.observability;

import java.time.Clock;

import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link PipelineTracing} for every service, and {@link QueueLag} for every SQS listener. */
@AutoConfiguration
@ConditionalOnClass(Tracer.class)
public class ObservabilityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PipelineTracing pipelineTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
			ObjectProvider<ObservationRegistry> observations) {
		return new PipelineTracing(tracer, propagator, observations);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MessageInterceptor.class, MeterRegistry.class })
	static class QueueLagConfiguration {

		@Bean
		MessageInterceptor<Object> esteiraQueueLag(ObjectProvider<MeterRegistry> registry) {
			return new QueueLag(registry, Clock.systemUTC());
		}

	}

}
