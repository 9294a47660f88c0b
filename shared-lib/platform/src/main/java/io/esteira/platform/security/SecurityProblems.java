package io.esteira.platform.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * The problem details the security chain answers with itself (before any controller, so not through
 * {@link io.esteira.platform.web.ProblemDetailsAdvice}): the same members, in the same order, as the services'
 * {@code ProblemDetail} responses.
 */
final class SecurityProblems {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private SecurityProblems() {
	}

	/** 401 {@code missing-api-key}. */
	static void unauthorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
		write(request, response, HttpStatus.UNAUTHORIZED, "missing-api-key", "A valid X-Api-Key header or bearer token is required.");
	}

	/** 401 {@code invalid-token}, with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750). */
	static void invalidToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
		write(request, response, HttpStatus.UNAUTHORIZED, "invalid-token",
				"The bearer token is not valid (signature, expiry, issuer or audience).");
	}

	/** 403 {@code insufficient-scope}. */
	static void forbidden(HttpServletRequest request, HttpServletResponse response) throws IOException {
		write(request, response, HttpStatus.FORBIDDEN, "insufficient-scope",
				"The API key or token does not have the scope this operation needs.");
	}

	/** 503 {@code identity-provider-unavailable} with {@code Retry-After} in seconds. */
	static void identityProviderUnavailable(HttpServletRequest request, HttpServletResponse response,
			long retryAfterSeconds) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
		write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "identity-provider-unavailable",
				"The bearer token could not be checked: the identity provider's keys are unavailable. Try again later.");
	}

	/** 429 {@code rate-limited} with {@code Retry-After} in seconds. */
	static void tooManyRequests(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds,
			String detail) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
		write(request, response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited", detail);
	}

	private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String kind, String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", ProblemException.TYPE_BASE + kind);
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		MAPPER.writeValue(response.getOutputStream(), problem);
	}

}
