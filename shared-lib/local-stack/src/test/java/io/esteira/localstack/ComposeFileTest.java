package io.esteira.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker is not available where the suite runs, so this checks {@code docker-compose.yml} and
 * {@code services/Dockerfile} against what the services read: every environment variable a service's
 * {@code application.yml} asks for is set, images are pinned, every long-running container has a healthcheck, and
 * the init step creates the buckets and queues the services are configured with.
 */
class ComposeFileTest {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

	private static final List<String> SERVICES = List.of("ingest", "image-processing", "invoice", "crm-sync");

	private final Path root = LocalStack.root();

	private final Map<String, Map<String, Object>> compose = composeServices();

	@Test
	void everyVariableAServiceReadsIsSetForItsContainer() throws IOException {
		for (String service : SERVICES) {
			String config = Files.readString(applicationYml(service));
			Set<String> needed = new TreeSet<>();
			Matcher matcher = PLACEHOLDER.matcher(config);
			while (matcher.find()) {
				needed.add(matcher.group(1));
			}
			assertThat(needed).as("%s reads environment variables", service).isNotEmpty();
			Map<String, Object> environment = map(this.compose.get(service).get("environment"));
			assertThat(environment.keySet()).as("environment of %s in docker-compose.yml", service)
				.containsAll(needed);
		}
	}

	@Test
	void everyServiceIsBuiltFromTheOneDockerfileAndWaitsForHealthyDependencies() {
		for (String service : SERVICES) {
			Map<String, Object> definition = this.compose.get(service);
			assertThat(definition).as(service).isNotNull();
			Map<String, Object> build = map(definition.get("build"));
			assertThat(build.get("dockerfile")).isEqualTo("services/Dockerfile");
			assertThat(map(build.get("args")).get("SERVICE")).isEqualTo(service);
			Map<String, Object> dependsOn = map(definition.get("depends_on"));
			assertThat(dependsOn).containsKeys("postgres", "floci", "aws-init");
			dependsOn.values()
				.forEach((condition) -> assertThat(map(condition).get("condition")).as("%s depends_on", service)
					.isIn("service_healthy", "service_completed_successfully"));
		}
		assertThat(map(this.compose.get("crm-sync").get("depends_on"))).containsKey("wiremock");
	}

	@Test
	void imagesArePinnedAndLongRunningContainersHaveHealthchecks() {
		this.compose.forEach((name, definition) -> {
			String image = (String) definition.get("image");
			assertThat(image).as("image of %s", name).isNotNull().contains(":").doesNotEndWith(":latest");
			assertThat(image.substring(image.lastIndexOf(':') + 1)).as("tag of %s", name).containsPattern("[0-9]");
			if (!"no".equals(String.valueOf(definition.get("restart")))) {
				assertThat(definition).as("%s has a healthcheck", name).containsKey("healthcheck");
			}
		});
	}

	@Test
	void initStepCreatesWhatTheServicesAreConfiguredWith() throws IOException {
		String init = String.valueOf(this.compose.get("aws-init").get("command"));
		for (String service : SERVICES) {
			Map<String, Object> aws = map(map(new Yaml().<Map<String, Object>>load(Files.readString(applicationYml(service)))
				.get("esteira")).get("aws"));
			assertThat(init).contains((String) aws.get("uploads-bucket"), (String) aws.get("output-bucket"));
			map(aws.get("queues")).values().forEach((queue) -> assertThat(init).contains((String) queue));
		}
		assertThat(init).contains("RedrivePolicy", "-dlq", "put-bucket-notification-configuration", "images/",
				"invoices/");
	}

	@Test
	void dockerfileRunsALayeredJarAsNonRootOnAPinnedJre() throws IOException {
		String dockerfile = Files.readString(this.root.resolve("services/Dockerfile"));
		assertThat(dockerfile).contains("-Djarmode=tools", "extract --layers", "USER 10001");
		Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
		List<String> images = from.results().map((result) -> result.group(1)).toList();
		assertThat(images).hasSize(2).allSatisfy((image) -> assertThat(image).matches(".+:25[.0-9_]+-j(dk|re)-.+"));
		assertThat(images.getLast()).contains("-jre-");
	}

	private Path applicationYml(String service) {
		return this.root.resolve("services").resolve(service).resolve("src/main/resources/application.yml");
	}

	private Map<String, Map<String, Object>> composeServices() {
		try {
			Map<String, Object> file = new Yaml().load(Files.readString(this.root.resolve("docker-compose.yml")));
			return cast(file.get("services"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return cast(value);
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

}
