package io.esteira.ingest.web;

import java.util.Set;
import java.util.TreeSet;

import io.esteira.platform.security.EsteiraPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/me} (any authenticated caller): who the key or token is, so the status page can show the tenant
 * it lists. Never the customer document itself (personal data), only whether the caller is restricted to one.
 */
@RestController
class CallerController {

	/**
	 * @param customerScoped whether the caller sees one customer's uploads only
	 */
	record Caller(String name, String tenant, Set<String> scopes, boolean customerScoped) {
	}

	@GetMapping("/api/me")
	Caller me(@AuthenticationPrincipal EsteiraPrincipal caller) {
		return new Caller(caller.name(), caller.tenantId(), new TreeSet<>(caller.scopes()), caller.isCustomerScoped());
	}

}
