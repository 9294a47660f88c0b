package io.esteira.platform.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who is calling, whatever the credential: an API key ({@code X-Api-Key}) or a bearer token (a JWT from the identity
 * provider). It is the principal of every authentication {@link ApiKeySecurity#apiChain} makes, so a service reads the
 * caller's tenant and customer document in one place ({@link #of(Authentication)}). Nothing enforces the tenant or the
 * customer document yet: they are only carried.
 *
 * @param name the client: the API key's {@code name}, or the token's principal claim ({@code sub} by default); the
 * per-client request limit is kept by this name
 * @param tenant the tenant the caller belongs to; {@code null} when the key or token names none
 * @param customerDocument the one customer (CNPJ or CPF) the caller is restricted to; {@code null} when it is not
 * restricted to one
 * @param scopes what it may do; each is also a {@code SCOPE_<scope>} authority
 */
public record EsteiraPrincipal(String name, String tenant, String customerDocument, Set<String> scopes)
		implements AuthenticatedPrincipal {

	public EsteiraPrincipal {
		scopes = Set.copyOf(scopes);
	}

	/** Never the customer document: it is personal data (a CPF names a person). */
	@Override
	public String toString() {
		return "EsteiraPrincipal[name=" + this.name + ", tenant=" + this.tenant + ", customerDocument="
				+ ((this.customerDocument != null) ? "(set)" : "(none)") + ", scopes=" + this.scopes + "]";
	}

	/** The name: {@link Authentication#getName()} answers it. */
	@Override
	public String getName() {
		return this.name;
	}

	/** An authenticated token for this caller, with a {@code SCOPE_<scope>} authority per scope. */
	UsernamePasswordAuthenticationToken authenticated() {
		List<SimpleGrantedAuthority> authorities = this.scopes.stream()
			.sorted()
			.map((scope) -> new SimpleGrantedAuthority("SCOPE_" + scope))
			.toList();
		return UsernamePasswordAuthenticationToken.authenticated(this, null, authorities);
	}

	/** The caller of an authentication made by {@link ApiKeySecurity#apiChain}; empty for anonymous requests. */
	public static Optional<EsteiraPrincipal> of(Authentication authentication) {
		return (authentication != null && authentication.getPrincipal() instanceof EsteiraPrincipal principal)
				? Optional.of(principal) : Optional.empty();
	}

}
