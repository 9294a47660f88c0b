package io.esteira.crmsync.photo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.esteira.testkit.TestHubSpot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * HubSpot answers tests add on top of the test kit's defaults ({@link TestHubSpot#stubHubSpot}, restored by
 * {@code hubSpot().reset()}), in HubSpot's shapes.
 */
final class HubSpotStubs {

	static final String OWNER = TestHubSpot.OWNER;

	static final String TASKS = "/crm/v3/objects/tasks";

	static final String NOTES = "/crm/v3/objects/notes";

	static final String CONTACT_SEARCH = "/crm/v3/objects/contacts/search";

	private HubSpotStubs() {
	}

	static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	/** A search answer with these contacts (id, owner). */
	static ResponseDefinitionBuilder contactsFound(String... idsAndOwners) {
		StringBuilder results = new StringBuilder();
		for (int i = 0; i < idsAndOwners.length; i += 2) {
			if (!results.isEmpty()) {
				results.append(',');
			}
			results.append("{\"id\":\"").append(idsAndOwners[i]).append("\",\"properties\":{\"hubspot_owner_id\":\"")
				.append(idsAndOwners[i + 1]).append("\"},\"archived\":false}");
		}
		return json(200, "{\"total\":" + (idsAndOwners.length / 2) + ",\"results\":[" + results + "]}");
	}

}
