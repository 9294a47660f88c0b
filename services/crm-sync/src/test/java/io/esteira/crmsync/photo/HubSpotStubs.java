package io.esteira.crmsync.photo;

import java.util.function.Consumer;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * HubSpot's answers for what the test kit's WireMock does not stub by default, in HubSpot's shapes: every contact
 * exists and is owned by {@link #OWNER}; tasks and notes are created; searches find nothing. Tests override them.
 */
final class HubSpotStubs {

	static final String OWNER = "77";

	static final String TASKS = "/crm/v3/objects/tasks";

	static final String NOTES = "/crm/v3/objects/notes";

	static final String CONTACT_SEARCH = "/crm/v3/objects/contacts/search";

	private HubSpotStubs() {
	}

	static void stubDefaults(WireMockServer hubSpot) {
		stubDefaults(hubSpot::stubFor);
	}

	/** The same, through any way of registering stubs (a server in this JVM, a client of another process). */
	static void stubDefaults(Consumer<MappingBuilder> hubSpot) {
		hubSpot.accept(get(urlPathMatching("/crm/v3/objects/contacts/[0-9]+")).atPriority(10)
			.willReturn(json(200, "{\"id\":\"{{request.pathSegments.[4]}}\",\"properties\":{\"hubspot_owner_id\":\""
					+ OWNER + "\",\"hs_object_id\":\"{{request.pathSegments.[4]}}\"},\"createdAt\":\"{{now}}\","
					+ "\"updatedAt\":\"{{now}}\",\"archived\":false}")));
		hubSpot.accept(post(urlPathEqualTo(TASKS)).atPriority(10)
			.willReturn(json(201, "{\"id\":\"{{randomValue length=11 type='NUMERIC'}}\",\"properties\":{},"
					+ "\"createdAt\":\"{{now}}\",\"archived\":false}")));
		hubSpot.accept(post(urlPathEqualTo(NOTES)).atPriority(10)
			.willReturn(json(201, "{\"id\":\"{{randomValue length=11 type='NUMERIC'}}\",\"properties\":{},"
					+ "\"createdAt\":\"{{now}}\",\"archived\":false}")));
		hubSpot.accept(post(urlPathMatching("/crm/v3/objects/[a-z]+/search")).atPriority(10)
			.willReturn(json(200, "{\"total\":0,\"results\":[]}")));
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
