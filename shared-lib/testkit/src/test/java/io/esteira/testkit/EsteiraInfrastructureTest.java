package io.esteira.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import io.esteira.contracts.s3.S3Events;
import io.esteira.contracts.s3.S3ObjectEvent;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EsteiraInfrastructureTest {

	private final EsteiraInfrastructure infra = EsteiraInfrastructure.shared();

	@Test
	void postgresAnswers() throws Exception {
		TestPostgres.Database db = this.infra.database();
		try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
				ResultSet rs = connection.createStatement().executeQuery("select current_database()")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getString(1)).isNotBlank();
		}
	}

	@Test
	void bucketWritesBecomeUrlEncodedS3EventsOnThePrefixQueue() {
		String key = "images/my photo ä+1.jpg";
		S3EventBridge bridge = this.infra.startEventBridge(Duration.ofMillis(200));
		this.infra.s3Client()
			.putObject((request) -> request.bucket("esteira-uploads").key(key), RequestBody.fromString("hello"));
		String queue = this.infra.queueUrl("esteira-images");
		List<Message> messages = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.infra.sqsClient()
				.receiveMessage((request) -> request.queueUrl(queue).waitTimeSeconds(1))
				.messages(), (received) -> !received.isEmpty());
		assertThat(messages.getFirst().body()).contains("images/my+photo+%C3%A4%2B1.jpg");
		S3ObjectEvent event = S3Events.decode(messages.getFirst().body()).getFirst();
		assertThat(event.key()).isEqualTo(key);
		assertThat(event.size()).isEqualTo(5);
		assertThat(event.isObjectCreated()).isTrue();
		bridge.poll();
	}

}
