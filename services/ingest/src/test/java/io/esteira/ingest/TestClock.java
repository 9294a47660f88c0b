package io.esteira.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link Clock}, movable by tests: it runs with the system clock, plus an offset a test sets with
 * {@link #advance(Duration)} and clears with {@link #reset()}. It replaces the application's clock bean (a bean post
 * processor wraps it), so every {@link IngestIntegrationTest} shares one context with it.
 */
public final class TestClock extends Clock {

	private final Clock base;

	private volatile Duration offset = Duration.ZERO;

	private TestClock(Clock base) {
		this.base = base;
	}

	/** From now on the clock reads {@code by} later than before. */
	public void advance(Duration by) {
		this.offset = this.offset.plus(by);
	}

	/** Back to the real time. */
	public void reset() {
		this.offset = Duration.ZERO;
	}

	@Override
	public Instant instant() {
		return this.base.instant().plus(this.offset);
	}

	@Override
	public ZoneId getZone() {
		return this.base.getZone();
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return Clock.offset(this.base.withZone(zone), this.offset);
	}

	/** Wraps the application's clock in a {@link TestClock}. */
	@Configuration(proxyBeanMethods = false)
	public static class Setup {

		@Bean
		static BeanPostProcessor testClockPostProcessor() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof Clock clock && !(bean instanceof TestClock)) ? new TestClock(clock) : bean;
				}

			};
		}

	}

}
