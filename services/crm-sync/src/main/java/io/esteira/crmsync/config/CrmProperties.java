package io.esteira.crmsync.config;

import java.time.Duration;
import java.time.ZoneId;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

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
 * @param rateLimit the client-side rate limit
 * @param retry pauses and claims around retries (the retry policy is {@code esteira.retry.steps.crm-sync.*})
 * @param task the task for the contact's owner
 * @param note the note on the contact
 */
@Validated
@ConfigurationProperties("esteira.crm")
public record CrmProperties(@DefaultValue("hubspot") @NotNull Adapter adapter,
		@DefaultValue("http://localhost:8080") @NotBlank String publicBaseUrl,
		@DefaultValue("esteira_photo_url") @NotBlank String photoProperty,
		@DefaultValue("true") boolean createProperty, @DefaultValue @Valid HubSpot hubspot,
		@DefaultValue @Valid Webhook webhook, @DefaultValue @Valid RateLimit rateLimit,
		@DefaultValue @Valid Retry retry, @DefaultValue @Valid Task task, @DefaultValue @Valid Note note) {

	/** The CRM adapters. */
	public enum Adapter {

		HUBSPOT, WEBHOOK

	}

	/**
	 * HubSpot's CRM API ({@code esteira.crm.hubspot.*}).
	 *
	 * @param baseUrl the API's root (default {@code https://api.hubapi.com})
	 * @param token private-app access token, sent as {@code Authorization: Bearer}; from {@code HUBSPOT_TOKEN}, no
	 * default. Never logged: {@link #toString()} masks it
	 * @param connectTimeout how long to wait for a connection (default 2 s)
	 * @param readTimeout how long to wait for an answer; keep it well below the queue's visibility timeout
	 * (default 10 s)
	 */
	public record HubSpot(@DefaultValue("https://api.hubapi.com") @NotBlank String baseUrl, String token,
			@DefaultValue("2s") @NotNull Duration connectTimeout, @DefaultValue("10s") @NotNull Duration readTimeout) {

		public boolean hasToken() {
			return this.token != null && !this.token.isBlank();
		}

		@Override
		public String toString() {
			return "HubSpot[baseUrl=" + this.baseUrl + ", token=" + (hasToken() ? "(set)" : "(none)")
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

		@Override
		public String toString() {
			return "Webhook[url=" + this.url + ", secret=" + ((this.secret != null && !this.secret.isBlank())
					? "(set)" : "(none)") + "]";
		}

	}

	/**
	 * Client-side token bucket ({@code esteira.crm.rate-limit.*}). HubSpot allows 100 (Free/Starter) or 190
	 * (Professional/Enterprise) requests per 10 s <em>per account</em>, shared by every app and every instance;
	 * instances do not coordinate, so set {@code requests} to this instance's share (e.g. 100 / replicas, minus what
	 * other integrations use).
	 *
	 * @param requests requests per {@code period} for this instance (default 100)
	 * @param period the window (default 10 s)
	 * @param margin added to {@code period} on our side, so that network jitter cannot squeeze {@code requests + 1}
	 * requests into one of the CRM's windows (default 200 ms)
	 * @param maxWait the longest a call waits for a token; beyond it the message is retried later (default 2 s)
	 * @param dailyResetZone the time zone whose midnight resets HubSpot's daily quota (the account's time zone;
	 * default UTC)
	 */
	public record RateLimit(@DefaultValue("100") @Min(1) int requests, @DefaultValue("10s") @NotNull Duration period,
			@DefaultValue("200ms") @NotNull Duration margin, @DefaultValue("2s") @NotNull Duration maxWait,
			@DefaultValue("UTC") @NotNull ZoneId dailyResetZone) {
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
	 */
	public record Retry(@DefaultValue("5m") @NotNull Duration credentialsPause,
			@DefaultValue("2m") @NotNull Duration claimTimeout, @DefaultValue("60s") @NotNull Duration syncLease) {
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
