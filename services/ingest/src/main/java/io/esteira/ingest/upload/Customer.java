package io.esteira.ingest.upload;

import org.springframework.util.StringUtils;

/**
 * Who an upload belongs to, as the client said; every field may be {@code null}.
 *
 * @param crmContactId the CRM contact the thumbnail link is written to
 * @param externalRef the client's own reference
 */
public record Customer(String email, String phone, String crmContactId, String externalRef) {

	/** From form or JSON fields: blank counts as absent, the rest is stripped. */
	public static Customer of(String email, String phone, String crmContactId, String externalRef) {
		return new Customer(blankToNull(email), blankToNull(phone), blankToNull(crmContactId),
				blankToNull(externalRef));
	}

	/** Nobody: an object registered from the bucket names no customer. */
	public static Customer none() {
		return new Customer(null, null, null, null);
	}

	private static String blankToNull(String value) {
		return StringUtils.hasText(value) ? value.strip() : null;
	}

}
