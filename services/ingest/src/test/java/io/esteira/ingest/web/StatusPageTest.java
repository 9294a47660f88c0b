package io.esteira.ingest.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.esteira.ingest.IngestApi;
import io.esteira.ingest.stuck.StuckUploads;
import io.esteira.ingest.IngestIntegrationTest;
import io.esteira.ingest.TestFiles;
import io.esteira.ingest.TestTokens;
import io.esteira.contracts.event.StepOutcome;
import io.esteira.contracts.event.UploadStatus;
import io.esteira.contracts.event.UploadStatusEvent;
import io.esteira.testkit.EsteiraInfrastructure;
import io.esteira.testkit.TestQueues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page in a real headless Chromium (Debian package {@code chromium}): the DOM after its scripts ran, and a
 * screenshot in {@code target/surefire-reports/status-page.png} (named as an attachment in the test output).
 */
@IngestIntegrationTest
class StatusPageTest {

	private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private StuckUploads stuckUploads;

	private IngestApi api;

	@BeforeEach
	void cleanSlate() {
		this.api = new IngestApi(this.port);
		this.jdbc.sql("truncate uploads cascade").update();
	}

	@Test
	void statusPageListsUploadsWithStatusAndTimelineInHeadlessChromium() throws Exception {
		// Skipped, with this reason, on a machine without Chromium (Debian package chromium); .ci/run installs it.
		assumeThat(Files.isExecutable(CHROMIUM)).as("Debian package chromium installed").isTrue();
		UUID image = anUpload("image", TestFiles.aPng(), Map.of("customerEmail", "ana@example.com"));
		UUID invoice = anUpload("invoice", TestFiles.anInvoiceJson(), Map.of("externalRef", "nf-export-7"));
		IngestApi.Response another = this.api.upload(IngestApi.BETA_KEY, "image", "file", TestFiles.aPng(),
				Map.of("customerEmail", "bia@example.com"));
		assertThat(another.status()).isEqualTo(202);
		UUID theirs = UUID.fromString(another.body().path("id").asString());
		new TestQueues(EsteiraInfrastructure.shared()).send("esteira-status",
				JsonMapper.builder().build().writeValueAsString(new UploadStatusEvent(UUID.randomUUID(), invoice,
						"invoice", "invoice-import", StepOutcome.SUCCEEDED, UploadStatus.COMPLETED_WITH_ERRORS,
						"2 of 3 invoices imported", 1, Instant.now())));
		await().until(() -> this.api.get(IngestApi.READER_KEY, "/api/uploads/" + invoice)
			.body()
			.path("status")
			.asString()
			.equals("COMPLETED_WITH_ERRORS"));
		// The image made no progress for two hours: the stuck check marks it with where it stopped.
		this.jdbc.sql("update uploads set updated_at = now() - interval '2 hours' where id = :id").param("id", image)
			.update();
		assertThat(this.stuckUploads.check().marked()).containsExactly(image);
		String url = "http://localhost:" + this.port + "/status#key=" + IngestApi.READER_KEY;

		String dom = chromium("--dump-dom", url);

		assertThat(dom).contains("data-upload-id=\"" + image + "\"", "data-upload-id=\"" + invoice + "\"");
		assertThat(dom).contains("COMPLETED_WITH_ERRORS", "2 of 3 invoices imported", "ana@example.com",
				"ingest/received #1 SUCCEEDED");
		assertThat(dom).containsPattern("stuck since [^<]+: no progress for 30 min at image-processing; "
				+ "last step ingest/received SUCCEEDED at ");
		assertThat(dom).contains("<p id=\"error\" role=\"alert\"></p>");
		assertThat(dom).as("the caller's tenant, from /api/me").contains("reader · tenant default");
		assertThat(dom).as("another tenant's upload").doesNotContain(theirs.toString(), "bia@example.com");

		// Tenant beta's bearer token (a JWT pasted in the field): beta's upload only.
		String betaToken = TestTokens.token("beta-operator", "beta", null, "uploads:read");
		String asBeta = chromium("--dump-dom", "http://localhost:" + this.port + "/status#key=" + betaToken);
		assertThat(asBeta).contains("data-upload-id=\"" + theirs + "\"", "beta-operator · tenant beta")
			.doesNotContain(image.toString(), invoice.toString());

		Path screenshot = Paths.get("target", "surefire-reports", "status-page.png").toAbsolutePath();
		Files.createDirectories(screenshot.getParent());
		Files.deleteIfExists(screenshot);
		chromium("--screenshot=" + screenshot, "--window-size=1280,720", url);
		assertThat(screenshot).isNotEmptyFile();
		System.out.println("[[ATTACHMENT|" + screenshot + "]]");
	}

	@Test
	void statusPageWithoutAKeyShowsWhyNothingLoads() throws Exception {
		// Skipped, with this reason, on a machine without Chromium (Debian package chromium); .ci/run installs it.
		assumeThat(Files.isExecutable(CHROMIUM)).as("Debian package chromium installed").isTrue();

		String dom = chromium("--dump-dom", "http://localhost:" + this.port + "/status/index.html");

		assertThat(dom).contains("<p id=\"error\" role=\"alert\">Could not load uploads: ");
		assertThat(dom).doesNotContain("data-upload-id");
	}

	private UUID anUpload(String kind, byte[] content, Map<String, String> fields) {
		IngestApi.Response accepted = this.api.upload(IngestApi.WRITER_KEY, kind, "file", content, fields);
		assertThat(accepted.status()).isEqualTo(202);
		return UUID.fromString(accepted.body().path("id").asString());
	}

	/** Runs headless Chromium once; the page gets 5 s of virtual time for its requests and rendering. */
	private static String chromium(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
				"--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=5000"));
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile("chromium", ".out");
		Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Chromium did not finish in 60 s");
		}
		String out = Files.readString(output, StandardCharsets.UTF_8);
		Files.delete(output);
		return out;
	}

}
