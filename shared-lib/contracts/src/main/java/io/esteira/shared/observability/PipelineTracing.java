package io.esteira.shared.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps one upload's journey in one trace and its id on every log line. Ingest stores the trace context with the
 * object ({@link #objectMetadata()}, as S3 user metadata); a processing service that reads the object continues that
 * trace ({@link #open(UUID, Map, String)}), and what it sends over SQS inside the returned scope carries the trace on.
 * Without a tracer (tracing switched off) the scope only puts the upload id into the logging context.
 */
public class PipelineTracing {

	/** The baggage and logging (MDC) key of the upload id. */
	public static final String UPLOAD_ID = "uploadId";

	/** The object metadata key of the W3C trace context (stored by S3 as {@code x-amz-meta-traceparent}). */
	public static final String TRACEPARENT = "traceparent";

	private final ObjectProvider<Tracer> tracer;

	private final ObjectProvider<Propagator> propagator;

	public PipelineTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
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
	 * Opens the scope of one upload's work: a span named {@code name} that continues the trace found in the object's
	 * metadata (else a child of the current span), with the upload id as baggage and in the logging context. Close it
	 * when the work is done, in the thread that opened it.
	 * @param uploadId the upload
	 * @param objectMetadata the S3 user metadata of the upload's object (may be empty)
	 * @param name the span's name, e.g. {@code thumbnail}
	 */
	public Scope open(UUID uploadId, Map<String, String> objectMetadata, String name) {
		String id = uploadId.toString();
		MDC.MDCCloseable mdc = MDC.putCloseable(UPLOAD_ID, id);
		Tracer tracer = this.tracer.getIfAvailable();
		if (tracer == null) {
			return new Scope(null, null, null, mdc);
		}
		Span span = startSpan(tracer, objectMetadata, name);
		Tracer.SpanInScope inScope = tracer.withSpan(span);
		BaggageInScope baggage = tracer.createBaggageInScope(UPLOAD_ID, id);
		return new Scope(span, inScope, baggage, mdc);
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

			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_ROLLED_BACK) {
					scope.error(new IllegalStateException("rolled back"));
				}
				scope.close();
			}

		});
	}

	private Span startSpan(Tracer tracer, Map<String, String> objectMetadata, String name) {
		Propagator propagator = this.propagator.getIfAvailable();
		String traceparent = (objectMetadata != null) ? objectMetadata.get(TRACEPARENT) : null;
		if (propagator != null && traceparent != null && !traceparent.isBlank()) {
			return propagator.extract(Map.of(TRACEPARENT, traceparent), (carrier, key) -> carrier.get(key))
				.name(name)
				.start();
		}
		return tracer.nextSpan().name(name).start();
	}

	/** One upload's work: ends its span and clears its logging context when closed. */
	public static final class Scope implements AutoCloseable {

		private final Span span;

		private final Tracer.SpanInScope inScope;

		private final BaggageInScope baggage;

		private final MDC.MDCCloseable mdc;

		Scope(Span span, Tracer.SpanInScope inScope, BaggageInScope baggage, MDC.MDCCloseable mdc) {
			this.span = span;
			this.inScope = inScope;
			this.baggage = baggage;
			this.mdc = mdc;
		}

		/** Marks the span as failed with {@code error}. */
		public void error(Throwable error) {
			if (this.span != null) {
				this.span.error(error);
			}
		}

		@Override
		public void close() {
			if (this.baggage != null) {
				this.baggage.close();
			}
			if (this.inScope != null) {
				this.inScope.close();
			}
			if (this.span != null) {
				this.span.end();
			}
			this.mdc.close();
		}

	}

}
