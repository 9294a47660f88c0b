package io.esteira.platform.retry;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The retry policy of each step ({@code esteira.retry.*}): {@code esteira.retry.default.*} for every step, and
 * {@code esteira.retry.steps.<step>.*} for one step, e.g. {@code esteira.retry.steps.thumbnail.max-attempts=3}. A
 * step's entry is a whole policy: the fields it leaves out take {@link RetryPolicy}'s defaults, not the
 * {@code default} entry's.
 *
 * @param defaults the policy of steps without an entry of their own ({@code esteira.retry.default.*})
 * @param steps policies by step name (the step names on the upload's timeline)
 */
@ConfigurationProperties("esteira.retry")
public record RetryPolicies(@Name("default") @DefaultValue RetryPolicy defaults, Map<String, RetryPolicy> steps) {

	public RetryPolicies {
		steps = (steps != null) ? Map.copyOf(steps) : Map.of();
	}

	/** The policy of {@code step}: its own entry, else the default. */
	public RetryPolicy forStep(String step) {
		return this.steps.getOrDefault(step, this.defaults);
	}

}
