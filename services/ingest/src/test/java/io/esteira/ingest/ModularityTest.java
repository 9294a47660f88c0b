package io.esteira.ingest;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/** Keeps the package boundaries honest: each feature package is a module, used only through its API. */
class ModularityTest {

	@Test
	void featurePackagesOnlyUseEachOthersApi() {
		ApplicationModules.of(IngestApplication.class).verify();
	}

}
