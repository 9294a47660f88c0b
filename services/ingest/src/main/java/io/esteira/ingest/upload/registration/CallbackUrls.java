package io.esteira.ingest.upload.registration;

import java.net.UnknownHostException;

import io.esteira.ingest.callback.CallbackRefusedException;
import io.esteira.ingest.callback.CallbackSecrets;
import io.esteira.ingest.callback.CallbackTargets;
import io.esteira.ingest.upload.InvalidUploadException;

import org.springframework.stereotype.Component;

/**
 * Checks a client's {@code callbackUrl} when an upload is registered: the client must have a signing secret
 * ({@link CallbackSecrets}), and the URL must pass the callback check ({@link CallbackTargets}: https, host
 * allow-lists, public addresses only), which the delivery makes again.
 */
@Component
public class CallbackUrls {

	public static final int MAX_LENGTH = 2048;

	private final CallbackSecrets secrets;

	private final CallbackTargets targets;

	CallbackUrls(CallbackSecrets secrets, CallbackTargets targets) {
		this.secrets = secrets;
		this.targets = targets;
	}

	/**
	 * @param client who registers the upload (the API key name)
	 * @return the URL, or {@code null} for none
	 * @throws InvalidUploadException if it may not be used
	 */
	public String check(String callbackUrl, String client) {
		if (callbackUrl == null || callbackUrl.isBlank()) {
			return null;
		}
		String value = callbackUrl.strip();
		if (this.secrets.of(client).isEmpty()) {
			throw new InvalidUploadException(
					"callbackUrl: callbacks are not enabled for this client (no signing secret is configured for it).");
		}
		if (value.length() > MAX_LENGTH) {
			throw new InvalidUploadException("callbackUrl: longer than " + MAX_LENGTH + " characters.");
		}
		try {
			this.targets.check(value);
		}
		catch (CallbackRefusedException ex) {
			throw new InvalidUploadException("callbackUrl: " + ex.getMessage() + ".");
		}
		catch (UnknownHostException ex) {
			throw new InvalidUploadException("callbackUrl: its host does not resolve.");
		}
		return value;
	}

}
