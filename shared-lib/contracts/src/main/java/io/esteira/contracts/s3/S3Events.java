package io.esteira.contracts.s3;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes and encodes S3 event notifications in the AWS format.
 * <p>
 * Decoding accepts the notification as S3 sends it to SQS, or wrapped in an SNS envelope ({@code "Type":
 * "Notification"} with the notification as the {@code Message} string). The {@code s3:TestEvent} that S3 sends when a
 * notification is configured yields no records. Keys are form-URL-decoded exactly once.
 */
public final class S3Events {

	/**
	 * The SQS message attribute (a number) on a notification that ingest sends again for a redrive
	 * ({@code POST /api/uploads/{id}/retry}): the pipeline run it starts (2 for the first redrive). S3's own
	 * notifications never carry it. A service whose step already ended for the object reports that outcome again for
	 * the new run and hands on to the next stage, instead of doing the work twice or ignoring it as a duplicate.
	 */
	public static final String REDRIVE_RUN_ATTRIBUTE = "EsteiraRedriveRun";

	/** More redrives of one upload than anyone would ask for: a larger run number is not one. */
	private static final int MAX_RUN = 1_000_000;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private S3Events() {
	}

	/**
	 * The run of a redrive's notification from its {@link #REDRIVE_RUN_ATTRIBUTE} (as a message header: a number or
	 * its text); 0 when the message has none (S3's own) or it is not a run number.
	 */
	public static int redriveRun(Object attribute) {
		if (attribute == null) {
			return 0;
		}
		try {
			int run = Integer.parseInt(attribute.toString().strip());
			return (run >= 2 && run <= MAX_RUN) ? run : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Decodes a queue message body.
	 * @return the object events it holds; empty for {@code s3:TestEvent}
	 * @throws MalformedEventException when the body is not an S3 event notification
	 */
	public static List<S3ObjectEvent> decode(String body) {
		JsonNode root = parse(body);
		if ("Notification".equals(root.path("Type").asString(null)) && root.path("Message").isString()) {
			root = parse(root.path("Message").asString());
		}
		if ("s3:TestEvent".equals(root.path("Event").asString(null))) {
			return List.of();
		}
		JsonNode records = root.path("Records");
		if (!records.isArray()) {
			throw new MalformedEventException("Not an S3 event notification: no Records array");
		}
		List<S3ObjectEvent> events = new ArrayList<>(records.size());
		for (JsonNode record : records) {
			events.add(toEvent(record));
		}
		return events;
	}

	/** Encodes one object event the way S3 delivers it to a queue (key form-URL-encoded, {@code /} kept). */
	public static String encode(S3ObjectEvent event, String region) {
		ObjectNode root = MAPPER.createObjectNode();
		ArrayNode records = root.putArray("Records");
		ObjectNode record = records.addObject();
		record.put("eventVersion", "2.1");
		record.put("eventSource", "aws:s3");
		record.put("awsRegion", region);
		record.put("eventTime", event.eventTime().toString());
		record.put("eventName", event.eventName());
		ObjectNode s3 = record.putObject("s3");
		s3.put("s3SchemaVersion", "1.0");
		s3.put("configurationId", "esteira");
		s3.putObject("bucket").put("name", event.bucket()).put("arn", "arn:aws:s3:::" + event.bucket());
		ObjectNode object = s3.putObject("object");
		object.put("key", encodeKey(event.key()));
		if (event.isObjectCreated()) {
			object.put("size", event.size());
			if (event.eTag() != null) {
				object.put("eTag", event.eTag());
			}
		}
		if (event.versionId() != null) {
			object.put("versionId", event.versionId());
		}
		if (event.sequencer() != null) {
			object.put("sequencer", event.sequencer());
		}
		return MAPPER.writeValueAsString(root);
	}

	/** Form-URL-encodes a key as S3 does in event notifications: spaces become {@code +}, {@code /} stays. */
	public static String encodeKey(String key) {
		return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
	}

	private static S3ObjectEvent toEvent(JsonNode record) {
		JsonNode s3 = record.path("s3");
		String bucket = s3.path("bucket").path("name").asString(null);
		String rawKey = s3.path("object").path("key").asString(null);
		String eventName = record.path("eventName").asString(null);
		if (bucket == null || rawKey == null || eventName == null) {
			throw new MalformedEventException("S3 event record without eventName, bucket or key");
		}
		String key;
		try {
			key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedEventException("S3 event key is not form-URL-encoded: " + rawKey, ex);
		}
		JsonNode object = s3.path("object");
		return new S3ObjectEvent(eventName, eventTime(record.path("eventTime").asString(null)), bucket, key,
				object.path("size").asLong(0), unquoteETag(object.path("eTag").asString(null)),
				object.path("versionId").asString(null), object.path("sequencer").asString(null));
	}

	private static Instant eventTime(String value) {
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new MalformedEventException("S3 event time is not ISO-8601: " + value, ex);
		}
	}

	/** An ETag without the double quotes S3 puts around it in HTTP headers ({@code "abc"} becomes {@code abc}). */
	public static String unquoteETag(String eTag) {
		return (eTag != null && eTag.length() > 1 && eTag.startsWith("\"") && eTag.endsWith("\""))
				? eTag.substring(1, eTag.length() - 1) : eTag;
	}

	private static JsonNode parse(String body) {
		if (body == null || body.isBlank()) {
			throw new MalformedEventException("Empty message");
		}
		try {
			JsonNode node = MAPPER.readTree(body);
			if (!node.isObject()) {
				throw new MalformedEventException("Message is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new MalformedEventException("Message is not JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
