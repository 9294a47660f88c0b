package io.esteira.platform.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.esteira.contracts.event.Tenants;
import io.esteira.contracts.event.UploadMetadata;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who is calling, whatever the credential: an API key ({@code X-Api-Key}) or a bearer token (a JWT from the identity
 * provider). It is the principal of every authentication {@link ApiKeySecurity#apiChain} makes, so a service reads the
 * caller's tenant and customer document in one place ({@link #of(Authentication)}). Each service enforces them on its
 * own rows: a caller sees its {@linkplain #tenantId() tenant}'s rows only ({@link #canSee}), unless it has the
 * {@value #ADMIN_SCOPE} scope; a {@linkplain #isCustomerScoped() customer-scoped} caller sees only its customer's.
 *
 * @param name the client: the API key's {@code name}, or the token's principal claim ({@code sub} by default); the
 * per-client request limit is kept by this name
 * @param tenant the tenant the caller belongs to; {@code null} when the key or token names none, which is
 * {@link Tenants#DEFAULT} ({@link #tenantId()})
 * @param customerDocument the one customer (CNPJ or CPF) the caller is restricted to, without punctuation and in
 * upper case (the alphanumeric CNPJ has letters); {@code null} when it is not restricted to one
 * @param scopes what it may do; each is also a {@code SCOPE_<scope>} authority
 */
public record EsteiraPrincipal(String name, String tenant, String customerDocument, Set<String> scopes)
		implements AuthenticatedPrincipal {

	/** The scope that crosses tenants: its holder sees every tenant's rows. */
	public static final String ADMIN_SCOPE = "admin";

	public EsteiraPrincipal {
		scopes = Set.copyOf(scopes);
		customerDocument = (customerDocument == null || customerDocument.isBlank()) ? null
				: UploadMetadata.normalizeDocument(customerDocument);
	}

	/** The caller's tenant: {@link #tenant()}, or {@link Tenants#DEFAULT} when the key or token names none. */
	public String tenantId() {
		return Tenants.orDefault(this.tenant);
	}

	/** Whether the caller has {@code scope}. */
	public boolean hasScope(String scope) {
		return this.scopes.contains(scope);
	}

	/** Whether the caller crosses tenants (the {@value #ADMIN_SCOPE} scope). */
	public boolean isAdmin() {
		return hasScope(ADMIN_SCOPE);
	}

	/** Whether the caller may see the rows of {@code tenant}: its own tenant's, or every tenant's as an admin. */
	public boolean canSee(String tenant) {
		return isAdmin() || tenantId().equals(Tenants.orDefault(tenant));
	}

	/**
	 * Whether the caller is restricted to one customer ({@link #customerDocument()}): it sees only that customer's
	 * rows, and cannot upload.
	 */
	public boolean isCustomerScoped() {
		return this.customerDocument != null && !this.customerDocument.isBlank();
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
