package io.esteira.platform.security;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code X-Api-Key} header. The presented key is hashed and looked up by hash, so the
 * configuration never holds a key and the lookup time does not depend on how much of a key matches. Scopes become
 * {@code SCOPE_<scope>} authorities. A request without a known key stays anonymous and is refused by the
 * authorization rules.
 * <p>
 * An unknown key is a failed authentication ({@link ApiRequestLimits#failed}: logged without the key, counted). A
 * remote address that has used up its failed authentications is answered {@code 429} with {@code Retry-After}
 * before its key is even hashed, so guessing keys from one address is slow whatever the guesses.
 * <p>
 * Where bearer tokens are accepted ({@link JwtProperties}), a request with {@code Authorization: Bearer …} is held to
 * the same limit here, then authenticated by its token alone (its {@code X-Api-Key}, if any, is not looked at).
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	public static final String HEADER = "X-Api-Key";

	/** Request attribute set when this request's key was unknown (its failure is already recorded). */
	static final String UNKNOWN_KEY_ATTRIBUTE = ApiKeyAuthenticationFilter.class.getName() + ".unknownKey";

	private final Map<String, ApiKeyProperties.ApiKey> keysByHash;

	private final ApiRequestLimits limits;

	/** Whether bearer tokens are accepted (another filter, after this one, authenticates them). */
	private final boolean bearerTokens;

	public ApiKeyAuthenticationFilter(ApiKeyProperties properties, ApiRequestLimits limits) {
		this(properties, limits, false);
	}

	ApiKeyAuthenticationFilter(ApiKeyProperties properties, ApiRequestLimits limits, boolean bearerTokens) {
		this.bearerTokens = bearerTokens;
		this.keysByHash = properties.apiKeys()
			.stream()
			.collect(Collectors.toUnmodifiableMap((key) -> key.sha256().toLowerCase(), Function.identity()));
		this.limits = limits;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = request.getHeader(HEADER);
		boolean token = this.bearerTokens
				&& StringUtils.startsWithIgnoreCase(request.getHeader(HttpHeaders.AUTHORIZATION), "bearer");
		if (token || (presented != null && !presented.isBlank())) {
			long refused = this.limits.refusedAuthenticationSeconds(request);
			if (refused > 0) {
				SecurityProblems.tooManyRequests(request, response, refused,
						"Too many failed authentications from this address; try again later.");
				return;
			}
			if (token) {
				chain.doFilter(request, response);
				return;
			}
			ApiKeyProperties.ApiKey key = this.keysByHash.get(ApiKeyProperties.sha256(presented.strip()));
			if (key != null) {
				SecurityContextHolder.getContext().setAuthentication(key.principal().authenticated());
			}
			else {
				this.limits.failed(request, ApiRequestLimits.Failure.UNKNOWN_KEY);
				request.setAttribute(UNKNOWN_KEY_ATTRIBUTE, Boolean.TRUE);
			}
		}
		chain.doFilter(request, response);
	}

}
