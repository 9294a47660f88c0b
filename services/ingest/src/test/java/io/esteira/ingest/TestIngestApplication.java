package io.esteira.ingest;

import io.esteira.platform.security.ApiKeyProperties;
import io.esteira.testkit.EsteiraTestInitializer;

import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Runs ingest from the IDE against the test kit's stand-ins (embedded PostgreSQL, ElasticMQ, S3Proxy), with the demo
 * key: {@code curl -H 'X-Api-Key: esteira-demo-key' -F kind=image -F file=@photo.png
 * localhost:8080/api/uploads}.
 */
public final class TestIngestApplication {

	private TestIngestApplication() {
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(IngestApplication.class).initializers(new EsteiraTestInitializer())
			.properties("esteira.security.api-keys[0].name=demo",
					"esteira.security.api-keys[0].sha256=" + ApiKeyProperties.sha256("esteira-demo-key"),
					"esteira.security.api-keys[0].scopes=uploads:write,uploads:read,uploads:delete,crm:write,invoices:read",
					// callbacks to a receiver on this machine (a client secret comes from the environment:
					// ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_DEMO)
					"esteira.ingest.notifications.insecure-callback-hosts=localhost",
					"esteira.ingest.notifications.internal-callback-receivers=localhost")
			.run(args);
	}

}
