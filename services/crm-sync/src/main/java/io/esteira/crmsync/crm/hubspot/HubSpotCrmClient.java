package io.esteira.crmsync.crm.hubspot;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmKey;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmRequestGate;
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
 * {@link CrmClient} for HubSpot's date-versioned CRM API ({@code /crm/objects/2026-09/...}, the version set by
 * {@code esteira.crm.hubspot.api-version}), through its batch endpoints: contacts are read by id and by email
 * ({@code idProperty=email}) and updated 100 at a time, tasks and notes created 100 at a time with their
 * associations, and several phone numbers looked up per search. Status codes map to the port's failures: 2xx is
 * success; {@code 207 Multi-Status} carries an error per failed item (a validation rule's refusal, an unknown
 * contact: {@link CrmOutcome.Refused}); 429 (reason {@code RATE_LIMITED}, or {@code DAILY_LIMIT} when the body names
 * the {@code DAILY} policy), 5xx, 401 ({@code CREDENTIALS_REFUSED}), 403 and I/O errors are
 * {@link CrmUnavailableException}; any other 4xx refuses every item of the request. The key is only ever written
 * into the {@code Authorization} header and is masked in anything HubSpot echoes back.
 * <p>
 * Tasks are associated with their contact by HubSpot-defined association type 204 (task to contact), notes by 202
 * (note to contact); each carries its marker as {@code objectWriteTraceId}, and its results are matched back by the
 * marker in their body. Phone numbers are searched on {@code phone} and {@code mobilephone} (as E.164) and on
 * HubSpot's calculated, digits-only {@code hs_searchable_calculated_phone_number} and
 * {@code hs_searchable_calculated_mobile_number} (national number, without country code; for a mobile also as
 * written before the ninth digit), one filter group per property with {@code IN} over the numbers.
 */
public class HubSpotCrmClient implements CrmClient {

	/** HubSpot record ids are numeric; anything else would never match and must not reach the URL. */
	private static final Pattern CONTACT_ID = Pattern.compile("[0-9]{1,30}");

	private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");

	static final int TASK_TO_CONTACT = 204;

	static final int NOTE_TO_CONTACT = 202;

	/** Inputs per batch request (HubSpot's limit). */
	static final int BATCH_LIMIT = 100;

	/** Phone numbers per search request: four filter groups of {@code IN} with up to two values each per number. */
	static final int PHONES_PER_SEARCH = 25;

	private static final int SEARCH_LIMIT = 100;

	private static final int MAX_REASON_LENGTH = 300;

	private static final List<String> PHONE_PROPERTIES = List.of("phone", "mobilephone",
			"hs_searchable_calculated_phone_number", "hs_searchable_calculated_mobile_number", "hubspot_owner_id");

	private final RestClient http;

	/** The key, read when a request needs it: a value, or a secret reference read (and cached) elsewhere. */
	private final CrmKey tokens;

	/** The setting that holds the key, named in messages. */
	private final String tokenSetting;

	/** The key last read, masked in whatever HubSpot echoes back. */
	private volatile String token = "";

	private final Paths paths;

	private final CrmRequestGate gate;

	public HubSpotCrmClient(RestClient http, String token, Paths paths, CrmRequestGate gate) {
		this(http, () -> token, "esteira.crm.hubspot.token", paths, gate);
	}

	/**
	 * @param tokens the key, asked for before each request (may throw {@link CrmUnavailableException} when a secret
	 * cannot be read now) and told when HubSpot refuses it (401), so that a rotated secret is read again
	 * @param tokenSetting the setting that holds it, for messages
	 */
	public HubSpotCrmClient(RestClient http, CrmKey tokens, String tokenSetting, Paths paths,
			CrmRequestGate gate) {
		this.http = http;
		this.tokens = tokens;
		this.tokenSetting = tokenSetting;
		this.paths = paths;
		this.gate = gate;
	}

	/**
	 * A client for the API at {@code baseUrl}.
	 * @param builder Spring Boot's builder (observations, message converters); cloned, not changed
	 */
	public static HubSpotCrmClient create(RestClient.Builder builder, String baseUrl, String token,
			String apiVersion, Duration connectTimeout, Duration readTimeout, CrmRequestGate gate) {
		return create(builder, baseUrl, () -> token, "esteira.crm.hubspot.token", apiVersion, connectTimeout,
				readTimeout, gate);
	}

	/**
	 * A client for the API at {@code baseUrl} whose key is read before each request ({@code tokens}: a secret
	 * reference's value, cached by its reader).
	 * @param tokenSetting the setting that holds the key, for messages
	 */
	public static HubSpotCrmClient create(RestClient.Builder builder, String baseUrl, CrmKey tokens,
			String tokenSetting, String apiVersion, Duration connectTimeout, Duration readTimeout,
			CrmRequestGate gate) {
		RestClient http = builder.clone()
			.baseUrl(baseUrl)
			// HTTP/1.1: with its default (HTTP/2) the JDK client tries an h2c upgrade on plain http, and WireMock
			// closes the connection on it.
			.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
				.withHttpClientCustomizer((client) -> client.version(HttpClient.Version.HTTP_1_1))
				.build(HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout)))
			.build();
		return new HubSpotCrmClient(http, tokens, tokenSetting, new Paths(apiVersion), gate);
	}

	@Override
	public Map<String, CrmContact> findContacts(Collection<String> contactIds) {
		List<String> ids = contactIds.stream().filter(HubSpotCrmClient::isContactId).distinct().toList();
		Map<String, CrmContact> found = new LinkedHashMap<>();
		for (List<String> chunk : chunks(ids, BATCH_LIMIT)) {
			Map<String, Object> body = Map.of("properties", List.of("hubspot_owner_id"), "inputs",
					chunk.stream().map((id) -> Map.of("id", id)).toList());
			BatchAnswer answer = send(new Action("read contacts", "read of " + count(chunk.size(), "contact")),
					CrmRequestGate.Kind.STANDARD, HttpMethod.POST, this.paths.batch("contacts", "read"), body,
					BatchAnswer.class);
			answer.resultList().forEach((object) -> found.put(object.id(), toContact(object)));
		}
		return found;
	}

	@Override
	public Map<String, CrmContact> findContactsByEmail(Collection<String> emails) {
		List<String> wanted = emails.stream().map((email) -> email.strip().toLowerCase(Locale.ROOT)).distinct().toList();
		Map<String, CrmContact> found = new LinkedHashMap<>();
		for (List<String> chunk : chunks(wanted, BATCH_LIMIT)) {
			Map<String, Object> body = Map.of("idProperty", "email", "properties",
					List.of("email", "hubspot_owner_id"), "inputs",
					chunk.stream().map((email) -> Map.of("id", email)).toList());
			BatchAnswer answer = send(new Action("read contacts by email", "read of contacts by email"),
					CrmRequestGate.Kind.STANDARD, HttpMethod.POST, this.paths.batch("contacts", "read"), body,
					BatchAnswer.class);
			for (HubSpotObject object : answer.resultList()) {
				String email = object.property("email");
				if (email != null && chunk.contains(email.strip().toLowerCase(Locale.ROOT))) {
					found.put(email.strip().toLowerCase(Locale.ROOT), toContact(object));
				}
			}
		}
		return found;
	}

	@Override
	public Map<PhoneNumber, List<CrmContact>> findContactsByPhone(Collection<PhoneNumber> phones) {
		List<PhoneNumber> wanted = List.copyOf(new LinkedHashSet<>(phones));
		Map<PhoneNumber, List<CrmContact>> found = new LinkedHashMap<>();
		for (List<PhoneNumber> chunk : chunks(wanted, PHONES_PER_SEARCH)) {
			List<String> e164 = chunk.stream().map(PhoneNumber::e164).toList();
			List<String> national = new ArrayList<>();
			chunk.forEach((phone) -> {
				national.add(phone.nationalNumber());
				phone.legacyNationalNumber().ifPresent(national::add);
			});
			List<List<Map<String, Object>>> groups = List.of(List.of(anyOf("phone", e164)),
					List.of(anyOf("mobilephone", e164)),
					List.of(anyOf("hs_searchable_calculated_phone_number", national)),
					List.of(anyOf("hs_searchable_calculated_mobile_number", national)));
			List<HubSpotObject> results = searchResults(
					new Action("search contacts by phone", "search of contacts by phone"), "contacts",
					search(groups, PHONE_PROPERTIES));
			for (PhoneNumber phone : chunk) {
				List<CrmContact> matches = results.stream()
					.filter((object) -> hasNumber(object, phone))
					.map(HubSpotCrmClient::toContact)
					.toList();
				if (!matches.isEmpty()) {
					found.put(phone, matches);
				}
			}
		}
		return found;
	}

	private static boolean hasNumber(HubSpotObject contact, PhoneNumber phone) {
		Set<String> national = new LinkedHashSet<>(List.of(phone.nationalNumber()));
		phone.legacyNationalNumber().ifPresent(national::add);
		return phone.e164().equals(contact.property("phone")) || phone.e164().equals(contact.property("mobilephone"))
				|| national.contains(contact.property("hs_searchable_calculated_phone_number"))
				|| national.contains(contact.property("hs_searchable_calculated_mobile_number"));
	}

	@Override
	public Map<String, CrmOutcome<String>> updateContactProperty(String property, Map<String, String> values) {
		Map<String, CrmOutcome<String>> outcomes = new LinkedHashMap<>();
		List<String> ids = new ArrayList<>();
		values.keySet().forEach((id) -> {
			if (isContactId(id)) {
				ids.add(id);
			}
			else {
				outcomes.put(id, new CrmOutcome.Refused<>(
						"'" + abbreviate(String.valueOf(id), 40) + "' is not a HubSpot contact id"));
			}
		});
		for (List<String> chunk : chunks(ids, BATCH_LIMIT)) {
			List<Map<String, Object>> inputs = chunk.stream()
				.map((id) -> Map.<String, Object>of("id", id, "properties", Map.of(property, values.get(id))))
				.toList();
			Action action = new Action("update contacts", "update of " + count(chunk.size(), "contact"));
			outcomes.putAll(itemOutcomes(action, this.paths.batch("contacts", "update"), Map.of("inputs", inputs),
					chunk, HubSpotObject::id, (error) -> error.contextValues("ids")));
		}
		return outcomes;
	}

	/**
	 * Reads the property of the contacts (batch read), then sets it to {@code ""} (batch update) on those that still
	 * hold the expected value: HubSpot has no conditional update, so the caller keeps newer writes of the same
	 * contact out meanwhile (crm-sync's contact claim).
	 */
	@Override
	public Map<String, CrmOutcome<Boolean>> clearContactProperty(String property, Map<String, String> expected) {
		Map<String, CrmOutcome<Boolean>> outcomes = new LinkedHashMap<>();
		List<String> ids = expected.keySet().stream().filter(HubSpotCrmClient::isContactId).toList();
		expected.keySet().stream().filter((id) -> !isContactId(id)).forEach((id) -> outcomes.put(id,
				new CrmOutcome.Done<>(false)));
		for (List<String> chunk : chunks(ids, BATCH_LIMIT)) {
			Map<String, Object> body = Map.of("properties", List.of(property), "inputs",
					chunk.stream().map((id) -> Map.of("id", id)).toList());
			BatchAnswer answer;
			try {
				answer = send(new Action("read contacts", "read of " + count(chunk.size(), "contact")),
						CrmRequestGate.Kind.STANDARD, HttpMethod.POST, this.paths.batch("contacts", "read"), body,
						BatchAnswer.class);
			}
			catch (CrmRejectedException ex) {
				chunk.forEach((id) -> outcomes.put(id, new CrmOutcome.Refused<>(ex.getMessage())));
				continue;
			}
			Map<String, String> clear = new LinkedHashMap<>();
			Map<String, String> current = new LinkedHashMap<>();
			answer.resultList().forEach((object) -> current.put(object.id(), object.property(property)));
			for (String id : chunk) {
				if (expected.get(id).equals(current.get(id))) {
					clear.put(id, "");
				}
				else {
					// A newer photo, nothing, or a contact HubSpot no longer has: nothing of this upload to clear.
					outcomes.put(id, new CrmOutcome.Done<>(false));
				}
			}
			if (!clear.isEmpty()) {
				updateContactProperty(property, clear)
					.forEach((id, outcome) -> outcomes.put(id, outcome.map((updated) -> true)));
			}
		}
		return outcomes;
	}

	@Override
	public Map<String, CrmOutcome<String>> createTasks(List<CrmTask> tasks) {
		Map<String, CrmOutcome<String>> outcomes = new LinkedHashMap<>();
		for (List<CrmTask> chunk : chunks(tasks, BATCH_LIMIT)) {
			List<Map<String, Object>> inputs = new ArrayList<>();
			for (CrmTask task : chunk) {
				Map<String, Object> properties = new LinkedHashMap<>();
				properties.put("hs_timestamp", task.dueAt().toString());
				properties.put("hs_task_subject", task.subject());
				properties.put("hs_task_body", task.body());
				properties.put("hs_task_status", "NOT_STARTED");
				properties.put("hs_task_type", "TODO");
				if (task.ownerId() != null) {
					properties.put("hubspot_owner_id", task.ownerId());
				}
				inputs.add(creation(properties, task.contactId(), TASK_TO_CONTACT, task.marker()));
			}
			outcomes.putAll(created(new Action("create tasks", "creation of " + count(chunk.size(), "task")), "tasks",
					"hs_task_body", inputs, chunk.stream().map(CrmTask::marker).toList()));
		}
		return outcomes;
	}

	@Override
	public Map<String, CrmOutcome<String>> createNotes(List<CrmNote> notes) {
		Map<String, CrmOutcome<String>> outcomes = new LinkedHashMap<>();
		for (List<CrmNote> chunk : chunks(notes, BATCH_LIMIT)) {
			List<Map<String, Object>> inputs = new ArrayList<>();
			for (CrmNote note : chunk) {
				Map<String, Object> properties = new LinkedHashMap<>();
				properties.put("hs_timestamp", note.timestamp().toString());
				properties.put("hs_note_body", note.body());
				inputs.add(creation(properties, note.contactId(), NOTE_TO_CONTACT, note.marker()));
			}
			outcomes.putAll(created(new Action("create notes", "creation of " + count(chunk.size(), "note")), "notes",
					"hs_note_body", inputs, chunk.stream().map(CrmNote::marker).toList()));
		}
		return outcomes;
	}

	private static Map<String, Object> creation(Map<String, Object> properties, String contactId, int association,
			String marker) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("properties", properties);
		input.put("associations", List.of(Map.of("to", Map.of("id", contactId), "types",
				List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", association)))));
		input.put("objectWriteTraceId", marker);
		return input;
	}

	/**
	 * Sends a batch creation and matches each result to its marker: by the marker in the body property HubSpot
	 * returns, else (an answer without properties) by position when every input has a result.
	 */
	private Map<String, CrmOutcome<String>> created(Action action, String objectType, String bodyProperty,
			List<Map<String, Object>> inputs, List<String> markers) {
		List<HubSpotObject> positional = new ArrayList<>();
		Function<HubSpotObject, String> byMarker = (object) -> {
			String body = object.property(bodyProperty);
			String trace = object.objectWriteTraceId();
			if (trace != null && markers.contains(trace)) {
				return trace;
			}
			if (body != null) {
				for (String marker : markers) {
					if (body.contains(marker)) {
						return marker;
					}
				}
			}
			positional.add(object);
			return null;
		};
		Map<String, CrmOutcome<String>> outcomes = itemOutcomes(action, this.paths.batch(objectType, "create"),
				Map.of("inputs", inputs), markers, byMarker, (error) -> error.contextValues("objectWriteTraceId"));
		if (!positional.isEmpty() && positional.size() == markers.size()) {
			for (int i = 0; i < markers.size(); i++) {
				outcomes.put(markers.get(i), new CrmOutcome.Done<>(positional.get(i).id()));
			}
		}
		return outcomes;
	}

	/**
	 * One batch request and an outcome for every key: done when a result names it, as its error says when one
	 * does, else unavailable (neither: HubSpot did not say, so it may be tried again). A whole refusal (4xx) refuses
	 * every key.
	 */
	private Map<String, CrmOutcome<String>> itemOutcomes(Action action, String uri, Object body, List<String> keys,
			Function<HubSpotObject, String> keyOfResult, Function<BatchError, List<String>> keysOfError) {
		Map<String, CrmOutcome<String>> outcomes = new LinkedHashMap<>();
		BatchAnswer answer;
		try {
			answer = send(action, CrmRequestGate.Kind.STANDARD, HttpMethod.POST, uri, body, BatchAnswer.class);
		}
		catch (CrmRejectedException ex) {
			keys.forEach((key) -> outcomes.put(key, new CrmOutcome.Refused<>(ex.getMessage())));
			return outcomes;
		}
		for (HubSpotObject result : answer.resultList()) {
			String key = keyOfResult.apply(result);
			if (key != null) {
				outcomes.put(key, new CrmOutcome.Done<>(result.id()));
			}
		}
		for (BatchError error : answer.errorList()) {
			for (String key : keysOfError.apply(error)) {
				if (keys.contains(key) && !outcomes.containsKey(key)) {
					outcomes.put(key, itemError(action, error));
				}
			}
		}
		for (String key : keys) {
			outcomes.computeIfAbsent(key, (missing) -> new CrmOutcome.Unavailable<>(new CrmUnavailableException(
					"HubSpot's answer to the " + action.noun() + " said nothing of this item", null)));
		}
		return outcomes;
	}

	private CrmOutcome<String> itemError(Action action, BatchError error) {
		String category = String.valueOf(error.category());
		String message = abbreviate(mask("HubSpot refused the " + action.noun().replaceFirst(" of [0-9]+ ([a-z]+?)s?$", " of a $1")
				+ " (" + category + ")" + ((error.message() != null) ? ": " + error.message() : "")),
				MAX_REASON_LENGTH);
		return switch (category) {
			case "RATE_LIMITS" -> new CrmOutcome.Unavailable<>(new CrmUnavailableException(
					CrmUnavailableException.Reason.RATE_LIMITED, message, null, null));
			case "INTERNAL_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT", "LOCKED" ->
				new CrmOutcome.Unavailable<>(new CrmUnavailableException(message, null));
			default -> new CrmOutcome.Refused<>(message);
		};
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
		try {
			send(read, CrmRequestGate.Kind.STANDARD, HttpMethod.GET, this.paths.property(name), null,
					HubSpotProperty.class);
			return;
		}
		catch (NotFoundException ex) {
			// Create it below.
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
			send(create, CrmRequestGate.Kind.STANDARD, HttpMethod.POST, this.paths.properties(), property, Void.class);
		}
		catch (ConflictException ex) {
			// Created meanwhile by another instance: what we wanted.
		}
	}

	private Optional<String> findByMarker(String objectType, String bodyProperty, String marker) {
		Map<String, Object> body = search(List.of(List.of(filter(bodyProperty, "CONTAINS_TOKEN", marker))),
				List.of(bodyProperty));
		Action action = new Action("search " + objectType + " by marker", "search of " + objectType + " by marker");
		return searchResults(action, objectType, body).stream()
			.filter((object) -> {
				String text = object.property(bodyProperty);
				return text == null || text.contains(marker);
			})
			.map(HubSpotObject::id)
			.findFirst();
	}

	private List<HubSpotObject> searchResults(Action action, String objectType, Map<String, Object> body) {
		HubSpotSearch found = send(action, CrmRequestGate.Kind.SEARCH, HttpMethod.POST,
				this.paths.search(objectType), body, HubSpotSearch.class);
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
		List<String> distinct = List.copyOf(new LinkedHashSet<>(values));
		return (distinct.size() == 1) ? filter(property, "EQ", distinct.getFirst())
				: Map.of("propertyName", property, "operator", "IN", "values", distinct);
	}

	private static CrmContact toContact(HubSpotObject object) {
		String owner = object.property("hubspot_owner_id");
		return new CrmContact(object.id(), (owner == null || owner.isBlank()) ? null : owner);
	}

	private static boolean isContactId(String contactId) {
		return contactId != null && CONTACT_ID.matcher(contactId).matches();
	}

	private static String count(int n, String noun) {
		return n + " " + noun + ((n == 1) ? "" : "s");
	}

	private static <T> List<List<T>> chunks(List<T> items, int size) {
		List<List<T>> chunks = new ArrayList<>();
		for (int from = 0; from < items.size(); from += size) {
			chunks.add(items.subList(from, Math.min(items.size(), from + size)));
		}
		return chunks;
	}

	/**
	 * One request, after the gate let it through. A 2xx answer is converted to {@code type} ({@code null} for
	 * {@link Void}); anything else is a failure, told to the gate when it is the CRM's being unavailable.
	 */
	private <T> T send(Action action, CrmRequestGate.Kind kind, HttpMethod method, String uri, Object body,
			Class<T> type) {
		String key = this.tokens.get();
		key = (key != null) ? key.strip() : "";
		if (key.isEmpty()) {
			throw new CrmUnavailableException("no HubSpot key configured (" + this.tokenSetting + ")", null);
		}
		this.token = key;
		this.gate.beforeRequest(kind);
		String bearer = key;
		RestClient.RequestBodySpec request = this.http.method(method)
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(bearer))
			.accept(MediaType.APPLICATION_JSON);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		try {
			return request.exchange((req, response) -> {
				HttpStatusCode status = response.getStatusCode();
				if (status.is2xxSuccessful()) {
					this.gate.onServed();
					return (type == Void.class) ? null : response.bodyTo(type);
				}
				throw failure(action, status, readError(response), response.getHeaders().getFirst("Retry-After"));
			});
		}
		catch (ResourceAccessException ex) {
			throw told(new CrmUnavailableException(
					"HubSpot could not be reached to " + action.verb() + " (" + mask(rootCauseMessage(ex)) + ")", ex));
		}
		catch (CrmUnavailableException ex) {
			throw told(ex);
		}
	}

	/** The failure as the gate makes of it (a sign of an outage is a pause, not an attempt). */
	private CrmUnavailableException told(CrmUnavailableException failure) {
		return this.gate.onUnavailable(failure);
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
		if (code == HttpStatus.NOT_FOUND.value() && action.noun().startsWith("read of contact property")) {
			return new NotFoundException();
		}
		if (code == HttpStatus.UNAUTHORIZED.value()) {
			this.tokens.refused();
			return new CrmUnavailableException(CrmUnavailableException.Reason.CREDENTIALS_REFUSED,
					"HubSpot refused the key (401) on the " + action.noun() + "; check " + this.tokenSetting,
					null, null);
		}
		if (code == HttpStatus.FORBIDDEN.value()) {
			return new CrmUnavailableException("HubSpot refused the key (403) on the " + action.noun()
					+ "; check the scopes of " + this.tokenSetting, null);
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

	/** A 404 where it means "not there yet". */
	private static final class NotFoundException extends RuntimeException {

		NotFoundException() {
			super("not found", null, false, false);
		}

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
	record HubSpotObject(String id, Map<String, String> properties, String objectWriteTraceId) {

		String property(String name) {
			return (this.properties != null) ? this.properties.get(name) : null;
		}

	}

	/** A batch answer (200, 201 or 207): a result per done input, an error per failed group of inputs. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record BatchAnswer(String status, List<HubSpotObject> results, List<BatchError> errors) {

		List<HubSpotObject> resultList() {
			return (this.results == null) ? List.of()
					: this.results.stream().filter((object) -> object != null && object.id() != null).toList();
		}

		List<BatchError> errorList() {
			return (this.errors == null) ? List.of() : this.errors;
		}

	}

	/** One error of a batch answer; {@code context} names the inputs it concerns ({@code ids}, ...). */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record BatchError(String status, String category, String message, Map<String, List<String>> context) {

		List<String> contextValues(String name) {
			return (this.context == null || this.context.get(name) == null) ? List.of() : this.context.get(name);
		}

	}

	/**
	 * The API's paths for one date version ({@code esteira.crm.hubspot.api-version}, e.g. {@code 2026-09}).
	 *
	 * @param version the date version
	 */
	public record Paths(String version) {

		private static final Pattern VERSION = Pattern.compile("[0-9]{4}-[0-9]{2}");

		public Paths {
			if (version == null || !VERSION.matcher(version).matches()) {
				throw new IllegalArgumentException("A HubSpot API version looks like 2026-09, not " + version);
			}
		}

		String batch(String objectType, String action) {
			return "/crm/objects/" + this.version + "/" + objectType + "/batch/" + action;
		}

		String search(String objectType) {
			return "/crm/objects/" + this.version + "/" + objectType + "/search";
		}

		String property(String name) {
			return properties() + "/" + name;
		}

		String properties() {
			return "/crm/properties/" + this.version + "/contacts";
		}

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
