package io.esteira.ingest.notification;

import java.lang.reflect.Method;

import io.esteira.ingest.upload.UploadFinished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.stereotype.Component;

/**
 * How a failed delivery attempt of a notification ({@link SnsNotifier}, {@link CallbackNotifier}) is logged: one WARN
 * line with the upload, the channel and the cause, the stack trace at DEBUG. The event stays in the outbox and is
 * delivered again with backoff, so an SNS or receiver outage writes a line per attempt, not a stack trace per attempt
 * (Spring's default handler logs every one at ERROR). The notifiers are the service's only asynchronous methods.
 */
@Component
class NotificationFailures implements AsyncConfigurer, AsyncUncaughtExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(NotificationFailures.class);

	@Override
	public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
		return this;
	}

	@Override
	public void handleUncaughtException(Throwable ex, Method method, Object... params) {
		String channel = method.getDeclaringClass().getSimpleName();
		if (params.length == 1 && params[0] instanceof UploadFinished finished) {
			logger.warn("{} of upload {} {} failed: {}; it stays in the outbox and is delivered again", channel,
					finished.uploadId(), finished.status(), summary(ex));
		}
		else {
			logger.warn("{}.{} failed: {}", channel, method.getName(), summary(ex));
		}
		logger.debug("{} failed", channel, ex);
	}

	/** The exception and its causes, each as class and message, on one line. */
	static String summary(Throwable ex) {
		StringBuilder summary = new StringBuilder();
		for (Throwable cause = ex; cause != null && summary.length() < 1000; cause = cause.getCause()) {
			if (!summary.isEmpty()) {
				summary.append(" <- ");
			}
			summary.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				summary.append(": ").append(cause.getMessage().strip());
			}
		}
		return summary.toString();
	}

}
