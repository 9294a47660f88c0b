package io.esteira.platform.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The request limit of each authenticated client ({@link ApiRequestLimits#clientWaitSeconds}): a client over it is
 * answered {@code 429} {@code rate-limited} with {@code Retry-After}. Anonymous requests (probes, permalinks, the
 * requests the authorization rules refuse) take no bucket, and {@code unlimited} requests (probes and actuator
 * endpoints) are never limited.
 */
class ClientRateLimitFilter extends OncePerRequestFilter {

	private final ApiRequestLimits limits;

	private final RequestMatcher unlimited;

	ClientRateLimitFilter(ApiRequestLimits limits, RequestMatcher unlimited) {
		this.limits = limits;
		this.unlimited = unlimited;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication client = SecurityContextHolder.getContext().getAuthentication();
		if (client != null && client.isAuthenticated() && !(client instanceof AnonymousAuthenticationToken)
				&& !this.unlimited.matches(request)) {
			long wait = this.limits.clientWaitSeconds(client.getName());
			if (wait > 0) {
				SecurityProblems.tooManyRequests(request, response, wait,
						"Too many requests from this client; try again in " + wait + " s.");
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
