package io.esteira.ingest.web;

import java.util.List;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UnknownUploadKindException;
import io.esteira.platform.web.ProblemDetailsAdvice;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * The platform's {@link ProblemDetailsAdvice} (ingest's own errors are {@code ProblemException}s), plus what only
 * ingest meets and cannot throw itself: S3 failing under a request ({@code storage-unavailable}, 503 with
 * {@code Retry-After}), a multipart body over the upload limit (413 naming the limit), and an unknown upload kind in a
 * JSON body (named in {@code errors} like a bad form field).
 */
@RestControllerAdvice
class IngestProblems extends ProblemDetailsAdvice {

	private static final Logger logger = LoggerFactory.getLogger(IngestProblems.class);

	private final IngestProperties properties;

	IngestProblems(IngestProperties properties) {
		this.properties = properties;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> storageError(SdkException ex) {
		logger.warn("Object storage failed: {}", ex.getMessage());
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable", "Storage unavailable",
				"Object storage is not available; try again later.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "30")
			.body(problem);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		IngestProperties.MaxSize limits = this.properties.maxSize();
		ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "upload-too-large", "Upload too large",
				"The file is larger than the largest upload limit, " + limits.largest().toBytes() + " bytes (image: "
						+ limits.image().toBytes() + ", invoice: " + limits.invoice().toBytes() + ").");
		problem.setProperty("limitBytes", limits.largest().toBytes());
		return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
	}

	@Override
	protected List<String> errors(Exception ex) {
		List<String> errors = super.errors(ex);
		// An unknown kind in a request parameter or a JSON body (a form field's is among the binding errors already).
		if (errors.isEmpty()
				&& NestedExceptionUtils.getMostSpecificCause(ex) instanceof UnknownUploadKindException unknown) {
			return List.of("kind: " + unknown.getMessage());
		}
		return errors;
	}

}
