package io.esteira.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker is not available where the suite runs, so this checks {@code docker-compose.yml} and
 * {@code services/Dockerfile} against what the services read: every environment variable a service's
 * {@code application.yml} asks for is set, images are pinned, every long-running container has a healthcheck, the
 * init step creates the buckets and queues the services are configured with, the image build has every module of the
 * reactor in its context, and what the user's machine is given (presigned URLs, ports, keys) works from the host.
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
			assertThat(dependsOn).containsKeys("postgres", "floci");
			dependsOn.values()
				.forEach((condition) -> assertThat(map(condition).get("condition")).as("%s depends_on", service)
					.isEqualTo("service_healthy"));
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
		String init = initScript();
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

	@Test
	void dockerfileCopiesEveryModuleOfTheReactor() throws Exception {
		List<String> copied = dockerfileCopySources();
		List<String> ignored = dockerignorePatterns();
		List<Path> modules = reactorModules(this.root);
		assertThat(modules).as("modules of the root pom").hasSizeGreaterThanOrEqualTo(8);
		for (Path module : modules) {
			String pom = this.root.relativize(module.resolve("pom.xml")).toString();
			assertThat(copied).as("COPY in services/Dockerfile for %s", pom)
				.anySatisfy((source) -> assertThat(pom.equals(source) || pom.startsWith(source + "/")).isTrue());
			assertThat(isIgnored(pom, ignored)).as("%s left out of the build context by .dockerignore", pom).isFalse();
		}
		for (String source : copied) {
			assertThat(this.root.resolve(source)).as("COPY source %s", source).exists();
		}
		assertThat(isIgnored(".git/HEAD", ignored)).as(".git in the build context").isTrue();
		assertThat(isIgnored("services/ingest/target/classes/x.class", ignored)).as("target/ in the build context")
			.isTrue();
	}

	@Test
	void presignedUrlsNameAnEndpointTheHostReaches() {
		Map<String, Object> environment = map(this.compose.get("ingest").get("environment"));
		URI inNetwork = URI.create(String.valueOf(environment.get("AWS_ENDPOINT_URL")));
		URI fromHost = URI.create(String.valueOf(environment.get("S3_PUBLIC_ENDPOINT")));
		assertThat(inNetwork.getHost()).isEqualTo("floci");
		assertThat(fromHost.getScheme()).isEqualTo("http");
		assertThat(fromHost.getHost()).isIn("localhost", "127.0.0.1");
		assertThat(publishedPorts("floci")).as("host ports published by floci")
			.contains(fromHost.getPort() + ":" + inNetwork.getPort());
	}

	@Test
	void hostPortsDoNotClashWithADevelopersOwnPostgres() {
		this.compose.keySet()
			.forEach((name) -> assertThat(publishedPorts(name)).as("host ports of %s", name)
				.noneSatisfy((mapping) -> assertThat(mapping).startsWith("5432:")));
		assertThat(this.compose.get("postgres").get("ports")).as("postgres published on loopback only")
			.asString()
			.doesNotContain("0.0.0.0")
			.satisfiesAnyOf((ports) -> assertThat(ports).isEqualTo("null"),
					(ports) -> assertThat(ports).contains("127.0.0.1:"));
	}

	@Test
	void theDemoHasAnAdminKeyForTheAdminEndpoints() {
		Map<String, Object> environment = map(this.compose.get("ingest").get("environment"));
		assertThat(environment.entrySet()).anySatisfy((entry) -> {
			assertThat(entry.getKey()).matches("ESTEIRA_SECURITY_APIKEYS_[0-9]+_SCOPES");
			assertThat(String.valueOf(entry.getValue()).split(",")).contains("admin");
		});
	}

	@Test
	void initFailuresFailTheInitStep() {
		String init = initScript();
		assertThat(init).as("errors hidden by the init script").doesNotContain("|| true").doesNotContain("2>&1");
		assertThat(init).as("the init shell stops at the first error").startsWith("#!/bin/sh").contains("set -eu");
	}

	@Test
	void flociRunsTheInitOnEveryStartAndIsHealthyOnlyAfterIt() {
		Map<String, Object> floci = this.compose.get("floci");
		// Floci keeps its state in memory: an init that ran once would leave a restarted Floci empty.
		assertThat((List<?>) floci.get("configs")).singleElement()
			.satisfies((config) -> assertThat(map(config)).containsEntry("source", "floci-init")
				.hasEntrySatisfying("target",
						(target) -> assertThat((String) target).matches("/etc/floci/init/ready\\.d/[^/]+\\.sh")));
		assertThat(floci.get("restart")).isEqualTo("unless-stopped");
		assertThat(String.valueOf(map(floci.get("healthcheck")).get("test"))).contains("/_floci/init", "ready");
		assertThat(this.compose).doesNotContainKey("aws-init");
		// Presigned uploads bind type, size and metadata only where Floci checks SigV4 signatures.
		assertThat(map(floci.get("environment"))).containsEntry("FLOCI_SERVICES_S3_ENFORCE_AUTH", "true");
	}

	private List<String> publishedPorts(String service) {
		Object ports = this.compose.get(service).get("ports");
		if (ports == null) {
			return List.of();
		}
		// "127.0.0.1:15432:5432" publishes host port 15432 on loopback: keep "host:container".
		return ((List<?>) ports).stream().map(String::valueOf).map((port) -> {
			String[] parts = port.split(":");
			return parts[parts.length - 2] + ":" + parts[parts.length - 1];
		}).toList();
	}

	private List<String> dockerfileCopySources() throws IOException {
		List<String> sources = new ArrayList<>();
		for (String line : Files.readAllLines(this.root.resolve("services/Dockerfile"))) {
			if (line.startsWith("COPY ") && !line.contains("--from=")) {
				String[] words = line.substring(5).trim().split("\\s+");
				for (int i = 0; i < words.length - 1; i++) {
					sources.add(words[i].replaceAll("/+$", ""));
				}
			}
		}
		return sources;
	}

	private List<String> dockerignorePatterns() throws IOException {
		return Files.readAllLines(this.root.resolve(".dockerignore"))
			.stream()
			.map(String::trim)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
	}

	/** Docker's rule: the last pattern that matches the path or one of its parent folders decides; {@code !} keeps. */
	private static boolean isIgnored(String path, List<String> patterns) {
		boolean ignored = false;
		for (String pattern : patterns) {
			boolean keep = pattern.startsWith("!");
			var matcher = FileSystems.getDefault().getPathMatcher("glob:" + (keep ? pattern.substring(1) : pattern));
			for (Path prefix = Path.of(path); prefix != null; prefix = prefix.getParent()) {
				if (matcher.matches(prefix) || (pattern.startsWith("**/") && matcher.matches(Path.of("x").resolve(prefix)))) {
					ignored = !keep;
					break;
				}
			}
		}
		return ignored;
	}

	/** Every module folder of the reactor, aggregators' modules included. */
	private static List<Path> reactorModules(Path dir) throws Exception {
		List<Path> modules = new ArrayList<>();
		var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("pom.xml").toFile());
		NodeList names = document.getElementsByTagName("module");
		for (int i = 0; i < names.getLength(); i++) {
			Path module = dir.resolve(((Element) names.item(i)).getTextContent().trim()).normalize();
			modules.add(module);
			modules.addAll(reactorModules(module));
		}
		return modules;
	}

	private String initScript() {
		try {
			Map<String, Object> file = new Yaml().load(Files.readString(this.root.resolve("docker-compose.yml")));
			return (String) map(map(file.get("configs")).get("floci-init")).get("content");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
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
