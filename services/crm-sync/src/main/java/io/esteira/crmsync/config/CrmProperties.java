package io.esteira.crmsync.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CRM sync settings ({@code esteira.crm.*}).
 *
 * @param publicBaseUrl ingest's public URL; the photo link put on contacts is
 * {@code {publicBaseUrl}/files/{uploadId}/256}, a permalink ingest serves (default {@code http://localhost:8080})
 * @param photoProperty the contact property that receives the link (default {@code esteira_photo_url})
 * @param hubspot HubSpot's CRM API
 */
@Validated
@ConfigurationProperties("esteira.crm")
public record CrmProperties(@DefaultValue("http://localhost:8080") @NotBlank String publicBaseUrl,
		@DefaultValue("esteira_photo_url") @NotBlank String photoProperty, @DefaultValue @Valid HubSpot hubspot) {

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

}
