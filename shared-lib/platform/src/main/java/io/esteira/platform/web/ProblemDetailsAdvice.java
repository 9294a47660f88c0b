package io.esteira.platform.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where a service's errors become RFC 9457 problem details:
 * <ul>
 * <li>a {@link ProblemException} keeps its own kind, title, detail, members and headers;</li>
 * <li>Spring MVC's own errors (a malformed parameter, an unknown path, a wrong media type, a multipart limit) get a
 * type by status ({@code invalid-request}, {@code not-found}, ...) instead of {@code about:blank};</li>
 * <li>a rejected request names its invalid fields and parameters in {@code errors} ({@code "size: must be less than
 * or equal to 100"}); a value a converter refused with a {@link ProblemException} says why;</li>
 * <li>anything else is a 500 {@code internal-error} whose detail says nothing of the cause, which is logged.</li>
 * </ul>
 * Every service with a REST API gets it from the platform's auto-configuration; a service that must add a kind of its
 * own that it cannot throw (an exception from a library) declares a subclass as its {@code @RestControllerAdvice}.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	private static final Map<Integer, String> KIND_BY_STATUS = Map.of(400, "invalid-request", 404, "not-found", 405,
			"method-not-allowed", 406, "not-acceptable", 413, "upload-too-large", 415, "unsupported-media-type", 500,
			"internal-error", 503, "service-unavailable");

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The request could not be completed.");
	}

	/** Gives Spring MVC's problems our types by status, and names the invalid fields of a rejected request. */
	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
				String kind = KIND_BY_STATUS.get(statusCode.value());
				if (kind != null) {
					problem.setType(ProblemException.type(kind));
				}
			}
			List<String> errors = errors(ex);
			if (!errors.isEmpty()) {
				problem.setProperty("errors", errors);
			}
		}
		return response;
	}

	/** The invalid fields and parameters of a rejected request, each as {@code "name: why"}. */
	protected List<String> errors(Exception ex) {
		if (ex instanceof BindException bind) {
			return bind.getFieldErrors()
				.stream()
				.map((error) -> error.getField() + ": "
						+ (error.isBindingFailure() ? bindingFailure(error) : error.getDefaultMessage()))
				.toList();
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

	/** Builds a problem of a kind, for a subclass's own handlers. */
	protected static ProblemDetail problem(HttpStatus status, String kind, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(ProblemException.type(kind));
		problem.setTitle(title);
		return problem;
	}

	private static String bindingFailure(FieldError error) {
		Throwable cause = error.contains(TypeMismatchException.class)
				? NestedExceptionUtils.getMostSpecificCause(error.unwrap(TypeMismatchException.class)) : null;
		return (cause instanceof ProblemException refused) ? refused.getMessage() : "invalid value";
	}

}
