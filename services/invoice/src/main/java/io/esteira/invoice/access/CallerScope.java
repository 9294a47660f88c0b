package io.esteira.invoice.access;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.esteira.contracts.event.Tenants;
import io.esteira.platform.security.EsteiraPrincipal;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;

/**
 * The rows a caller may see, as SQL conditions: its own tenant's, or every tenant's with the {@code admin} scope (an
 * admin may narrow to one with {@code ?tenant=}); a customer-scoped caller only those of its customer document. The
 * conditions are added to the query itself, so a row of another tenant or customer is not found by the same query
 * that finds none: same answer, same path, no existence oracle.
 *
 * @param tenant the one tenant whose rows are visible; {@code null} for every tenant (an admin without a filter)
 * @param customerDocument the one customer (CPF/CNPJ, without punctuation, upper case) whose rows are visible;
 * {@code null} when the caller is not restricted to one
 * @param nothing whether no row is visible at all (a caller that is not an admin asking for another tenant)
 */
public record CallerScope(String tenant, String customerDocument, boolean nothing) {

	/** Every row of every tenant: for the service's own work (an import reading its summary), never for a caller. */
	public static final CallerScope UNRESTRICTED = new CallerScope(null, null, false);

	/**
	 * The scope of an authenticated caller.
	 * @param requestedTenant the {@code tenant} query parameter, or {@code null}: an admin sees that tenant only; any
	 * other caller sees its own tenant, and nothing when it names another
	 * @throws InvalidTenantException 400 when {@code requestedTenant} is not a well-formed tenant id
	 */
	public static CallerScope of(Authentication authentication, String requestedTenant) {
		EsteiraPrincipal caller = EsteiraPrincipal.of(authentication)
			.orElseThrow(() -> new AccessDeniedException("no authenticated caller"));
		if (requestedTenant != null && !Tenants.isValid(requestedTenant)) {
			throw new InvalidTenantException();
		}
		String document = caller.isCustomerScoped() ? caller.customerDocument() : null;
		if (caller.isAdmin()) {
			return new CallerScope(requestedTenant, document, false);
		}
		return new CallerScope(caller.tenantId(), document,
				requestedTenant != null && !requestedTenant.equals(caller.tenantId()));
	}

	/** The scope of an authenticated caller, without a {@code tenant} filter (single rows). */
	public static CallerScope of(Authentication authentication) {
		return of(authentication, null);
	}

	/**
	 * Adds the scope, as SQL conditions over a table with a {@code tenant} column, to {@code conditions}, and their
	 * values, as named parameters ({@code scopeTenant}, {@code scopeDocument}), to {@code params}.
	 * @param documentColumns the columns naming the row's customers: a customer-scoped caller sees a row when one of
	 * them holds its document
	 */
	public void addConditions(List<String> conditions, Map<String, Object> params, String... documentColumns) {
		if (this.nothing) {
			conditions.add("FALSE");
			return;
		}
		if (this.tenant != null) {
			conditions.add("tenant = :scopeTenant");
			params.put("scopeTenant", this.tenant);
		}
		if (this.customerDocument != null) {
			StringJoiner any = new StringJoiner(" OR ", "(", ")");
			for (String column : documentColumns) {
				any.add(column + " = :scopeDocument");
			}
			conditions.add((documentColumns.length > 0) ? any.toString() : "FALSE");
			params.put("scopeDocument", this.customerDocument);
		}
	}

	/** Never the customer document itself: it is personal data. */
	@Override
	public String toString() {
		return "CallerScope[tenant=" + ((this.tenant != null) ? this.tenant : "(all)") + ", customerDocument="
				+ ((this.customerDocument != null) ? "(set)" : "(none)") + ", nothing=" + this.nothing + "]";
	}

}
