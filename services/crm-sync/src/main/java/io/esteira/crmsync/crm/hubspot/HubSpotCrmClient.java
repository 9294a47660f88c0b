package io.esteira.crmsync.crm.hubspot;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmUnavailableException;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * {@link CrmClient} for HubSpot's CRM v3 API. Status codes map to the port's failures: 2xx is success; 429, 5xx,
 * 401/403 (a token problem, fixed by configuration, not by reviewing the upload) and I/O errors are
 * {@link CrmUnavailableException}; any other 4xx (404: the contact does not exist) is {@link CrmRejectedException}.
 * The token is only ever written into the {@code Authorization} header and is masked in anything HubSpot echoes back.
 */
public class HubSpotCrmClient implements CrmClient {

	/** HubSpot record ids are numeric; anything else would never match and must not reach the URL. */
	private static final Pattern CONTACT_ID = Pattern.compile("[0-9]{1,30}");

	private static final int MAX_REASON_LENGTH = 300;

	private final RestClient http;

	private final String token;

	public HubSpotCrmClient(RestClient http, String token) {
		this.http = http;
		this.token = (token != null) ? token.strip() : "";
	}

	/**
	 * A client for the API at {@code baseUrl}.
	 * @param builder Spring Boot's builder (observations, message converters); cloned, not changed
	 */
	public static HubSpotCrmClient create(RestClient.Builder builder, String baseUrl, String token,
			Duration connectTimeout, Duration readTimeout) {
		RestClient http = builder.clone()
			.baseUrl(baseUrl)
			// HTTP/1.1: with its default (HTTP/2) the JDK client tries an h2c upgrade on plain http, and WireMock
			// closes the connection on it; one small PATCH at a time gains nothing from HTTP/2 anyway.
			.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
				.withHttpClientCustomizer((client) -> client.version(HttpClient.Version.HTTP_1_1))
				.build(HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout)))
			.build();
		return new HubSpotCrmClient(http, token);
	}

	@Override
	public void updateContactProperty(String contactId, String property, String value) {
		if (contactId == null || !CONTACT_ID.matcher(contactId).matches()) {
			throw new CrmRejectedException("'" + abbreviate(String.valueOf(contactId), 40) + "' is not a HubSpot contact id");
		}
		if (this.token.isEmpty()) {
			throw new CrmUnavailableException("no HubSpot token configured (esteira.crm.hubspot.token)", null);
		}
		String target = "contact " + contactId;
		try {
			this.http.patch()
				.uri("/crm/v3/objects/contacts/{contactId}", contactId)
				.headers((headers) -> headers.setBearerAuth(this.token))
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.body(Map.of("properties", Map.of(property, value)))
				.exchange((request, response) -> {
					HttpStatusCode status = response.getStatusCode();
					if (status.is2xxSuccessful()) {
						return null;
					}
					throw failure(target, status, readError(response), response.getHeaders().getFirst("Retry-After"));
				});
		}
		catch (ResourceAccessException ex) {
			throw new CrmUnavailableException("HubSpot could not be reached to update " + target + " ("
					+ mask(rootCauseMessage(ex)) + ")", ex);
		}
	}

	private RuntimeException failure(String target, HttpStatusCode status, HubSpotError error, String retryAfter) {
		String details = (error != null && error.message() != null) ? ": " + error.message() : "";
		if (status.value() == HttpStatus.TOO_MANY_REQUESTS.value()) {
			String policy = (error != null && error.policyName() != null) ? " (" + error.policyName() + ")" : "";
			return new CrmUnavailableException("HubSpot rate limit reached" + mask(policy) + " updating " + target,
					parseRetryAfter(retryAfter), null);
		}
		if (status.value() == HttpStatus.NOT_FOUND.value()) {
			return new CrmRejectedException(target + " not found in HubSpot");
		}
		if (status.value() == HttpStatus.UNAUTHORIZED.value() || status.value() == HttpStatus.FORBIDDEN.value()) {
			return new CrmUnavailableException("HubSpot refused the token (" + status.value() + ") updating " + target
					+ "; check esteira.crm.hubspot.token and its scopes", null);
		}
		if (status.is4xxClientError()) {
			return new CrmRejectedException(
					abbreviate(mask("HubSpot rejected the update of " + target + " (" + status.value() + ")" + details),
							MAX_REASON_LENGTH));
		}
		return new CrmUnavailableException("HubSpot answered " + status.value() + " to the update of " + target, null);
	}

	private HubSpotError readError(RestClient.RequestHeadersSpec.ConvertibleClientHttpResponse response) {
		try {
			return response.bodyTo(HubSpotError.class);
		}
		catch (RuntimeException ex) {
			// Not HubSpot's JSON error (a proxy's HTML page, an empty body): the status code says enough.
			return null;
		}
	}

	private static Duration parseRetryAfter(String value) {
		if (value == null) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(value.strip()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** Whatever a server or a library says goes through here before it reaches a message or a log. */
	private String mask(String text) {
		return (this.token.isEmpty() || text == null) ? text : text.replace(this.token, "[token]");
	}

	private static String rootCauseMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	private static String abbreviate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max - 1) + "…";
	}

	/** The JSON body of a HubSpot error (only the fields we use). */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record HubSpotError(String message, String category, String policyName) {
	}

}
