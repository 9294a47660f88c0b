package io.esteira.contracts.event;

import java.util.List;
import java.util.UUID;

/**
 * Where an upload's thumbnails are and how they are linked: image-processing writes
 * {@code thumbnails/{uploadId}/{rendition}.{jpg|png}} to the output bucket, ingest serves the permalink
 * {@code /files/{uploadId}/{rendition}}, crm-sync puts that permalink on the CRM contact.
 */
public final class Thumbnails {

	/** The rendition whose permalink goes on the CRM contact. */
	public static final String CRM_RENDITION = "256";

	/**
	 * The extensions a rendition may have, most likely first: JPEG always, PNG for images with transparency when
	 * image-processing's {@code alpha-output} is {@code PNG}.
	 */
	public static final List<String> EXTENSIONS = List.of("jpg", "png");

	/** The permalink path as a Spring MVC pattern. */
	public static final String PERMALINK_PATTERN = "/files/{uploadId}/{rendition}";

	private Thumbnails() {
	}

	/** The folder of an upload's renditions in the output bucket. */
	public static String prefix(UUID uploadId) {
		return "thumbnails/" + uploadId + "/";
	}

	/** The key of one rendition in the output bucket. */
	public static String key(UUID uploadId, String rendition, String extension) {
		return prefix(uploadId) + rendition + "." + extension;
	}

	/** The permalink's path, to be put after ingest's public base URL. */
	public static String permalinkPath(UUID uploadId, String rendition) {
		return "/files/" + uploadId + "/" + rendition;
	}

}
