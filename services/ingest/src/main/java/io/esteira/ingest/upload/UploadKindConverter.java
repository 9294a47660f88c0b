package io.esteira.ingest.upload;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link UploadKind} by its API name ({@code image}, {@code invoice}). */
@Converter(autoApply = true)
class UploadKindConverter implements AttributeConverter<UploadKind, String> {

	@Override
	public String convertToDatabaseColumn(UploadKind kind) {
		return (kind != null) ? kind.value() : null;
	}

	@Override
	public UploadKind convertToEntityAttribute(String value) {
		return (value != null) ? UploadKind.fromValue(value) : null;
	}

}
