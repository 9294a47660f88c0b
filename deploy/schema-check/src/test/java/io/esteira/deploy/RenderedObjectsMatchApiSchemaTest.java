package io.esteira.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders every kustomization under {@code k8s/} (base, each overlay, kind's dependencies) and validates each object
 * against the API schema of its kind ({@link ApiSchemas}). Skipped, with the reason, where kubectl with kustomize v5
 * is missing: CI runs {@code deploy/check.sh} first, which fails without it.
 */
class RenderedObjectsMatchApiSchemaTest {

	private static final Path ROOT = Kustomize.repositoryRoot();

	private final ApiSchemas schemas = new ApiSchemas();

	private static final Optional<String> KUBECTL_MISSING = Kustomize.unavailable();

	@BeforeEach
	void needsKubectl() {
		Optional<String> reason = KUBECTL_MISSING;
		Assumptions.assumeTrue(reason.isEmpty(), () -> "Skipped: " + reason.orElseThrow());
	}

	static List<String> kustomizations() throws IOException {
		return Kustomize.kustomizations(ROOT).stream().map(dir -> ROOT.relativize(dir).toString()).toList();
	}

	@Test
	void everyOverlayIsFound() throws IOException {
		assertThat(kustomizations()).contains("k8s/base", "k8s/overlays/eks", "k8s/overlays/kind",
				"k8s/overlays/kind/dependencies");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("kustomizations")
	void everyRenderedObjectIsValidForItsKind(String dir) throws Exception {
		List<JsonNode> objects = Kustomize.render(ROOT.resolve(dir));
		List<String> problems = new ArrayList<>();
		for (JsonNode object : objects) {
			String where = ApiSchemas.type(object) + " " + object.path("metadata").path("name").asString("?");
			this.schemas.problems(object).forEach(problem -> problems.add(where + ": " + problem));
		}
		assertThat(objects).as("objects rendered from %s", dir).isNotEmpty();
		assertThat(problems).as("schema problems in %s (%d objects)", dir, objects.size()).isEmpty();
	}

}
