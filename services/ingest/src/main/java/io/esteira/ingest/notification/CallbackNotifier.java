package io.esteira.ingest.notification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.esteira.ingest.callback.CallbackRefusedException;
import io.esteira.ingest.callback.CallbackSecrets;
import io.esteira.ingest.callback.CallbackSender;
import io.esteira.ingest.callback.CallbackSignature;
import io.esteira.ingest.callback.CallbackTarget;
import io.esteira.ingest.callback.CallbackTargets;
import io.esteira.ingest.config.Secret;
import io.esteira.ingest.upload.UploadFinished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * POSTs the final status to the upload's {@code callbackUrl}, as JSON ({@link UploadFinished.Notification}) signed
 * with the secret of the client that registered the upload ({@value CallbackSignature#HEADER}{@code : t=...,v1=...},
 * {@link CallbackSignature}), and {@value #DELIVERY_HEADER} naming the delivery (the same on every retry, so receivers
 * can drop repeats). Before each attempt the URL is checked again and its host resolved once ({@link CallbackTargets});
 * the request goes to exactly those addresses ({@link CallbackSender}).
 * <ul>
 * <li>A refused callback (an internal address, a host or scheme no longer allowed, a client without a secret) is put
 * on the timeline as {@code ingest/callback} {@code REJECTED} with the reason, and not retried.</li>
 * <li>Anything else that fails (no answer, a host that does not resolve now, an answer other than 2xx, including a
 * redirect) fails the delivery: the platform's outbox resubmission retries it with the {@code notified} step's backoff
 * ({@link NotificationOutboxStep}) until its attempts are spent.</li>
 * </ul>
 */
@Component
class CallbackNotifier {

	static final String DELIVERY_HEADER = "X-Esteira-Delivery";

	static final String STEP = "callback";

	private static final Logger logger = LoggerFactory.getLogger(CallbackNotifier.class);

	private final CallbackTargets targets;

	private final CallbackSecrets secrets;

	private final CallbackSender sender;

	private final JsonMapper json;

	private final NotificationSteps timeline;

	private final Clock clock;

	CallbackNotifier(CallbackTargets targets, CallbackSecrets secrets, CallbackSender sender, JsonMapper json,
			NotificationSteps timeline, Clock clock) {
		this.targets = targets;
		this.secrets = secrets;
		this.sender = sender;
		this.json = json;
		this.timeline = timeline;
		this.clock = clock;
	}

	@Async
	@TransactionalEventListener
	void on(UploadFinished finished) {
		if (finished.callbackUrl() == null) {
			return;
		}
		Optional<Secret> secret = this.secrets.of(finished.client());
		if (secret.isEmpty()) {
			refused(finished, (finished.client() != null)
					? "no callback signing secret is configured for client " + finished.client()
					: "the upload has no recorded client (registered before per-client secrets)");
			return;
		}
		CallbackTarget target;
		try {
			target = this.targets.check(finished.callbackUrl());
		}
		catch (CallbackRefusedException ex) {
			refused(finished, ex.getMessage());
			return;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Callback host does not resolve now", ex);
		}
		byte[] body = this.json.writeValueAsBytes(finished.notification());
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(CallbackSignature.HEADER, CallbackSignature.sign(secret.get(), this.clock.instant(), body));
		headers.put(DELIVERY_HEADER, finished.uploadId() + ":" + finished.run() + ":" + finished.status());
		int status;
		try {
			status = this.sender.post(target, headers, body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Callback to " + target.host() + " failed", ex);
		}
		if (status < 200 || status > 299) {
			throw new CallbackFailedException(target.host() + " answered HTTP " + status);
		}
		logger.info("Upload {} {}: callback delivered", finished.uploadId(), finished.status());
		this.timeline.noteDelivered(finished, STEP, "HTTP " + status);
	}

	private void refused(UploadFinished finished, String reason) {
		logger.warn("Upload {} {}: callback refused, not retried: {}", finished.uploadId(), finished.status(), reason);
		this.timeline.noteRefused(finished, STEP, "callback refused, not retried: " + reason);
	}

	/** The receiver answered, but not with a 2xx: the delivery is tried again. */
	static class CallbackFailedException extends RuntimeException {

		CallbackFailedException(String message) {
			super(message);
		}

	}

}
