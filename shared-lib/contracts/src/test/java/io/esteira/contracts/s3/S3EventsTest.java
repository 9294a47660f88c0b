package io.esteira.contracts.s3;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class S3EventsTest {

	@Test
	void keysWithSpacesPlusAndNonAsciiAreDecodedOnce() {
		String body = anS3Event("images/2026/my+photo+%C3%A4%2B1.jpg");
		S3ObjectEvent event = S3Events.decode(body).getFirst();
		assertThat(event.key()).isEqualTo("images/2026/my photo ä+1.jpg");
		assertThat(event.bucket()).isEqualTo("esteira-uploads");
		assertThat(event.eTag()).isEqualTo("0123abc");
		assertThat(event.size()).isEqualTo(1024);
		assertThat(event.sequencer()).isEqualTo("0055AED6DCD90281E5");
		assertThat(event.eventTime()).isEqualTo(Instant.parse("2026-11-22T10:00:00.000Z"));
		assertThat(event.isObjectCreated()).isTrue();
	}

	@Test
	void aDecodedPercentSequenceIsNotDecodedTwice() {
		// "%2541" is the encoding of the literal "%41": decoding twice would give "A".
		assertThat(S3Events.decode(anS3Event("invoices/100%2541.json")).getFirst().key())
			.isEqualTo("invoices/100%41.json");
	}

	@Test
	void testEventYieldsNoRecords() {
		String body = """
				{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-22T10:00:00.000Z",
				 "Bucket":"esteira-uploads","RequestId":"X","HostId":"Y"}""";
		assertThat(S3Events.decode(body)).isEmpty();
	}

	@Test
	void snsEnvelopeIsUnwrapped() {
		String inner = anS3Event("images/a+b.png").replace("\n", "").replace("\"", "\\\"");
		String body = "{\"Type\":\"Notification\",\"MessageId\":\"1\",\"TopicArn\":\"arn:aws:sns:us-east-1:1:t\","
				+ "\"Message\":\"" + inner + "\"}";
		assertThat(S3Events.decode(body)).extracting(S3ObjectEvent::key).containsExactly("images/a b.png");
	}

	@Test
	void encodeThenDecodeRoundTripsAnyKey() {
		S3ObjectEvent event = new S3ObjectEvent("ObjectCreated:Put", Instant.parse("2026-11-22T10:00:00Z"),
				"esteira-uploads", "images/ação & co/foto 1+2=3?.jpg", 42, "etag", null, "00A1");
		String body = S3Events.encode(event, "us-east-1");
		assertThat(body).contains("images/a%C3%A7%C3%A3o+%26+co/foto+1%2B2%3D3%3F.jpg");
		assertThat(S3Events.decode(body)).containsExactly(event);
	}

	@Test
	void garbageIsMalformed() {
		for (String body : List.of("not json", "", "[]", "{\"hello\":1}",
				"{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]}")) {
			assertThatExceptionOfType(MalformedEventException.class).isThrownBy(() -> S3Events.decode(body));
		}
	}

	@Test
	void sequencersCompareAfterLeftPadding() {
		assertThat(S3ObjectEvent.compareSequencers("0A", "9")).isPositive();
		assertThat(S3ObjectEvent.compareSequencers("00FF", "FF")).isZero();
		assertThat(S3ObjectEvent.compareSequencers(null, "01")).isNegative();
	}

	@Test
	void aRedriveRunIsANumberFromTwoOnAndAnythingElseIsNone() {
		assertThat(S3Events.redriveRun("2")).isEqualTo(2);
		assertThat(S3Events.redriveRun(7L)).isEqualTo(7);
		assertThat(S3Events.redriveRun(" 3 ")).isEqualTo(3);
		for (Object notARun : new Object[] { null, "", "1", "0", "-2", "two", "2.5", "99999999999" }) {
			assertThat(S3Events.redriveRun(notARun)).as("%s", notARun).isZero();
		}
	}

	static String anS3Event(String encodedKey) {
		return """
				{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
				"eventTime":"2026-11-22T10:00:00.000Z","eventName":"ObjectCreated:Put",
				"s3":{"s3SchemaVersion":"1.0","configurationId":"images",
				"bucket":{"name":"esteira-uploads","arn":"arn:aws:s3:::esteira-uploads"},
				"object":{"key":"%s","size":1024,"eTag":"0123abc","sequencer":"0055AED6DCD90281E5"}}}]}"""
			.formatted(encodedKey);
	}

}
