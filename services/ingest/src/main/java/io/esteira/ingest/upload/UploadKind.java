package io.esteira.ingest.upload;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * What an upload is; decides its key prefix and which content types are accepted. Read from requests by its API name
 * in any case: request parameters and form fields through {@link UploadKindParameterConverter}, JSON through
 * {@link #fromValue}; an unknown name is {@link UnknownUploadKindException} (a 400 naming {@code kind}).
 */
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
	public String keyPrefix() {
		return this.keyPrefix;
	}

	/** The kind named {@code value} ({@code image} or {@code invoice}, any case). */
	@JsonCreator
	public static UploadKind fromValue(String value) {
		for (UploadKind kind : values()) {
			if (value != null && kind.value.equalsIgnoreCase(value.strip())) {
				return kind;
			}
		}
		throw new UnknownUploadKindException(value);
	}

}
