package io.esteira.crmsync;

import java.util.stream.Stream;

import io.esteira.testkit.EsteiraInfrastructure;

import org.springframework.boot.SpringApplication;

/**
 * Runs CRM sync from the IDE against the test kit's stand-ins (PostgreSQL, ElasticMQ, S3Proxy, WireMock as HubSpot).
 * Send an {@code ImageProcessedEvent} to {@code esteira-image-events} and watch WireMock's requests.
 */
public class TestCrmSyncApplication {

	public static void main(String[] args) {
		Stream<String> infrastructure = EsteiraInfrastructure.shared()
			.springProperties()
			.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue());
		String[] arguments = Stream.concat(Stream.concat(infrastructure, Stream.of("--esteira.crm.hubspot.token=local")),
				Stream.of(args))
			.toArray(String[]::new);
		SpringApplication.from(CrmSyncApplication::main).run(arguments);
	}

}
