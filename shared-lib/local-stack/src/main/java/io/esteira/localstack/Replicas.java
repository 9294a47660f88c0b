package io.esteira.localstack;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How many replicas of each service the local stack runs, each its own process with its own ports and log:
 * {@code -Dreplicas=2} runs every processing service (image-processing, invoice, crm-sync) twice, or per service,
 * {@code -Dreplicas=crm-sync:2,image-processing:2} (the services not named run once). Ingest always runs once: the
 * stack has one API URL and no load balancer in front. Default: one of each; at most {@value #MAX} of a service.
 */
public final class Replicas {

	/** The most replicas of one service: each is a JVM of up to 384 MB heap on a shared machine. */
	static final int MAX = 4;

	private final Map<EsteiraService, Integer> counts;

	private Replicas(Map<EsteiraService, Integer> counts) {
		this.counts = counts;
	}

	/** One of each service. */
	public static Replicas one() {
		return parse("1");
	}

	/**
	 * Reads {@code N} or {@code service:N,service:N} ({@code null} or blank: one of each).
	 * @throws IllegalArgumentException for an unknown service, a count out of 1..{@value #MAX}, or ingest above 1
	 */
	public static Replicas parse(String spec) {
		Map<EsteiraService, Integer> counts = new EnumMap<>(EsteiraService.class);
		for (EsteiraService service : EsteiraService.values()) {
			counts.put(service, 1);
		}
		String text = (spec != null) ? spec.strip() : "";
		if (text.isEmpty()) {
			return new Replicas(counts);
		}
		if (!text.contains(":")) {
			int count = count(text, spec);
			for (EsteiraService service : EsteiraService.values()) {
				if (service != EsteiraService.INGEST) {
					counts.put(service, count);
				}
			}
			return new Replicas(counts);
		}
		for (String part : text.split(",")) {
			String[] pair = part.strip().split(":", -1);
			if (pair.length != 2) {
				throw new IllegalArgumentException("replicas: expected N or service:N,service:N, got '" + spec + "'");
			}
			EsteiraService service = service(pair[0].strip(), spec);
			int count = count(pair[1].strip(), spec);
			if (service == EsteiraService.INGEST && count != 1) {
				throw new IllegalArgumentException(
						"replicas: ingest runs once in the local stack (one API URL, no load balancer), got '" + spec
								+ "'");
			}
			counts.put(service, count);
		}
		return new Replicas(counts);
	}

	/** How many processes of {@code service} run. */
	int of(EsteiraService service) {
		return this.counts.get(service);
	}

	/** How many service processes run in all. */
	public int total() {
		return this.counts.values().stream().mapToInt(Integer::intValue).sum();
	}

	private static EsteiraService service(String id, String spec) {
		for (EsteiraService service : EsteiraService.values()) {
			if (service.id().equals(id)) {
				return service;
			}
		}
		throw new IllegalArgumentException("replicas: no service '" + id + "' in '" + spec
				+ "' (ingest, image-processing, invoice, crm-sync)");
	}

	private static int count(String text, String spec) {
		int count;
		try {
			count = Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("replicas: '" + text + "' in '" + spec + "' is not a number", ex);
		}
		if (count < 1 || count > MAX) {
			throw new IllegalArgumentException("replicas: " + count + " in '" + spec + "' is not within 1.." + MAX);
		}
		return count;
	}

	/** As {@link #parse} reads it, every service named: {@code ingest:1,image-processing:2,invoice:1,crm-sync:2}. */
	@Override
	public String toString() {
		StringJoiner joiner = new StringJoiner(",");
		this.counts.forEach((service, count) -> joiner.add(service.id() + ":" + count));
		return joiner.toString();
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof Replicas replicas) && this.counts.equals(replicas.counts);
	}

	@Override
	public int hashCode() {
		return this.counts.hashCode();
	}

}
