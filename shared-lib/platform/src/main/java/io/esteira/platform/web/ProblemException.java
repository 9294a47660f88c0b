package io.esteira.platform.web;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error a service answers with a problem of its own kind: {@code type} is {@value #TYPE_BASE} followed by the
 * kind, with a title and a detail. Spring MVC renders it (it is an {@link ErrorResponseException}); a service's
 * exception extends this class and names its kind once, in its constructor.
 */
public class ProblemException extends ErrorResponseException {

	/** Where every problem type of Esteira lives; a kind is appended ({@code upload-not-found}). */
	public static final String TYPE_BASE = "https://esteira.io/problems/";

	protected ProblemException(HttpStatusCode status, String kind, String title, String detail) {
		this(status, kind, title, detail, null);
	}

	protected ProblemException(HttpStatusCode status, String kind, String title, String detail,
			@Nullable Throwable cause) {
		super(status, problem(status, kind, title, detail), cause);
	}

	/** The problem type of a kind. */
	public static URI type(String kind) {
		return URI.create(TYPE_BASE + kind);
	}

	/** Adds a member to the problem (an id, the detected type, ...). */
	protected final void setProperty(String name, @Nullable Object value) {
		getBody().setProperty(name, value);
	}

	/** Asks the client to come back after some seconds ({@code Retry-After}). */
	protected final void retryAfter(long seconds) {
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
	}

	/** The detail, as a client reads it. */
	@Override
	public String getMessage() {
		String detail = getBody().getDetail();
		return (detail != null) ? detail : super.getMessage();
	}

	private static ProblemDetail problem(HttpStatusCode status, String kind, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type(kind));
		problem.setTitle(title);
		return problem;
	}

}
