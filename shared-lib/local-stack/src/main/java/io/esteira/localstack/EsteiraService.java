package io.esteira.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** The four services, with the ports they use by default. */
enum EsteiraService {

	INGEST("ingest", 8080, 9080), IMAGE_PROCESSING("image-processing", 8081, 9081), INVOICE("invoice", 8082, 9082),
	CRM_SYNC("crm-sync", 8083, 9083);

	private final String id;

	private final int port;

	private final int managementPort;

	EsteiraService(String id, int port, int managementPort) {
		this.id = id;
		this.port = port;
		this.managementPort = managementPort;
	}

	String id() {
		return this.id;
	}

	int defaultPort() {
		return this.port;
	}

	int defaultManagementPort() {
		return this.managementPort;
	}

	/** The runnable jar Maven built ({@code services/<id>/target/esteira-<id>-<version>-exec.jar}). */
	Path jar(Path root) {
		Path target = root.resolve("services").resolve(this.id).resolve("target");
		try (var files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().matches("esteira-" + this.id + "-.*-exec\\.jar"))
				.findFirst()
				.orElseThrow();
		}
		catch (Exception ex) {
			throw new IllegalStateException("No runnable jar in " + target + ": build first (./mvnw -DskipTests package)",
					ex);
		}
	}

}
