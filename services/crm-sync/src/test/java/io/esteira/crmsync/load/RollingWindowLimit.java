package io.esteira.crmsync.load;

import java.util.ArrayDeque;
import java.util.Deque;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * A WireMock extension (loaded in the separate WireMock process) that limits requests like HubSpot: at most
 * {@code load.limit} requests in any rolling {@code load.periodMillis} window, else {@code 429} with HubSpot's
 * {@code TEN_SECONDLY_ROLLING} body. {@code GET /__load/stats} answers what it saw.
 */
public class RollingWindowLimit implements ResponseDefinitionTransformerV2 {

	static final String STATS = "/__load/stats";

	private final int limit = Integer.getInteger("load.limit", 100);

	private final long periodNanos = Long.getLong("load.periodMillis", 10_000) * 1_000_000;

	private final Deque<Long> window = new ArrayDeque<>();

	private long accepted;

	private long rejected;

	private int maxInWindow;

	private long first;

	private long last;

	@Override
	public String getName() {
		return "rolling-window-limit";
	}

	@Override
	public synchronized ResponseDefinition transform(ServeEvent serveEvent) {
		if (serveEvent.getRequest().getUrl().startsWith(STATS)) {
			double seconds = (this.last - this.first) / 1e9;
			return aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"accepted\":" + this.accepted + ",\"rejected\":" + this.rejected + ",\"maxInWindow\":"
						+ this.maxInWindow + ",\"seconds\":" + seconds + "}")
				.build();
		}
		long now = System.nanoTime();
		while (!this.window.isEmpty() && this.window.peekFirst() <= now - this.periodNanos) {
			this.window.pollFirst();
		}
		if (this.window.size() >= this.limit) {
			this.rejected++;
			return aResponse().withStatus(429)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
						+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}")
				.build();
		}
		this.window.addLast(now);
		if (this.accepted == 0) {
			this.first = now;
		}
		this.last = now;
		this.accepted++;
		this.maxInWindow = Math.max(this.maxInWindow, this.window.size());
		return serveEvent.getResponseDefinition();
	}

}
