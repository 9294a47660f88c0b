package io.esteira.ingest.upload;

import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Binds {@link UploadKind} from request parameters and form fields by its API name, in any case; blank is absent.
 * Spring Boot adds every {@link Converter} bean to Spring MVC's conversion service.
 */
@Component
class UploadKindParameterConverter implements Converter<String, UploadKind> {

	@Override
	public UploadKind convert(String value) {
		return value.isBlank() ? null : UploadKind.fromValue(value);
	}

}
