package io.esteira.platform.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the authenticated caller in the logging context for the rest of its request: MDC keys {@value #TENANT} (its
 * tenant) and {@value #CALLER} (its API key's name or its token's principal), so that every line logged while serving
 * it can be found per tenant and per client (structured logs carry them as fields). Anonymous requests add nothing.
 */
class CallerLogContext extends OncePerRequestFilter {

	/** The MDC key of the caller's tenant. */
	static final String TENANT = "tenant";

	/** The MDC key of the caller's name ({@code client} would clash with ECS's {@code client.*} fields). */
	static final String CALLER = "caller";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<EsteiraPrincipal> caller = EsteiraPrincipal.of(SecurityContextHolder.getContext().getAuthentication());
		if (caller.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		try (MDC.MDCCloseable tenant = MDC.putCloseable(TENANT, caller.get().tenantId());
				MDC.MDCCloseable client = MDC.putCloseable(CALLER, caller.get().name())) {
			chain.doFilter(request, response);
		}
	}

}
