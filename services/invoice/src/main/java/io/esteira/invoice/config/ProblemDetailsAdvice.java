package io.esteira.invoice.config;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;

import io.esteira.invoice.imports.ImportNotFoundException;
import io.esteira.invoice.invoices.InvalidInvoiceQueryException;
import io.esteira.invoice.invoices.InvoiceNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the REST API into an RFC 9457 problem detail with a stable {@code type}
 * ({@code https://esteira.io/problems/<kind>}): the service's own exceptions, and Spring MVC's (malformed ids and
 * parameters, an unknown path, ...), which get a type by status instead of {@code about:blank}.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	private static final String TYPE_BASE = "https://esteira.io/problems/";

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	private static final Map<Integer, String> TYPES_BY_STATUS = Map.of(400, "invalid-request", 404, "not-found", 405,
			"method-not-allowed", 406, "not-acceptable", 415, "unsupported-media-type", 500, "internal-error");

	@ExceptionHandler
	ProblemDetail invoiceNotFound(InvoiceNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "invoice-not-found", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail importNotFound(ImportNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "import-not-found", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail invalidQuery(InvalidInvoiceQueryException ex) {
		return problem(HttpStatus.BAD_REQUEST, "invalid-request", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "An unexpected error occurred.");
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String detail = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> result.getMethodParameter().getParameterName() + " " + error.getDefaultMessage()))
			.collect(Collectors.joining("; "));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail.isEmpty() ? "Invalid request" : detail);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		if (body instanceof ProblemDetail problem && (problem.getType() == null
				|| ABOUT_BLANK.equals(problem.getType()))) {
			String kind = TYPES_BY_STATUS.get(statusCode.value());
			if (kind != null) {
				problem.setType(URI.create(TYPE_BASE + kind));
			}
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private static ProblemDetail problem(HttpStatus status, String kind, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + kind));
		problem.setTitle(status.getReasonPhrase());
		return problem;
	}

}
