package io.esteira.contracts.event;

import java.util.regex.Pattern;

/**
 * Tenants: every upload, image, CRM sync, import and invoice belongs to one. A tenant id is what the caller's API key
 * or token names ({@code tenant}); rows from before tenants existed, and objects dropped into the uploads bucket by
 * another system, belong to {@link #DEFAULT}.
 */
public final class Tenants {

	/** The tenant of callers that name none, of rows from before tenants, and of foreign objects. */
	public static final String DEFAULT = "default";

	/** Lower-case letters, digits and hyphens, 1 to 63 characters, starting with a letter or digit. */
	public static final String PATTERN = "[a-z0-9][a-z0-9-]{0,62}";

	private static final Pattern VALID = Pattern.compile(PATTERN);

	private Tenants() {
	}

	/** Whether {@code tenant} is a well-formed tenant id ({@link #PATTERN}). */
	public static boolean isValid(String tenant) {
		return tenant != null && VALID.matcher(tenant).matches();
	}

	/** {@code tenant}, or {@link #DEFAULT} when it is {@code null} or blank. */
	public static String orDefault(String tenant) {
		return (tenant == null || tenant.isBlank()) ? DEFAULT : tenant;
	}

}
