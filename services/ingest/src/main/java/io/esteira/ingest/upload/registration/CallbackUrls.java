package io.esteira.ingest.upload.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.InvalidUploadException;

import org.springframework.stereotype.Component;

/**
 * Checks a client's {@code callbackUrl}: an absolute {@code https} URL (plain {@code http} only to the configured
 * local hosts), without user info, to a host on the allow-list when one is configured. Callbacks also need the
 * signing secret to be configured.
 */
@Component
public class CallbackUrls {

	public static final int MAX_LENGTH = 2048;

	private final IngestProperties.Notifications settings;

	CallbackUrls(IngestProperties properties) {
		this.settings = properties.notifications();
	}

	/**
	 * @return the URL, or {@code null} for none
	 * @throws InvalidUploadException if it may not be used
	 */
	public String check(String callbackUrl) {
		if (callbackUrl == null || callbackUrl.isBlank()) {
			return null;
		}
		String value = callbackUrl.strip();
		if (this.settings.callbackSecret().isBlank()) {
			throw new InvalidUploadException("callbackUrl: callbacks are not enabled on this server.");
		}
		if (value.length() > MAX_LENGTH) {
			throw new InvalidUploadException("callbackUrl: longer than " + MAX_LENGTH + " characters.");
		}
		URI uri;
		try {
			uri = new URI(value);
		}
		catch (URISyntaxException ex) {
			throw new InvalidUploadException("callbackUrl: not a valid URL.");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : null;
		if (host == null || uri.getRawUserInfo() != null || !uri.isAbsolute()) {
			throw new InvalidUploadException("callbackUrl: must be an absolute URL with a host and no user info.");
		}
		boolean secure = scheme.equals("https");
		boolean localHttp = scheme.equals("http") && matches(host, this.settings.insecureCallbackHosts());
		if (!secure && !localHttp) {
			throw new InvalidUploadException("callbackUrl: must use https.");
		}
		if (!this.settings.callbackHosts().isEmpty() && !matches(host, this.settings.callbackHosts())) {
			throw new InvalidUploadException("callbackUrl: host " + host + " is not allowed.");
		}
		return value;
	}

	private static boolean matches(String host, List<String> patterns) {
		for (String pattern : patterns) {
			String p = pattern.strip().toLowerCase(Locale.ROOT);
			if (p.startsWith("*.") ? host.endsWith(p.substring(1)) : host.equals(p)) {
				return true;
			}
		}
		return false;
	}

}
