package io.esteira.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders kustomizations with {@code kubectl kustomize} (kubectl 1.27 or later, which embeds kustomize v5) and finds
 * them under {@code k8s/}.
 */
final class Kustomize {

	private static final ObjectMapper YAML = YAMLMapper.builder().build();

	private Kustomize() {
	}

	/** The repository root: the nearest directory upwards holding {@code k8s/base/kustomization.yaml}. */
	static Path repositoryRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isRegularFile(dir.resolve("k8s/base/kustomization.yaml"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("no k8s/base/kustomization.yaml above " + Path.of("").toAbsolutePath());
		}
		return dir;
	}

	/** Every directory under {@code k8s/} whose kustomization renders on its own (components are left out). */
	static List<Path> kustomizations(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root.resolve("k8s"))) {
			List<Path> found = new ArrayList<>();
			for (Path file : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
				if (!Files.readString(file).contains("kind: Component")) {
					found.add(file.getParent());
				}
			}
			return found.stream().sorted().toList();
		}
	}

	/** Why kubectl cannot render here, or empty when it can. */
	static Optional<String> unavailable() {
		try {
			Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				return Optional.of("kubectl version --client failed: " + out.strip());
			}
			if (!out.matches("(?s).*Kustomize Version: v[5-9].*")) {
				return Optional.of("kubectl without kustomize v5 (kubectl 1.27+ needed): " + out.strip());
			}
			return Optional.empty();
		}
		catch (IOException ex) {
			return Optional.of("kubectl is not installed (" + ex.getMessage() + "); deploy/check.sh, which CI runs, "
					+ "needs it and says how to get it");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.of("interrupted while asking kubectl for its version");
		}
	}

	/** The objects {@code kubectl kustomize dir} prints, in order. */
	static List<JsonNode> render(Path dir) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
		byte[] out = process.getInputStream().readAllBytes();
		String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err.strip());
		}
		return parse(new String(out, StandardCharsets.UTF_8));
	}

	/** Every non-empty document of a multi-document YAML stream. */
	static List<JsonNode> parse(String yaml) throws IOException {
		ObjectReader reader = YAML.readerFor(JsonNode.class);
		List<JsonNode> objects = new ArrayList<>();
		try (var documents = reader.<JsonNode>readValues(yaml)) {
			while (documents.hasNextValue()) {
				JsonNode document = documents.nextValue();
				if (document != null && !document.isNull() && !document.isMissingNode()) {
					objects.add(document);
				}
			}
		}
		return objects;
	}

}
