package io.esteira.crmsync.crm.webhook;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.esteira.crmsync.crm.CrmClient;
import io.esteira.crmsync.crm.CrmContact;
import io.esteira.crmsync.crm.CrmNote;
import io.esteira.crmsync.crm.CrmOutcome;
import io.esteira.crmsync.crm.CrmRejectedException;
import io.esteira.crmsync.crm.CrmRequestGate;
import io.esteira.crmsync.crm.CrmTask;
import io.esteira.crmsync.crm.CrmUnavailableException;
import io.esteira.crmsync.crm.PhoneNumber;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * {@link CrmClient} for any CRM that accepts webhooks. Each action is a {@code POST} of a JSON document
 * {@code {"type": ..., "deliveryId": ..., "sentAt": ..., ...}} to one URL with headers:
 * <ul>
 * <li>{@code X-Esteira-Timestamp}: seconds since the epoch;</li>
 * <li>{@code X-Esteira-Signature}: {@code sha256=} and the hex HMAC-SHA256, keyed with the shared secret, of
 * {@code timestamp + "." + body} (receivers recompute it, compare in constant time and reject old timestamps);</li>
 * <li>{@code X-Esteira-Delivery}: the delivery id, the same for every retry of the same action, for the receiver to
 * drop duplicates.</li>
 * </ul>
 * Types: {@code contact.property.updated} ({@code contact}, {@code property}, {@code value}), {@code task.created}
 * ({@code contact}, {@code owner}, {@code subject}, {@code body}, {@code dueAt}), {@code note.created}
 * ({@code contact}, {@code body}, {@code timestamp}), {@code contact.property.cleared} ({@code contact},
 * {@code property}, {@code ifValue}: clear it only if it still holds that value). The receiver resolves contacts: the contact reference is the id
 * the upload carried, or {@code email:<address>} / {@code phone:<E.164>}. Answers: 2xx success (a JSON {@code id} in
 * the answer is kept as the task's or note's id), 429 rate limited, 401/403 credentials refused, 5xx and I/O errors
 * unavailable, other 4xx rejected for review.
 * <p>
 * <b>Not batched.</b> The contract is one signed document per action, with a delivery id per action for the
 * receiver's de-duplication; receivers written against it (and their own rate limits) expect that. A batch of the
 * port is sent as one POST per item, each through the {@link CrmRequestGate}, and each item gets its own outcome.
 */
public class WebhookCrmClient implements CrmClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RestClient http;

	private final String url;

	private final byte[] secret;

	private final Clock clock;

	private final CrmRequestGate gate;

	public WebhookCrmClient(RestClient http, String url, String secret, Clock clock, CrmRequestGate gate) {
		this.http = http;
		this.url = url;
		this.secret = (secret != null) ? secret.getBytes(StandardCharsets.UTF_8) : new byte[0];
		this.clock = clock;
		this.gate = gate;
	}

	public static WebhookCrmClient create(RestClient.Builder builder, String url, String secret,
			Duration connectTimeout, Duration readTimeout, Clock clock, CrmRequestGate gate) {
		RestClient http = builder.clone()
			.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
				.withHttpClientCustomizer((client) -> client.version(HttpClient.Version.HTTP_1_1))
				.build(HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout)))
			.build();
		return new WebhookCrmClient(http, url, secret, clock, gate);
	}

	/** The signature of a body sent at {@code timestamp}: what {@code X-Esteira-Signature} carries. */
	public static String signature(byte[] secret, String timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "sha256=" + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 unavailable", ex);
		}
	}

	/** The receiver resolves contacts: the id the upload carried is the reference. */
	@Override
	public Map<String, CrmContact> findContacts(Collection<String> contactIds) {
		Map<String, CrmContact> contacts = new LinkedHashMap<>();
		contactIds.forEach((id) -> contacts.put(id, new CrmContact(id, null)));
		return contacts;
	}

	@Override
	public Map<String, CrmContact> findContactsByEmail(Collection<String> emails) {
		Map<String, CrmContact> contacts = new LinkedHashMap<>();
		emails.forEach((email) -> {
			String address = email.strip().toLowerCase(Locale.ROOT);
			contacts.put(address, new CrmContact("email:" + address, null));
		});
		return contacts;
	}

	@Override
	public Map<PhoneNumber, List<CrmContact>> findContactsByPhone(Collection<PhoneNumber> phones) {
		Map<PhoneNumber, List<CrmContact>> contacts = new LinkedHashMap<>();
		phones.forEach((phone) -> contacts.put(phone, List.of(new CrmContact("phone:" + phone.e164(), null))));
		return contacts;
	}

	@Override
	public Map<String, CrmOutcome<String>> updateContactProperty(String property, Map<String, String> values) {
		Map<String, CrmOutcome<String>> outcomes = new LinkedHashMap<>();
		values.forEach((contactId, value) -> outcomes.put(contactId,
				propertyAction("contact.property.updated", contactId, property, "value", value)));
		return outcomes;
	}

	/**
	 * {@code contact.property.cleared} ({@code contact}, {@code property}, {@code ifValue}): the receiver clears the
	 * property only if it still holds {@code ifValue} (a webhook cannot be read first).
	 */
	@Override
	public Map<String, CrmOutcome<Boolean>> clearContactProperty(String property, Map<String, String> expected) {
		Map<String, CrmOutcome<Boolean>> outcomes = new LinkedHashMap<>();
		expected.forEach((contactId, value) -> outcomes.put(contactId,
				propertyAction("contact.property.cleared", contactId, property, "ifValue", value)
					.map((cleared) -> true)));
		return outcomes;
	}

	/** One signed POST about a contact's property: {@code contact}, {@code property} and {@code field = value}. */
	private CrmOutcome<String> propertyAction(String type, String contactId, String property, String field,
			String value) {
		return each(() -> {
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("contact", contactId);
			payload.put("property", property);
			payload.put(field, value);
			post(type, contactId + "|" + property + "|" + value, payload);
			return contactId;
		});
	}

	@Override
	public Map<String, CrmOutcome<String>> createTasks(List<CrmTask> tasks) {
		Map<String, CrmOutcome<String>> outcomes = new LinkedHashMap<>();
		tasks.forEach((task) -> outcomes.put(task.marker(), each(() -> {
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("contact", task.contactId());
			payload.put("owner", task.ownerId());
			payload.put("subject", task.subject());
			payload.put("body", task.body());
			payload.put("dueAt", task.dueAt().toString());
			return post("task.created", "task|" + task.marker(), payload);
		})));
		return outcomes;
	}

	@Override
	public Map<String, CrmOutcome<String>> createNotes(List<CrmNote> notes) {
		Map<String, CrmOutcome<String>> outcomes = new LinkedHashMap<>();
		notes.forEach((note) -> outcomes.put(note.marker(), each(() -> {
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("contact", note.contactId());
			payload.put("body", note.body());
			payload.put("timestamp", note.timestamp().toString());
			return post("note.created", "note|" + note.marker(), payload);
		})));
		return outcomes;
	}

	/** One action's outcome; a failure that pauses every call (rate limit, refused signature) fails the batch. */
	private static CrmOutcome<String> each(Supplier<String> action) {
		try {
			return new CrmOutcome.Done<>(action.get());
		}
		catch (CrmRejectedException ex) {
			return new CrmOutcome.Refused<>(ex.getMessage());
		}
		catch (CrmUnavailableException ex) {
			if (ex.reason() != CrmUnavailableException.Reason.TRANSIENT) {
				throw ex;
			}
			return new CrmOutcome.Unavailable<>(ex);
		}
	}

	/** A webhook cannot be searched; the receiver drops duplicates by {@code X-Esteira-Delivery} instead. */
	@Override
	public Optional<String> findTask(String marker) {
		return Optional.empty();
	}

	@Override
	public Optional<String> findNote(String marker) {
		return Optional.empty();
	}

	/** Nothing to create: the receiver owns its schema. */
	@Override
	public void ensureContactProperty(String name, String label) {
	}

	/** POSTs one signed document; returns the answer's {@code id}, or the delivery id. */
	private String post(String type, String identity, Map<String, Object> fields) {
		if (this.url == null || this.url.isBlank()) {
			throw new CrmUnavailableException("no webhook URL configured (esteira.crm.webhook.url)", null);
		}
		if (this.secret.length == 0) {
			throw new CrmUnavailableException("no webhook secret configured (esteira.crm.webhook.secret)", null);
		}
		String deliveryId = UUID.nameUUIDFromBytes((type + "|" + identity).getBytes(StandardCharsets.UTF_8))
			.toString();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("type", type);
		document.put("deliveryId", deliveryId);
		document.put("sentAt", this.clock.instant().toString());
		document.putAll(fields);
		String body = JSON.writeValueAsString(document);
		String timestamp = Long.toString(this.clock.instant().getEpochSecond());
		this.gate.beforeRequest(CrmRequestGate.Kind.STANDARD);
		try {
			return this.http.post()
				.uri(this.url)
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Esteira-Timestamp", timestamp)
				.header("X-Esteira-Signature", signature(this.secret, timestamp, body))
				.header("X-Esteira-Delivery", deliveryId)
				.body(body)
				.exchange((request, response) -> {
					HttpStatusCode status = response.getStatusCode();
					if (status.is2xxSuccessful()) {
						this.gate.onServed();
						return idIn(response.getBody().readAllBytes()).orElse(deliveryId);
					}
					throw failure(type, status.value(), response.getHeaders().getFirst("Retry-After"));
				});
		}
		catch (ResourceAccessException ex) {
			throw told(new CrmUnavailableException("the CRM webhook could not be reached for " + type, ex));
		}
		catch (CrmUnavailableException ex) {
			throw told(ex);
		}
	}

	/** The failure as the gate makes of it (a sign of an outage is a pause, not an attempt). */
	private CrmUnavailableException told(CrmUnavailableException failure) {
		return this.gate.onUnavailable(failure);
	}

	private static Optional<String> idIn(byte[] answer) {
		try {
			return Optional.ofNullable(JSON.readTree(answer).get("id")).map((id) -> id.asString());
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static RuntimeException failure(String type, int status, String retryAfter) {
		if (status == 429) {
			Duration wait = null;
			try {
				wait = (retryAfter != null) ? Duration.ofSeconds(Long.parseLong(retryAfter.strip())) : null;
			}
			catch (NumberFormatException ex) {
				// An HTTP date or garbage: fall back to the rate-limit window.
			}
			return new CrmUnavailableException(CrmUnavailableException.Reason.RATE_LIMITED,
					"the CRM webhook rate limited " + type, wait, null);
		}
		if (status == 401 || status == 403) {
			return new CrmUnavailableException(CrmUnavailableException.Reason.CREDENTIALS_REFUSED,
					"the CRM webhook refused the signature (" + status + ") for " + type
							+ "; check esteira.crm.webhook.secret",
					null, null);
		}
		if (status >= 400 && status < 500) {
			return new CrmRejectedException("the CRM webhook rejected " + type + " (" + status + ")");
		}
		return new CrmUnavailableException("the CRM webhook answered " + status + " to " + type, null);
	}

}
