package io.esteira.crmsync.photo;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.esteira.testkit.TestHubSpot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * HubSpot answers tests add on top of the test kit's defaults ({@link TestHubSpot#stubHubSpot}, restored by
 * {@code hubSpot().reset()}), in HubSpot's shapes, and the requests a test looks for.
 */
final class HubSpotStubs {

	static final String OWNER = TestHubSpot.OWNER;

	private static final String OBJECTS = "/crm/objects/" + TestHubSpot.API_VERSION + "/";

	static final String READ = OBJECTS + "contacts/batch/read";

	static final String UPDATE = OBJECTS + "contacts/batch/update";

	static final String TASKS = OBJECTS + "tasks/batch/create";

	static final String NOTES = OBJECTS + "notes/batch/create";

	static final String CONTACT_SEARCH = OBJECTS + "contacts/search";

	static final String TASK_SEARCH = OBJECTS + "tasks/search";

	private HubSpotStubs() {
	}

	static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	/** The batch update of a request naming this contact (ahead of the defaults). */
	static MappingBuilder updateOf(String contactId) {
		return post(urlPathEqualTo(UPDATE)).atPriority(5).withRequestBody(containing("\"" + contactId + "\""));
	}

	/** The batch read by id of a request naming this contact. */
	static MappingBuilder readOf(String contactId) {
		return post(urlPathEqualTo(READ)).atPriority(5).withRequestBody(containing("\"" + contactId + "\""));
	}

	/** Batch updates that named this contact. */
	static List<LoggedRequest> updatesOf(WireMockServer hubSpot, String contactId) {
		return hubSpot.findAll(postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(containing("\"" + contactId
				+ "\"")));
	}

	/** Requests to this path whose body contains {@code text}. */
	static List<LoggedRequest> requests(WireMockServer hubSpot, String path, String text) {
		return hubSpot.findAll(postRequestedFor(urlPathEqualTo(path)).withRequestBody(containing(text)));
	}

	/** A batch answer: these contacts (id, owner) updated or read. */
	static ResponseDefinitionBuilder contacts(String... idsAndOwners) {
		StringBuilder results = new StringBuilder();
		for (int i = 0; i < idsAndOwners.length; i += 2) {
			if (!results.isEmpty()) {
				results.append(',');
			}
			results.append("{\"id\":\"").append(idsAndOwners[i]).append("\",\"properties\":{\"hubspot_owner_id\":")
				.append((idsAndOwners[i + 1] != null) ? "\"" + idsAndOwners[i + 1] + "\"" : "null")
				.append("},\"archived\":false}");
		}
		return json(200, "{\"status\":\"COMPLETE\",\"results\":[" + results + "]}");
	}

	/** A batch read by email: this contact (id, owner) has this email. */
	static ResponseDefinitionBuilder contactWithEmail(String id, String owner, String email) {
		return json(200, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"" + id + "\",\"properties\":{\"email\":\""
				+ email + "\",\"hubspot_owner_id\":\"" + owner + "\"}}]}");
	}

	/** A 207 naming inputs that failed: an error of this category for these ids, no results. */
	static ResponseDefinitionBuilder failedItems(String category, String message, String... ids) {
		return json(207, "{\"status\":\"COMPLETE\",\"results\":[],\"numErrors\":1,\"errors\":[{\"status\":\"error\","
				+ "\"category\":\"" + category + "\",\"message\":\"" + message + "\",\"context\":{\"ids\":[\""
				+ String.join("\",\"", ids) + "\"]}}]}");
	}

	/** A search answer with these contacts (id, owner, phone). */
	static ResponseDefinitionBuilder contactsFound(String... idsOwnersAndPhones) {
		StringBuilder results = new StringBuilder();
		for (int i = 0; i < idsOwnersAndPhones.length; i += 3) {
			if (!results.isEmpty()) {
				results.append(',');
			}
			results.append("{\"id\":\"").append(idsOwnersAndPhones[i])
				.append("\",\"properties\":{\"hubspot_owner_id\":\"").append(idsOwnersAndPhones[i + 1])
				.append("\",\"phone\":\"").append(idsOwnersAndPhones[i + 2]).append("\"},\"archived\":false}");
		}
		return json(200, "{\"total\":" + (idsOwnersAndPhones.length / 3) + ",\"results\":[" + results + "]}");
	}

}
