package io.esteira.ingest.upload;

import java.util.Set;
import java.util.TreeSet;

/** The content, judged by its bytes, is not a type accepted for the upload kind (answered 415). */
public class UnsupportedUploadTypeException extends RuntimeException {

	private final String detectedType;

	public UnsupportedUploadTypeException(UploadKind kind, String detectedType, Set<String> allowed) {
		super("The content is " + detectedType + ", which is not accepted for kind '" + kind.value()
				+ "'; accepted: " + String.join(", ", new TreeSet<>(allowed)) + ".");
		this.detectedType = detectedType;
	}

	public String detectedType() {
		return this.detectedType;
	}

}
