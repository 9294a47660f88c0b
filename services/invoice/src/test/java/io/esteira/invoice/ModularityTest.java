package io.esteira.invoice;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/** Keeps the package boundaries honest: modules reach each other only through what they expose, without cycles. */
class ModularityTest {

	@Test
	void modulesRespectTheirBoundaries() {
		ApplicationModules.of(InvoiceApplication.class).verify();
	}

}
