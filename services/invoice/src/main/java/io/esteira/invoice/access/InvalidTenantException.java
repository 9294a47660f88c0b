package io.esteira.invoice.access;

import io.esteira.contracts.event.Tenants;
import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** A {@code tenant} query parameter that is not a tenant id ({@link Tenants#PATTERN}). */
public class InvalidTenantException extends ProblemException {

	InvalidTenantException() {
		super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
				"'tenant' must be a tenant id: " + Tenants.PATTERN);
	}

}
