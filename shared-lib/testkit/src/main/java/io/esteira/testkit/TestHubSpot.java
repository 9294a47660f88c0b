package io.esteira.testkit;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock on a free loopback port answering like HubSpot's CRM API: a contact update returns the contact. Tests add their own stubs (errors, rate limits) and verify the requests received.
 */
public final class TestHubSpot {

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
		this.server.stubFor(patch(urlPathMatching("/crm/v3/objects/contacts/[^/]+")).atPriority(10)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"id\":\"{{request.pathSegments.[4]}}\",\"properties\":{},\"updatedAt\":\"{{now}}\","
						+ "\"archived\":false}")));
	}

}
