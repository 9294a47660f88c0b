package io.esteira.platform.logging;

import java.util.Iterator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Masks personal data in every service's logs ({@link PersonalData}): once Spring Boot has configured Logback
 * ({@link LoggingApplicationListener}), the encoder of each appender that writes lines (console, file) is wrapped in a
 * {@link MaskingEncoder}. Registered in {@code META-INF/spring.factories}, so it works before any bean exists, for
 * plain and structured logs alike. Does nothing when Logback is not the logging system.
 */
public class LogMasking implements GenericApplicationListener {

	/** Just after Spring Boot's logging listener. */
	static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 1;

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventType.getRawClass();
		return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
				|| ApplicationPreparedEvent.class.isAssignableFrom(type));
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		apply();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** Wraps the encoder of every line-writing appender of the root logger that is not wrapped yet. */
	public static void apply() {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (!(factory instanceof LoggerContext context)) {
			return;
		}
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext();) {
			if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
				Encoder<ILoggingEvent> encoder = appender.getEncoder();
				if (encoder != null && !(encoder instanceof MaskingEncoder)) {
					MaskingEncoder masking = new MaskingEncoder(encoder);
					masking.setContext(context);
					masking.start();
					appender.setEncoder(masking);
				}
			}
		}
	}

}
