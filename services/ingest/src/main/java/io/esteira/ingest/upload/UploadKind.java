package io.esteira.ingest.upload;

import java.util.Locale;

/** What an upload is; decides its key prefix and which content types are accepted. */
public enum UploadKind {

	IMAGE("image", "images/"), INVOICE("invoice", "invoices/");

	private final String value;

	private final String keyPrefix;

	UploadKind(String value, String keyPrefix) {
		this.value = value;
		this.keyPrefix = keyPrefix;
	}

	/** The name used in the API, the database and the object metadata ({@code image}, {@code invoice}). */
	public String value() {
		return this.value;
	}

	/** Where objects of this kind go in the uploads bucket; the S3 notifications route on it. */
	String keyPrefix() {
		return this.keyPrefix;
	}

	static UploadKind fromValue(String value) {
		for (UploadKind kind : values()) {
			if (kind.value.equals(value.toLowerCase(Locale.ROOT))) {
				return kind;
			}
		}
		throw new IllegalArgumentException("Unknown upload kind: " + value);
	}

}
