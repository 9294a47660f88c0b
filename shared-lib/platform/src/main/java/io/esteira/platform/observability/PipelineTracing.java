package io.esteira.platform.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps one upload's journey in one trace and its id on every log line. Ingest stores the trace context with the
 * object ({@link #objectMetadata()}, as S3 user metadata); a processing service that reads the object continues that
 * trace ({@link #open(UUID, Map, String)}): the scope is an observation, so what the service sends over SQS inside it
 * (Spring Cloud AWS observes sends as children of the current observation) carries the trace on. Without tracing the
 * scope only puts the upload id into the logging context.
 */
public class PipelineTracing {

	/** The baggage and logging (MDC) key of the upload id. */
	public static final String UPLOAD_ID = "uploadId";

	/** The observation of one upload's work in a service: a span per step, and the timer {@code esteira.upload}. */
	public static final String OBSERVATION = "esteira.upload";

	/** The object metadata key of the W3C trace context (stored by S3 as {@code x-amz-meta-traceparent}). */
	public static final String TRACEPARENT = "traceparent";

	private final ObjectProvider<Tracer> tracer;

	private final ObjectProvider<Propagator> propagator;

	private final ObjectProvider<ObservationRegistry> observations;

	public PipelineTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
			ObjectProvider<ObservationRegistry> observations) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.observations = observations;
	}

	/** The current trace context as object metadata ({@code traceparent}), empty when nothing is traced. */
	public Map<String, String> objectMetadata() {
		Tracer tracer = this.tracer.getIfAvailable();
		Propagator propagator = this.propagator.getIfAvailable();
		Map<String, String> metadata = new HashMap<>();
		if (tracer != null && propagator != null && tracer.currentTraceContext().context() != null) {
			TraceContext context = tracer.currentTraceContext().context();
			propagator.inject(context, metadata, (carrier, key, value) -> {
				if (TRACEPARENT.equals(key)) {
					carrier.put(key, value);
				}
			});
		}
		return metadata;
	}

	/** The id of the current trace, or {@code null} when nothing is traced. */
	public String currentTraceId() {
		Tracer tracer = this.tracer.getIfAvailable();
		TraceContext context = (tracer != null) ? tracer.currentTraceContext().context() : null;
		return (context != null) ? context.traceId() : null;
	}

	/**
	 * Opens the scope of one upload's work: an observation (a span named {@code name}, and the timer
	 * {@code esteira.upload} tagged {@code step}) that continues the trace found in the object's metadata (else a
	 * child of the current observation), with the upload id as baggage and in the logging context. Close it
	 * when the work is done, in the thread that opened it.
	 * @param uploadId the upload
	 * @param objectMetadata the S3 user metadata of the upload's object (may be empty)
	 * @param name the span's name, e.g. {@code thumbnail}
	 */
	public Scope open(UUID uploadId, Map<String, String> objectMetadata, String name) {
		String id = uploadId.toString();
		MDC.MDCCloseable mdc = MDC.putCloseable(UPLOAD_ID, id);
		ObservationRegistry registry = this.observations.getIfAvailable(() -> ObservationRegistry.NOOP);
		String traceparent = (objectMetadata != null) ? objectMetadata.get(TRACEPARENT) : null;
		Observation observation;
		if (traceparent != null && !traceparent.isBlank()) {
			// A receiver's observation: the tracing handler continues the trace found in the carrier.
			ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key));
			context.setCarrier(Map.of(TRACEPARENT, traceparent.strip()));
			context.setRemoteServiceName("s3");
			observation = Observation.createNotStarted(OBSERVATION, () -> context, registry);
		}
		else {
			observation = Observation.createNotStarted(OBSERVATION, registry);
		}
		observation.contextualName(name).lowCardinalityKeyValue("step", name).start();
		// Spring Cloud AWS's send observations take the current observation as parent: this one, from now on.
		Observation.Scope scope = observation.openScope();
		Tracer tracer = this.tracer.getIfAvailable();
		BaggageInScope baggage = (tracer != null) ? tracer.createBaggageInScope(UPLOAD_ID, id) : null;
		return new Scope(observation, scope, baggage, mdc);
	}

	/**
	 * {@link #open(UUID, Map, String) Opens} the upload's scope for the rest of the current transaction: it closes
	 * after the transaction completes, so what the transaction sends after its commit (the outbox) still carries the
	 * upload's trace. Call it in the thread that runs the transaction, once the upload is known.
	 * @throws IllegalStateException without an active transaction
	 */
	public void continueInTransaction(UUID uploadId, Map<String, String> objectMetadata, String name) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("No transaction to continue upload " + uploadId + "'s trace in");
		}
		Scope scope = open(uploadId, objectMetadata, name);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			// Last: after-commit listeners (the outbox relay among them) run in afterCompletion too, ordered.
			@Override
			public int getOrder() {
				return Ordered.LOWEST_PRECEDENCE;
			}

			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_ROLLED_BACK) {
					scope.error(new IllegalStateException("rolled back"));
				}
				scope.close();
			}

		});
	}

	/** One upload's work: ends its span and clears its logging context when closed. */
	public static final class Scope implements AutoCloseable {

		private final Observation observation;

		private final Observation.Scope scope;

		private final BaggageInScope baggage;

		private final MDC.MDCCloseable mdc;

		Scope(Observation observation, Observation.Scope scope, BaggageInScope baggage, MDC.MDCCloseable mdc) {
			this.observation = observation;
			this.scope = scope;
			this.baggage = baggage;
			this.mdc = mdc;
		}

		/** Marks the work as failed with {@code error}. */
		public void error(Throwable error) {
			this.observation.error(error);
		}

		@Override
		public void close() {
			if (this.baggage != null) {
				this.baggage.close();
			}
			this.scope.close();
			this.observation.stop();
			this.mdc.close();
		}

	}

}
