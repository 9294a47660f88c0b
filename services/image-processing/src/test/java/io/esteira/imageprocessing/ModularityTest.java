package io.esteira.imageprocessing;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/** Keeps the package boundaries honest: modules reach each other only through what they expose, without cycles. */
class ModularityTest {

	@Test
	void modulesRespectTheirBoundaries() {
		ApplicationModules.of(ImageProcessingApplication.class).verify();
	}

}
