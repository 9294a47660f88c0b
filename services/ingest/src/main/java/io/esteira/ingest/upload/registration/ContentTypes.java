package io.esteira.ingest.upload.registration;

import java.util.Locale;
import java.util.Set;

import io.esteira.ingest.config.IngestProperties;
import io.esteira.ingest.upload.UnsupportedUploadTypeException;
import io.esteira.ingest.upload.UploadKind;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;

import org.springframework.stereotype.Component;

/**
 * The content types an upload may have: those accepted for its kind ({@code esteira.ingest.allowed-types.*}),
 * written lower case without parameters, with their usual file extension.
 */
@Component
public class ContentTypes {

	private final IngestProperties.AllowedTypes allowed;

	ContentTypes(IngestProperties properties) {
		this.allowed = properties.allowedTypes();
	}

	/**
	 * @param contentType a normalized type ({@link #normalize})
	 * @throws UnsupportedUploadTypeException if it is not accepted for the kind
	 */
	public void requireAccepted(UploadKind kind, String contentType) {
		Set<String> accepted = switch (kind) {
			case IMAGE -> this.allowed.image();
			case INVOICE -> this.allowed.invoice();
		};
		if (!accepted.contains(contentType)) {
			throw new UnsupportedUploadTypeException(kind, contentType, accepted);
		}
	}

	/** A type lower case without parameters ({@code Image/PNG; q=1} is {@code image/png}). */
	public static String normalize(String type) {
		int parameters = type.indexOf(';');
		return ((parameters < 0) ? type : type.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
	}

	/** The usual file extension of a type, with its dot ({@code .jpg}); {@code .bin} when there is none. */
	static String extensionOf(String type) {
		try {
			String extension = MimeTypes.getDefaultMimeTypes().forName(type).getExtension();
			return extension.isEmpty() ? ".bin" : extension;
		}
		catch (MimeTypeException ex) {
			return ".bin";
		}
	}

}
