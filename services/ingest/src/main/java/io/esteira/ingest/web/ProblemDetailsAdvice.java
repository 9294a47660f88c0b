package io.esteira.ingest.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.deadletter.QueueNotFoundException;
import io.esteira.ingest.permalink.ThumbnailNotFoundException;
import io.esteira.ingest.upload.InvalidUploadException;
import io.esteira.ingest.upload.StorageUnavailableException;
import io.esteira.ingest.upload.UnknownUploadKindException;
import io.esteira.ingest.upload.UnsupportedUploadTypeException;
import io.esteira.ingest.upload.UploadNotFoundException;
import io.esteira.ingest.upload.UploadNotRedrivableException;
import io.esteira.ingest.upload.UploadTooLargeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where errors become RFC 9457 problem details, each kind with a stable {@code type} URI under
 * {@value #TYPE_BASE}. Spring MVC's own errors (bad parameters, wrong media type, multipart limits) go through the
 * same types by status.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	static final String TYPE_BASE = "https://esteira.io/problems/";

	private static final Logger logger = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	private static final Map<Integer, String> TYPE_BY_STATUS = Map.of(400, "invalid-request", 404, "not-found", 405,
			"method-not-allowed", 406, "not-acceptable", 413, "upload-too-large", 415, "unsupported-media-type", 503,
			"service-unavailable");

	/**
	 * Our own errors: each exception's status, type and title; the detail is its message. Looked up by exact class
	 * (none of them has subclasses); {@link #known} handles exactly these.
	 */
	private static final Map<Class<? extends RuntimeException>, Kind> KINDS = Map.of(
			UploadNotFoundException.class, new Kind(HttpStatus.NOT_FOUND, "upload-not-found", "Upload not found"),
			UploadNotRedrivableException.class,
			new Kind(HttpStatus.CONFLICT, "not-retryable", "Upload cannot be retried"),
			QueueNotFoundException.class, new Kind(HttpStatus.NOT_FOUND, "queue-not-found", "Queue not found"),
			ThumbnailNotFoundException.class, new Kind(HttpStatus.NOT_FOUND, "file-not-found", "File not found"),
			UploadTooLargeException.class,
			new Kind(HttpStatus.CONTENT_TOO_LARGE, "upload-too-large", "Upload too large"),
			UnsupportedUploadTypeException.class,
			new Kind(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
			InvalidUploadException.class, new Kind(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request"),
			StorageUnavailableException.class,
			new Kind(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable", "Storage unavailable"));

	/** Seconds a client is asked to wait when object storage is unavailable. */
	private static final String RETRY_AFTER_SECONDS = "30";

	private final IngestProperties properties;

	ProblemDetailsAdvice(IngestProperties properties) {
		this.properties = properties;
	}

	@ExceptionHandler({ UploadNotFoundException.class, UploadNotRedrivableException.class,
			QueueNotFoundException.class, ThumbnailNotFoundException.class, UploadTooLargeException.class,
			UnsupportedUploadTypeException.class, InvalidUploadException.class, StorageUnavailableException.class })
	ResponseEntity<ProblemDetail> known(RuntimeException ex) {
		Kind kind = KINDS.get(ex.getClass());
		ProblemDetail problem = problem(kind.status(), kind.type(), kind.title(), ex.getMessage());
		if (ex instanceof UnsupportedUploadTypeException unsupported) {
			problem.setProperty("detectedType", unsupported.detectedType());
		}
		if (ex instanceof StorageUnavailableException unavailable) {
			problem.setProperty("uploadId", unavailable.uploadId());
			return retryLater(problem);
		}
		return ResponseEntity.status(kind.status()).body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> storageError(SdkException ex) {
		logger.warn("Object storage failed: {}", ex.getMessage());
		Kind kind = KINDS.get(StorageUnavailableException.class);
		return retryLater(problem(kind.status(), kind.type(), kind.title(),
				"Object storage is not available; try again later."));
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The request could not be completed.");
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Kind kind = KINDS.get(UploadTooLargeException.class);
		ProblemDetail problem = problem(kind.status(), kind.type(), kind.title(),
				"The file is larger than the limit of " + this.properties.maxUploadSize().toBytes() + " bytes.");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
	}

	/** Gives Spring MVC's problems our types, and names the invalid fields of a rejected request. */
	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
				String type = TYPE_BY_STATUS.get(statusCode.value());
				if (type != null) {
					problem.setType(URI.create(TYPE_BASE + type));
				}
			}
			List<String> errors = errors(ex);
			if (!errors.isEmpty()) {
				problem.setProperty("errors", errors);
			}
		}
		return response;
	}

	private static List<String> errors(Exception ex) {
		if (ex instanceof BindException bind) {
			return bind.getFieldErrors()
				.stream()
				.map((error) -> error.getField() + ": "
						+ (error.isBindingFailure() ? bindingFailure(error) : error.getDefaultMessage()))
				.toList();
		}
		// An unknown upload kind in a request parameter or a JSON body.
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof UnknownUploadKindException unknown) {
			return List.of("kind: " + unknown.getMessage());
		}
		if (ex instanceof HandlerMethodValidationException validation) {
			return validation.getParameterValidationResults()
				.stream()
				.flatMap((result) -> result.getResolvableErrors()
					.stream()
					.map((error) -> result.getMethodParameter().getParameterName() + ": "
							+ error.getDefaultMessage()))
				.toList();
		}
		return List.of();
	}

	private static String bindingFailure(FieldError error) {
		Throwable cause = error.contains(TypeMismatchException.class)
				? NestedExceptionUtils.getMostSpecificCause(error.unwrap(TypeMismatchException.class)) : null;
		return (cause instanceof UnknownUploadKindException unknown) ? unknown.getMessage() : "invalid value";
	}

	private static ResponseEntity<ProblemDetail> retryLater(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus())
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem);
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return problem;
	}

	private record Kind(HttpStatus status, String type, String title) {
	}

}
