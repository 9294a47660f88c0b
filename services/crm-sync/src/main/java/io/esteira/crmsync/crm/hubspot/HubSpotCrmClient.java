package io.esteira.crmsync.crm.hubspot;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmTask;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.crmsync.crm.PhoneNumber;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * {@link CrmClient} for HubSpot's CRM v3 API. Status codes map to the port's failures: 2xx is success; 429 (reason
 * {@code RATE_LIMITED}, or {@code DAILY_LIMIT} when the body names the {@code DAILY} policy), 5xx, 401 (reason
 * {@code CREDENTIALS_REFUSED}), 403 and I/O errors are {@link CrmUnavailableException}; any other 4xx (404: the
 * contact does not exist) is {@link CrmRejectedException}. The token is only ever written into the
 * {@code Authorization} header and is masked in anything HubSpot echoes back.
 * <p>
 * Tasks are associated with their contact by HubSpot-defined association type 204 (task to contact), notes by 202
 * (note to contact). Phone numbers are searched on {@code phone} and {@code mobilephone} (as E.164) and on HubSpot's
 * calculated, digits-only {@code hs_searchable_calculated_phone_number} and
 * {@code hs_searchable_calculated_mobile_number} (national number, without country code; for a mobile also as written
 * before the ninth digit, with {@code IN}).
 */
public class HubSpotCrmClient implements CrmClient {

	/** HubSpot record ids are numeric; anything else would never match and must not reach the URL. */
	private static final Pattern CONTACT_ID = Pattern.compile("[0-9]{1,30}");

	private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");

	static final int TASK_TO_CONTACT = 204;

	static final int NOTE_TO_CONTACT = 202;

	private static final int SEARCH_LIMIT = 10;

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
			// closes the connection on it; one small request at a time gains nothing from HTTP/2 anyway.
			.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
				.withHttpClientCustomizer((client) -> client.version(HttpClient.Version.HTTP_1_1))
				.build(HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout)))
			.build();
		return new HubSpotCrmClient(http, token);
	}

	@Override
	public Optional<CrmContact> findContact(String contactId) {
		requireContactId(contactId);
		Action action = new Action("read contact " + contactId, "read of contact " + contactId);
		HubSpotObject contact = send(action, HttpMethod.GET,
				"/crm/v3/objects/contacts/{contactId}?properties=hubspot_owner_id", null, HubSpotObject.class, true,
				contactId);
		return Optional.ofNullable(contact).map(HubSpotCrmClient::toContact);
	}

	@Override
	public List<CrmContact> findContactsByEmail(String email) {
		Map<String, Object> body = search(List.of(List.of(filter("email", "EQ", email.strip()))),
				List.of("email", "hubspot_owner_id"));
		return searchContacts(new Action("search contacts by email", "search of contacts by email"), body);
	}

	@Override
	public List<CrmContact> findContactsByPhone(PhoneNumber phone) {
		List<List<Map<String, Object>>> groups = new ArrayList<>();
		groups.add(List.of(filter("phone", "EQ", phone.e164())));
		groups.add(List.of(filter("mobilephone", "EQ", phone.e164())));
		// HubSpot's calculated numbers are digits only, without the country code; a mobile may still be stored as it
		// was written before the ninth digit.
		List<String> national = new ArrayList<>(List.of(phone.nationalNumber()));
		phone.legacyNationalNumber().ifPresent(national::add);
		groups.add(List.of(anyOf("hs_searchable_calculated_phone_number", national)));
		groups.add(List.of(anyOf("hs_searchable_calculated_mobile_number", national)));
		Map<String, Object> body = search(groups, List.of("phone", "mobilephone", "hubspot_owner_id"));
		return searchContacts(new Action("search contacts by phone", "search of contacts by phone"), body);
	}

	@Override
	public void updateContactProperty(String contactId, String property, String value) {
		requireContactId(contactId);
		Action action = new Action("update contact " + contactId, "update of contact " + contactId);
		send(action, HttpMethod.PATCH, "/crm/v3/objects/contacts/{contactId}",
				Map.of("properties", Map.of(property, value)), Void.class, false, contactId);
	}

	@Override
	public String createTask(CrmTask task) {
		requireContactId(task.contactId());
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("hs_timestamp", task.dueAt().toString());
		properties.put("hs_task_subject", task.subject());
		properties.put("hs_task_body", task.body());
		properties.put("hs_task_status", "NOT_STARTED");
		properties.put("hs_task_type", "TODO");
		if (task.ownerId() != null) {
			properties.put("hubspot_owner_id", task.ownerId());
		}
		Action action = new Action("create a task for contact " + task.contactId(),
				"creation of a task for contact " + task.contactId());
		HubSpotObject created = send(action, HttpMethod.POST, "/crm/v3/objects/tasks",
				Map.of("properties", properties, "associations",
						List.of(association(task.contactId(), TASK_TO_CONTACT))),
				HubSpotObject.class, false);
		return created.id();
	}

	@Override
	public String createNote(CrmNote note) {
		requireContactId(note.contactId());
		Map<String, Object> properties = Map.of("hs_timestamp", note.timestamp().toString(), "hs_note_body",
				note.body());
		Action action = new Action("create a note for contact " + note.contactId(),
				"creation of a note for contact " + note.contactId());
		HubSpotObject created = send(action, HttpMethod.POST, "/crm/v3/objects/notes",
				Map.of("properties", properties, "associations",
						List.of(association(note.contactId(), NOTE_TO_CONTACT))),
				HubSpotObject.class, false);
		return created.id();
	}

	@Override
	public Optional<String> findTask(String marker) {
		return findByMarker("tasks", "hs_task_body", marker);
	}

	@Override
	public Optional<String> findNote(String marker) {
		return findByMarker("notes", "hs_note_body", marker);
	}

	@Override
	public void ensureContactProperty(String name, String label) {
		if (!PROPERTY_NAME.matcher(name).matches()) {
			throw new CrmRejectedException("'" + abbreviate(name, 40) + "' is not a HubSpot property name");
		}
		Action read = new Action("read contact property " + name, "read of contact property " + name);
		if (send(read, HttpMethod.GET, "/crm/v3/properties/contacts/{name}", null, HubSpotProperty.class, true,
				name) != null) {
			return;
		}
		Map<String, Object> property = new LinkedHashMap<>();
		property.put("name", name);
		property.put("label", label);
		property.put("type", "string");
		property.put("fieldType", "text");
		property.put("groupName", "contactinformation");
		property.put("description", "Link to the customer's latest photo, kept up to date by Esteira.");
		Action create = new Action("create contact property " + name, "creation of contact property " + name);
		try {
			send(create, HttpMethod.POST, "/crm/v3/properties/contacts", property, Void.class, false);
		}
		catch (ConflictException ex) {
			// Created meanwhile by another instance: what we wanted.
		}
	}

	private Optional<String> findByMarker(String objectType, String bodyProperty, String marker) {
		Map<String, Object> body = search(List.of(List.of(filter(bodyProperty, "CONTAINS_TOKEN", marker))),
				List.of(bodyProperty));
		Action action = new Action("search " + objectType + " by marker", "search of " + objectType + " by marker");
		HubSpotSearch found = send(action, HttpMethod.POST, "/crm/v3/objects/" + objectType + "/search", body,
				HubSpotSearch.class, false);
		return results(found).stream()
			.filter((object) -> {
				String text = (object.properties() != null) ? object.properties().get(bodyProperty) : null;
				return text == null || text.contains(marker);
			})
			.map(HubSpotObject::id)
			.findFirst();
	}

	private List<CrmContact> searchContacts(Action action, Map<String, Object> body) {
		HubSpotSearch found = send(action, HttpMethod.POST, "/crm/v3/objects/contacts/search", body,
				HubSpotSearch.class, false);
		Map<String, CrmContact> contacts = new LinkedHashMap<>();
		results(found).forEach((object) -> contacts.putIfAbsent(object.id(), toContact(object)));
		return List.copyOf(contacts.values());
	}

	private static List<HubSpotObject> results(HubSpotSearch found) {
		return (found == null || found.results() == null) ? List.of()
				: found.results().stream().filter((object) -> object.id() != null).toList();
	}

	private static Map<String, Object> search(List<List<Map<String, Object>>> groups, List<String> properties) {
		List<Map<String, Object>> filterGroups = groups.stream()
			.map((filters) -> Map.<String, Object>of("filters", filters))
			.toList();
		return Map.of("filterGroups", filterGroups, "properties", properties, "limit", SEARCH_LIMIT);
	}

	private static Map<String, Object> filter(String property, String operator, String value) {
		return Map.of("propertyName", property, "operator", operator, "value", value);
	}

	/** {@code EQ} for one value, {@code IN} for several. */
	private static Map<String, Object> anyOf(String property, List<String> values) {
		return (values.size() == 1) ? filter(property, "EQ", values.getFirst())
				: Map.of("propertyName", property, "operator", "IN", "values", values);
	}

	private static Map<String, Object> association(String contactId, int typeId) {
		return Map.of("to", Map.of("id", contactId), "types",
				List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", typeId)));
	}

	private static CrmContact toContact(HubSpotObject object) {
		String owner = (object.properties() != null) ? object.properties().get("hubspot_owner_id") : null;
		return new CrmContact(object.id(), (owner == null || owner.isBlank()) ? null : owner);
	}

	private static void requireContactId(String contactId) {
		if (contactId == null || !CONTACT_ID.matcher(contactId).matches()) {
			throw new CrmRejectedException(
					"'" + abbreviate(String.valueOf(contactId), 40) + "' is not a HubSpot contact id");
		}
	}

	/**
	 * One request. A 2xx answer is converted to {@code type} ({@code null} for {@link Void}); a 404 gives
	 * {@code null} when {@code notFoundIsEmpty}; anything else is a failure.
	 */
	private <T> T send(Action action, HttpMethod method, String uri, Object body, Class<T> type,
			boolean notFoundIsEmpty, Object... uriVariables) {
		if (this.token.isEmpty()) {
			throw new CrmUnavailableException("no HubSpot token configured (esteira.crm.hubspot.token)", null);
		}
		RestClient.RequestBodySpec request = this.http.method(method)
			.uri(uri, uriVariables)
			.headers((headers) -> headers.setBearerAuth(this.token))
			.accept(MediaType.APPLICATION_JSON);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		try {
			return request.exchange((req, response) -> {
				HttpStatusCode status = response.getStatusCode();
				if (status.is2xxSuccessful()) {
					return (type == Void.class) ? null : response.bodyTo(type);
				}
				if (status.value() == HttpStatus.NOT_FOUND.value() && notFoundIsEmpty) {
					return null;
				}
				throw failure(action, status, readError(response), response.getHeaders().getFirst("Retry-After"));
			});
		}
		catch (ResourceAccessException ex) {
			throw new CrmUnavailableException(
					"HubSpot could not be reached to " + action.verb() + " (" + mask(rootCauseMessage(ex)) + ")", ex);
		}
	}

	private RuntimeException failure(Action action, HttpStatusCode status, HubSpotError error, String retryAfter) {
		String details = (error != null && error.message() != null) ? ": " + error.message() : "";
		int code = status.value();
		if (code == HttpStatus.TOO_MANY_REQUESTS.value()) {
			String policyName = (error != null) ? error.policyName() : null;
			String policy = (policyName != null) ? " (" + policyName + ")" : "";
			CrmUnavailableException.Reason reason = "DAILY".equalsIgnoreCase(policyName)
					? CrmUnavailableException.Reason.DAILY_LIMIT : CrmUnavailableException.Reason.RATE_LIMITED;
			return new CrmUnavailableException(reason,
					abbreviate(mask("HubSpot rate limit reached" + policy + " on the " + action.noun()),
							MAX_REASON_LENGTH),
					parseRetryAfter(retryAfter), null);
		}
		if (code == HttpStatus.NOT_FOUND.value() && action.noun().startsWith("update of contact")) {
			return new CrmRejectedException(action.noun().substring("update of ".length()) + " not found in HubSpot");
		}
		if (code == HttpStatus.UNAUTHORIZED.value()) {
			return new CrmUnavailableException(CrmUnavailableException.Reason.CREDENTIALS_REFUSED,
					"HubSpot refused the token (401) on the " + action.noun() + "; check esteira.crm.hubspot.token",
					null, null);
		}
		if (code == HttpStatus.FORBIDDEN.value()) {
			return new CrmUnavailableException("HubSpot refused the token (403) on the " + action.noun()
					+ "; check the scopes of esteira.crm.hubspot.token", null);
		}
		if (code == HttpStatus.CONFLICT.value() && action.noun().startsWith("creation of contact property")) {
			return new ConflictException();
		}
		if (status.is4xxClientError()) {
			return new CrmRejectedException(abbreviate(
					mask("HubSpot rejected the " + action.noun() + " (" + code + ")" + details), MAX_REASON_LENGTH));
		}
		return new CrmUnavailableException("HubSpot answered " + code + " to the " + action.noun(), null);
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

	/** {@code Retry-After} in seconds or as an HTTP date. */
	private static Duration parseRetryAfter(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = java.time.ZonedDateTime
					.parse(value.strip(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
					.toInstant();
				Duration wait = Duration.between(Instant.now(), at);
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (java.time.format.DateTimeParseException notADate) {
				return null;
			}
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

	/** What a request does, for messages: "could not be reached to {verb}", "answered 503 to the {noun}". */
	private record Action(String verb, String noun) {
	}

	/** A 409 where it means "already there". */
	private static final class ConflictException extends RuntimeException {

		ConflictException() {
			super("conflict", null, false, false);
		}

	}

	/** The JSON body of a HubSpot error (only the fields we use). */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record HubSpotError(String message, String category, String policyName) {
	}

	/** A CRM object as HubSpot returns it (only the fields we use). */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record HubSpotObject(String id, Map<String, String> properties) {
	}

	/** A search answer. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record HubSpotSearch(int total, List<HubSpotObject> results) {
	}

	/** A property definition (only its name). */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record HubSpotProperty(String name) {
	}

}
