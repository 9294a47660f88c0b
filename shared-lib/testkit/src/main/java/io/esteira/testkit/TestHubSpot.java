package io.esteira.testkit;

import java.util.function.Consumer;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock on a free loopback port answering like HubSpot's CRM API ({@link #stubHubSpot}). Tests add their own
 * stubs (errors, rate limits) and verify the requests received.
 */
public final class TestHubSpot {

	/** The owner ({@code hubspot_owner_id}) of every contact the default stubs return. */
	public static final String OWNER = "77";

	private final WireMockServer server;

	private TestHubSpot(WireMockServer server) {
		this.server = server;
	}

	public static TestHubSpot start() {
		WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().globalTemplating(true));
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
	}

	/**
	 * HubSpot's answers, in HubSpot's shapes, through any way of registering stubs (this server, or a client of
	 * WireMock in another process): every contact exists and is owned by {@link #OWNER}; contact updates succeed;
	 * tasks and notes are created; searches find nothing; the photo property exists. Tests override them with
	 * stubs of a higher priority (a lower number than 10).
	 */
	public static void stubHubSpot(Consumer<MappingBuilder> register) {
		register.accept(patch(urlPathMatching("/crm/v3/objects/contacts/[^/]+")).atPriority(10)
			.willReturn(json(200, "{\"id\":\"{{request.pathSegments.[4]}}\",\"properties\":{},"
					+ "\"updatedAt\":\"{{now}}\",\"archived\":false}")));
		register.accept(get(urlPathMatching("/crm/v3/objects/contacts/[0-9]+")).atPriority(10)
			.willReturn(json(200, "{\"id\":\"{{request.pathSegments.[4]}}\",\"properties\":{\"hubspot_owner_id\":\""
					+ OWNER + "\",\"hs_object_id\":\"{{request.pathSegments.[4]}}\"},\"createdAt\":\"{{now}}\","
					+ "\"updatedAt\":\"{{now}}\",\"archived\":false}")));
		for (String objects : new String[] { "tasks", "notes" }) {
			register.accept(post(urlPathEqualTo("/crm/v3/objects/" + objects)).atPriority(10)
				.willReturn(json(201, "{\"id\":\"{{randomValue length=11 type='NUMERIC'}}\",\"properties\":{},"
						+ "\"createdAt\":\"{{now}}\",\"archived\":false}")));
		}
		register.accept(post(urlPathMatching("/crm/v3/objects/[a-z]+/search")).atPriority(10)
			.willReturn(json(200, "{\"total\":0,\"results\":[]}")));
		register.accept(get(urlPathMatching("/crm/v3/properties/contacts/[^/]+")).atPriority(10)
			.willReturn(json(200, "{\"name\":\"{{request.pathSegments.[4]}}\",\"type\":\"string\","
					+ "\"fieldType\":\"text\",\"groupName\":\"contactinformation\"}")));
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
