package io.esteira.testkit;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock on a free loopback port answering like HubSpot's CRM API ({@link #stubHubSpot}). Tests add their own
 * stubs (errors, rate limits) and verify the requests received.
 */
public final class TestHubSpot {

	/** The owner ({@code hubspot_owner_id}) of every contact the default stubs return. */
	public static final String OWNER = "77";

	/** The API version crm-sync calls by default ({@code esteira.crm.hubspot.api-version}). */
	public static final String API_VERSION = "2026-09";

	/** Paths of CRM objects in any date version: {@code /crm/objects/<version>/}. */
	public static final String OBJECTS = "/crm/objects/[0-9]{4}-[0-9]{2}/";

	private final WireMockServer server;

	private TestHubSpot(WireMockServer server) {
		this.server = server;
	}

	public static TestHubSpot start() {
		MarkerSearch search = new MarkerSearch();
		WireMockServer server = new WireMockServer(
				options().bindAddress("127.0.0.1").dynamicPort().globalTemplating(true).extensions(search));
		search.journal = server;
		server.start();
		TestHubSpot hubSpot = new TestHubSpot(server);
		hubSpot.stubDefaults();
		return hubSpot;
	}

	/** Forgets every request and custom stub, and puts the default HubSpot answers back. */
	public void reset() {
		this.server.resetAll();
		stubDefaults();
	}

	public void stop() {
		this.server.stop();
	}

	public WireMockServer server() {
		return this.server;
	}

	public String baseUrl() {
		return this.server.baseUrl();
	}

	private void stubDefaults() {
		stubHubSpot(this.server::stubFor);
		// In this process only (the extension reads this server's journal): a search of tasks or notes by the
		// marker crm-sync writes into their body finds the one created with it, as HubSpot's search does.
		this.server.stubFor(post(urlPathMatching(OBJECTS + "(tasks|notes)/search")).atPriority(9)
			.withRequestBody(containing("CONTAINS_TOKEN"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withTransformers(MarkerSearch.NAME)));
	}

	/**
	 * Answers a search of tasks or notes whose body contains a token (the marker crm-sync writes into them) with the
	 * ones created with that marker ({@code objectWriteTraceId}), read from the journal of created objects: what
	 * crm-sync relies on after a crash between creating a task and storing its id.
	 */
	private static final class MarkerSearch implements ResponseDefinitionTransformerV2 {

		static final String NAME = "esteira-marker-search";

		private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"");

		private static final Pattern CREATED = Pattern.compile(
				"\\{\"id\":\"([0-9]+)\",\"properties\":\\{\"(hs_task_body|hs_note_body)\":\"([^\"]*)\"\\},"
						+ "\"objectWriteTraceId\":\"([^\"]+)\"");

		private volatile WireMockServer journal;

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public boolean applyGlobally() {
			return false;
		}

		@Override
		public ResponseDefinition transform(ServeEvent search) {
			Matcher value = VALUE.matcher(search.getRequest().getBodyAsString());
			String type = search.getRequest().getUrl().contains("/tasks/") ? "tasks" : "notes";
			StringBuilder results = new StringBuilder();
			int total = 0;
			if (value.find() && this.journal != null) {
				String marker = value.group(1);
				for (ServeEvent event : this.journal.getAllServeEvents()) {
					if (!event.getRequest().getUrl().matches(OBJECTS + type + "/batch/create")
							|| event.getResponse() == null || event.getResponse().getStatus() / 100 != 2) {
						continue;
					}
					Matcher created = CREATED.matcher(event.getResponse().getBodyAsString());
					while (created.find()) {
						if (created.group(4).equals(marker)) {
							results.append((total++ == 0) ? "" : ",")
								.append("{\"id\":\"")
								.append(created.group(1))
								.append("\",\"properties\":{\"")
								.append(created.group(2))
								.append("\":\"")
								.append(created.group(3))
								.append(" ")
								.append(marker)
								.append("\"}}");
						}
					}
				}
			}
			return ResponseDefinitionBuilder.like(search.getResponseDefinition())
				.withBody("{\"total\":" + total + ",\"results\":[" + results + "]}")
				.build();
		}

	}

	/**
	 * HubSpot's answers, in HubSpot's shapes (date-versioned batch endpoints, {@code /crm/objects/<version>/...}),
	 * through any way of registering stubs (this server, or a client of WireMock in another process): every contact
	 * read by id exists and is owned by {@link #OWNER}; no contact has the emails asked for; contact updates
	 * succeed; tasks and notes are created (each result carries its input's {@code objectWriteTraceId}); searches
	 * find nothing; the photo property exists. Tests override them with stubs of a higher priority (a lower number
	 * than 10).
	 */
	public static void stubHubSpot(Consumer<MappingBuilder> register) {
		String inputs = "{{#each (jsonPath request.body '$.inputs') as |input|}}";
		String next = "{{#unless @last}},{{/unless}}{{/each}}";
		register.accept(post(urlPathMatching(OBJECTS + "contacts/batch/read")).atPriority(10)
			.withRequestBody(notContaining("idProperty"))
			.willReturn(json(200, "{\"status\":\"COMPLETE\",\"results\":[" + inputs
					+ "{\"id\":\"{{input.id}}\",\"properties\":{\"hubspot_owner_id\":\"" + OWNER
					+ "\",\"hs_object_id\":\"{{input.id}}\"},\"archived\":false}" + next
					+ "],\"startedAt\":\"{{now}}\",\"completedAt\":\"{{now}}\"}")));
		register.accept(post(urlPathMatching(OBJECTS + "contacts/batch/read")).atPriority(10)
			.withRequestBody(containing("idProperty"))
			.willReturn(json(200, "{\"status\":\"COMPLETE\",\"results\":[],\"startedAt\":\"{{now}}\","
					+ "\"completedAt\":\"{{now}}\"}")));
		register.accept(post(urlPathMatching(OBJECTS + "contacts/batch/update")).atPriority(10)
			.willReturn(json(200, "{\"status\":\"COMPLETE\",\"results\":[" + inputs
					+ "{\"id\":\"{{input.id}}\",\"properties\":{},\"updatedAt\":\"{{now}}\",\"archived\":false}"
					+ next + "],\"startedAt\":\"{{now}}\",\"completedAt\":\"{{now}}\"}")));
		for (String[] objects : new String[][] { { "tasks", "hs_task_body" }, { "notes", "hs_note_body" } }) {
			register.accept(post(urlPathMatching(OBJECTS + objects[0] + "/batch/create")).atPriority(10)
				.willReturn(json(201, "{\"status\":\"COMPLETE\",\"results\":[" + inputs
						+ "{\"id\":\"{{randomValue length=11 type='NUMERIC'}}\",\"properties\":{\"" + objects[1]
						+ "\":\"(Esteira ref {{input.objectWriteTraceId}})\"},"
						+ "\"objectWriteTraceId\":\"{{input.objectWriteTraceId}}\",\"createdAt\":\"{{now}}\","
						+ "\"archived\":false}" + next + "],\"startedAt\":\"{{now}}\",\"completedAt\":\"{{now}}\"}")));
		}
		register.accept(post(urlPathMatching(OBJECTS + "[a-z]+/search")).atPriority(10)
			.willReturn(json(200, "{\"total\":0,\"results\":[]}")));
		register.accept(get(urlPathMatching("/crm/properties/[0-9]{4}-[0-9]{2}/contacts/[^/]+")).atPriority(10)
			.willReturn(json(200, "{\"name\":\"{{request.pathSegments.[4]}}\",\"type\":\"string\","
					+ "\"fieldType\":\"text\",\"groupName\":\"contactinformation\"}")));
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
