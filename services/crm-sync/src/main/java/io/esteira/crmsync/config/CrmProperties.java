package io.esteira.crmsync.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Pattern;

import io.esteira.crmsync.crm.SecretReferences;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CRM sync settings ({@code esteira.crm.*}).
 *
 * @param adapter which CRM to talk to: {@code hubspot} (default) or {@code webhook} (a signed JSON POST to any URL)
 * @param publicBaseUrl ingest's public URL; the photo link put on contacts is
 * {@code {publicBaseUrl}/files/{uploadId}/256}, a permalink ingest serves (default {@code http://localhost:8080})
 * @param photoProperty the contact property that receives the link (default {@code esteira_photo_url})
 * @param createProperty whether to create {@code photoProperty} at startup when the CRM lacks it (default
 * {@code true}; needs HubSpot scope {@code crm.schemas.contacts.write}, without it a warning says to create it by
 * hand)
 * @param hubspot HubSpot's CRM API
 * @param webhook the generic webhook adapter
 * @param rateLimit the CRM's rate limit, shared by every instance
 * @param batch how image events are gathered into batches
 * @param retry pauses and claims around retries (the retry policy is {@code esteira.retry.steps.crm-sync.*})
 * @param task the task for the contact's owner
 * @param note the note on the contact
 * @param tenants the HubSpot connection of each tenant other than the default one (which the global
 * {@code hubspot} or {@code webhook} connection serves, unless {@code tenants.default} is set); an upload of a tenant
 * without one needs review
 * @param secrets how secret references ({@code env:}, {@code file:}, {@code aws-secretsmanager:}) are read
 * @param erasure the note recorded on a contact whose photo was erased at the customer's request
 */
@Validated
@ConfigurationProperties("esteira.crm")
public record CrmProperties(@DefaultValue("hubspot") @NotNull Adapter adapter,
		@DefaultValue("http://localhost:8080") @NotBlank String publicBaseUrl,
		@DefaultValue("esteira_photo_url") @NotBlank String photoProperty,
		@DefaultValue("true") boolean createProperty, @DefaultValue @Valid HubSpot hubspot,
		@DefaultValue @Valid Webhook webhook, @DefaultValue @Valid RateLimit rateLimit,
		@DefaultValue @Valid Batch batch, @DefaultValue @Valid Retry retry, @DefaultValue @Valid Task task, @DefaultValue @Valid Note note,
		Map<String, @Valid Tenant> tenants, @DefaultValue @Valid Secrets secrets, @DefaultValue @Valid Erasure erasure) {

	public CrmProperties {
		tenants = (tenants != null) ? Map.copyOf(tenants) : Map.of();
	}

	/**
	 * One tenant's HubSpot connection ({@code esteira.crm.tenants.<tenant>.*}). Each tenant's HubSpot account has its
	 * own rate limit: its token bucket is {@code <rate-limit.key>:<tenant>}, and a batch never mixes tenants.
	 *
	 * @param token a secret <em>reference</em>, never a value: {@code env:NAME}, {@code file:/path} (a mounted
	 * secret) or {@code aws-secretsmanager:<secret-id>} (name or ARN); read when needed, cached for
	 * {@code secrets.cache-ttl}. A value is refused at startup ({@code CrmSyncConfiguration}, without repeating it:
	 * a validation message would)
	 * @param baseUrl HubSpot's API root for this tenant (default: {@code esteira.crm.hubspot.base-url})
	 * @param portalId the tenant's HubSpot account (portal) id, for operators and logs (optional)
	 * @param defaultOwnerId the HubSpot owner who gets the task when the contact has no owner (optional: no task then)
	 * @param rateLimit this account's limit (default: {@code esteira.crm.rate-limit.requests})
	 */
	public record Tenant(@NotBlank String token,
			String baseUrl, String portalId, String defaultOwnerId, @DefaultValue TenantRateLimit rateLimit) {

		/** The reference (it names no secret), never a value written there by mistake. */
		@Override
		public String toString() {
			return "Tenant[token=" + (SecretReferences.isReference(this.token) ? this.token : "(not a reference)")
					+ ", baseUrl=" + this.baseUrl + ", portalId=" + this.portalId
					+ ", defaultOwnerId=" + this.defaultOwnerId + ", rateLimit=" + this.rateLimit + "]";
		}

	}

	/**
	 * A tenant's own rate limit ({@code esteira.crm.tenants.<tenant>.rate-limit.*}).
	 *
	 * @param requests requests per {@code esteira.crm.rate-limit.period} for that account, every instance together
	 * (default: {@code esteira.crm.rate-limit.requests})
	 */
	public record TenantRateLimit(@Min(2) Integer requests) {
	}

	/**
	 * How secret references are read ({@code esteira.crm.secrets.*}).
	 *
	 * @param cacheTtl how long a value read is kept before it is read again (default 5 min: a rotated key is used
	 * within that time)
	 * @param awsEndpoint AWS Secrets Manager's endpoint (default: AWS's for the region; an emulator's URL otherwise)
	 * @param timeout how long a Secrets Manager request may take (default 5 s)
	 */
	public record Secrets(@DefaultValue("5m") @NotNull Duration cacheTtl, String awsEndpoint,
			@DefaultValue("5s") @NotNull Duration timeout) {
	}

	/**
	 * The note recorded on a contact whose photo was erased at the customer's request ({@code esteira.crm.erasure.*}).
	 * It says nothing of the customer.
	 *
	 * @param note default {@code Photo removed at the customer's request (LGPD).}
	 */
	public record Erasure(@DefaultValue("Photo removed at the customer's request (LGPD).") @NotBlank String note) {
	}

	/** The CRM adapters. */
	public enum Adapter {

		HUBSPOT, WEBHOOK

	}

	/**
	 * HubSpot's CRM API ({@code esteira.crm.hubspot.*}).
	 *
	 * @param baseUrl the API's root (default {@code https://api.hubapi.com})
	 * @param apiVersion the date version of HubSpot's API (default {@code 2026-09}: from it, validation rules apply
	 * to writes)
	 * @param token a Service Key (or an older private app's token), sent as {@code Authorization: Bearer}; from
	 * {@code HUBSPOT_TOKEN}, no default. Never logged: {@link #toString()} masks it
	 * @param connectTimeout how long to wait for a connection (default 2 s)
	 * @param readTimeout how long to wait for an answer; keep it well below the queue's visibility timeout
	 * (default 10 s)
	 */
	public record HubSpot(@DefaultValue("https://api.hubapi.com") @NotBlank String baseUrl,
			@DefaultValue("2026-09") @Pattern(regexp = "[0-9]{4}-[0-9]{2}") String apiVersion, String token,
			@DefaultValue("2s") @NotNull Duration connectTimeout, @DefaultValue("10s") @NotNull Duration readTimeout) {

		public boolean hasToken() {
			return this.token != null && !this.token.isBlank();
		}

		@Override
		public String toString() {
			return "HubSpot[baseUrl=" + this.baseUrl + ", apiVersion=" + this.apiVersion + ", token=" + (hasToken() ? "(set)" : "(none)")
					+ ", connectTimeout=" + this.connectTimeout + ", readTimeout=" + this.readTimeout + "]";
		}

	}

	/**
	 * The generic webhook adapter ({@code esteira.crm.webhook.*}): each CRM action is a POST of a JSON document to
	 * {@code url}, signed with HMAC-SHA256 over {@code timestamp + "." + body}.
	 *
	 * @param url where to POST (no default; required when {@code adapter=webhook})
	 * @param secret the HMAC key, from {@code CRM_WEBHOOK_SECRET}; never logged
	 * @param connectTimeout default 2 s
	 * @param readTimeout default 10 s
	 */
	public record Webhook(String url, String secret, @DefaultValue("2s") @NotNull Duration connectTimeout,
			@DefaultValue("10s") @NotNull Duration readTimeout) {

		/** Neither the secret nor what a URL may carry of one (user info, a query such as {@code ?token=}). */
		@Override
		public String toString() {
			return "Webhook[url=" + redacted(this.url) + ", secret=" + ((this.secret != null && !this.secret.isBlank())
					? "(set)" : "(none)") + ", connectTimeout=" + this.connectTimeout + ", readTimeout="
					+ this.readTimeout + "]";
		}

		private static String redacted(String url) {
			if (url == null) {
				return null;
			}
			String shown = url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@", "$1(hidden)@");
			int query = shown.indexOf('?');
			return (query >= 0) ? shown.substring(0, query) + "?(hidden)" : shown;
		}

	}

	/**
	 * The CRM's rate limit ({@code esteira.crm.rate-limit.*}), one for every instance: a token bucket whose state is
	 * in PostgreSQL, so replicas share it. HubSpot allows, per account and shared by all its apps, 100 requests per
	 * 10 s (Free, Starter) or 190 (Professional, Enterprise), a daily number, and about 4 searches per second. Set
	 * {@code requests} to the account's limit minus what other integrations use.
	 *
	 * @param key the bucket's name: instances with the same key share the limit (default {@code hubspot})
	 * @param requests requests per {@code period} for every instance together (default 100)
	 * @param burst how many of them may start at once, the rest refills evenly over the period (default 10)
	 * @param period the CRM's window (default 10 s)
	 * @param margin added to the period on our side, for clock and network jitter (default 1 s)
	 * @param daily requests per day (default 250,000: HubSpot's Professional quota; Free/Starter have less)
	 * @param searchRequestsPerSecond the search endpoint's own limit (default 4)
	 * @param maxWait the longest a request waits for a token; beyond it the work is put back for later, which is not
	 * counted as an attempt (default 10 s; keep it well below the messages' visibility)
	 * @param dailyResetZone the time zone whose midnight resets HubSpot's daily quota (the account's time zone;
	 * default UTC)
	 */
	public record RateLimit(@DefaultValue("hubspot") @NotBlank String key, @DefaultValue("100") @Min(2) int requests,
			@DefaultValue("10") @Min(1) int burst, @DefaultValue("10s") @NotNull Duration period,
			@DefaultValue("1s") @NotNull Duration margin, @DefaultValue("250000") @Min(1) long daily,
			@DefaultValue("4") @Min(1) int searchRequestsPerSecond, @DefaultValue("10s") @NotNull Duration maxWait,
			@DefaultValue("UTC") @NotNull ZoneId dailyResetZone) {
	}

	/**
	 * How image events are gathered for the CRM's batch requests ({@code esteira.crm.batch.*}).
	 *
	 * @param window how long the first poll of a batch waits for more (default 300 ms; a short poll — the queue had
	 * no more — does not wait)
	 * @param maxEvents the most events in one batch (default 100, HubSpot's batch size)
	 * @param lateAfter a photo uploaded longer ago than this is late (default 2 s): the pipeline is behind
	 * @param lateMaxWindow a batch holding a late photo gathers for half its lateness, at most this long (default
	 * 10 s): a photo a minute late loses nothing by a few seconds more, and each batch of requests serves more photos
	 * @param maxMessageChars a message body longer than this is not an image event (image-processing's are about
	 * 1 KB): it is not parsed, and goes to the dead-letter queue (default 65536)
	 */
	public record Batch(@DefaultValue("300ms") @NotNull Duration window,
			@DefaultValue("100") @Min(1) @Max(1000) int maxEvents, @DefaultValue("2s") @NotNull Duration lateAfter,
			@DefaultValue("10s") @NotNull Duration lateMaxWindow,
			@DefaultValue("65536") @Min(1024) int maxMessageChars) {
	}

	/**
	 * Pauses and claims around CRM retries ({@code esteira.crm.retry.*}). The retry policy itself (attempts, backoff,
	 * jitter) is not here: it is the {@code crm-sync} step's {@link io.esteira.platform.retry.RetryPolicies policy}
	 * ({@code esteira.retry.steps.crm-sync.*}, else {@code esteira.retry.default.*}).
	 *
	 * @param credentialsPause how long the consumer stops after HubSpot refused the token (401) before one message
	 * tries again (default 5 min)
	 * @param claimTimeout how long a task or note being created by another delivery is waited for before that
	 * delivery is presumed dead and the CRM searched for what it created (default 2 min)
	 * @param syncLease how long a delivery's claim on an upload (and its contact) holds while it calls the CRM; a
	 * delivery of the same upload or contact meanwhile is retried when the lease ends, and takes the claim over if it
	 * was not given back (the holder crashed). Keep it near the image-events queue's visibility timeout, longer than
	 * a sync takes (default 60 s)
	 * @param outageAfter CRM requests failing in a row (5xx, timeouts, resets) that make an outage: calls pause, the
	 * consumer stops, and the uploads waiting spend no attempts on it (default 5)
	 * @param outagePause the first pause of an outage; each failed probe after a pause doubles it (default 30 s)
	 * @param outageMaxPause the longest pause of an outage (default 5 min)
	 */
	public record Retry(@DefaultValue("5m") @NotNull Duration credentialsPause,
			@DefaultValue("2m") @NotNull Duration claimTimeout, @DefaultValue("60s") @NotNull Duration syncLease,
			@DefaultValue("5") @Positive int outageAfter, @DefaultValue("30s") @NotNull Duration outagePause,
			@DefaultValue("5m") @NotNull Duration outageMaxPause) {
	}

	/**
	 * The task for the contact's owner ({@code esteira.crm.task.*}), due when created. Placeholders: {@code {link}},
	 * {@code {uploadId}}, {@code {contactId}}.
	 *
	 * @param enabled default {@code true}
	 * @param subject default {@code New customer photo}
	 * @param body default {@code A new photo of this contact was uploaded: {link}}
	 */
	public record Task(@DefaultValue("true") boolean enabled, @DefaultValue("New customer photo") String subject,
			@DefaultValue("A new photo of this contact was uploaded: {link}") String body) {
	}

	/**
	 * The note on the contact ({@code esteira.crm.note.*}). Placeholders as for the task.
	 *
	 * @param enabled default {@code true}
	 * @param body default {@code Customer photo: {link}}
	 */
	public record Note(@DefaultValue("true") boolean enabled, @DefaultValue("Customer photo: {link}") String body) {
	}

}
