package io.esteira.ingest.notification;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UploadFinished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.client.RestClient;

/**
 * POSTs the final status to the upload's {@code callbackUrl}, as JSON ({@link UploadFinished.Notification}) with
 * {@value #SIGNATURE_HEADER}{@code : sha256=<hex HMAC-SHA256 of the body>} keyed with
 * {@code esteira.ingest.notifications.callback-secret}, and {@value #DELIVERY_HEADER} naming the delivery (the same
 * on every retry, so receivers can drop repeats). Anything but a 2xx answer fails the delivery, and
 * the platform's outbox resubmission retries it with the {@code notified} step's backoff ({@link NotificationOutboxStep}). Redirects are not followed.
 */
@Component
class CallbackNotifier {

	static final String SIGNATURE_HEADER = "X-Esteira-Signature";

	static final String DELIVERY_HEADER = "X-Esteira-Delivery";

	private static final Logger logger = LoggerFactory.getLogger(CallbackNotifier.class);

	private final RestClient http;

	private final JsonMapper json;

	private final byte[] secret;

	private final NotificationSteps timeline;

	CallbackNotifier(JsonMapper json, IngestProperties properties, NotificationSteps timeline) {
		this.timeline = timeline;
		IngestProperties.Notifications settings = properties.notifications();
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(settings.callbackTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
		requests.setReadTimeout(settings.callbackTimeout());
		this.http = RestClient.builder().requestFactory(requests).build();
		this.json = json;
		this.secret = settings.callbackSecret().getBytes(StandardCharsets.UTF_8);
	}

	@Async
	@TransactionalEventListener
	void on(UploadFinished finished) {
		if (finished.callbackUrl() == null) {
			return;
		}
		byte[] body = this.json.writeValueAsBytes(finished.notification());
		int status = this.http.post()
			.uri(URI.create(finished.callbackUrl()))
			.contentType(MediaType.APPLICATION_JSON)
			.header(SIGNATURE_HEADER, "sha256=" + sign(this.secret, body))
			.header(DELIVERY_HEADER, finished.uploadId() + ":" + finished.run() + ":" + finished.status())
			.body(body)
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value();
		logger.info("Upload {} {}: callback delivered", finished.uploadId(), finished.status());
		this.timeline.noteDelivered(finished, "callback", "HTTP " + status);
	}

	/** Hex HMAC-SHA256 of {@code body}. */
	static String sign(byte[] secret, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
