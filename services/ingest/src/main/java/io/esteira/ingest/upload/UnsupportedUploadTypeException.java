package io.esteira.ingest.upload;

import java.util.Set;
import java.util.TreeSet;

import io.esteira.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/** The content, judged by its bytes, is not a type accepted for the upload kind (answered 415). */
public class UnsupportedUploadTypeException extends ProblemException {

	private final String detectedType;

	public UnsupportedUploadTypeException(UploadKind kind, String detectedType, Set<String> allowed) {
		super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
				"The content is " + detectedType + ", which is not accepted for kind '" + kind.value()
						+ "'; accepted: " + String.join(", ", new TreeSet<>(allowed)) + ".");
		this.detectedType = detectedType;
		setProperty("detectedType", detectedType);
	}

	public String detectedType() {
		return this.detectedType;
	}

}
