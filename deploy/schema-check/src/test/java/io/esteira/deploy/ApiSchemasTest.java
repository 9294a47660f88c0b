package io.esteira.deploy;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator itself, on hand-written objects (no kubectl needed): valid objects pass, and a misspelt field, a value
 * of the wrong type, a missing required field or an unknown kind each fail, for a built-in kind and for a CRD kind.
 */
class ApiSchemasTest {

	private final ApiSchemas schemas = new ApiSchemas();

	@Test
	void aValidDeploymentPasses() throws IOException {
		assertThat(this.schemas.problems(aDeployment("replicas: 2", "imagePullPolicy: IfNotPresent"))).isEmpty();
	}

	@Test
	void aMisspeltDeploymentFieldIsRejected() throws IOException {
		assertThat(this.schemas.problems(aDeployment("replicas: 2", "imagePullPolicyy: IfNotPresent")))
			.singleElement()
			.asString()
			.contains(".spec.template.spec.containers[0]", "imagePullPolicyy", "V1Container");
	}

	@Test
	void aMisspeltFieldHighUpIsRejectedToo() throws IOException {
		assertThat(this.schemas.problems(aDeployment("replica: 2", "imagePullPolicy: IfNotPresent")))
			.singleElement()
			.asString()
			.contains(".spec:", "replica", "V1DeploymentSpec");
	}

	@Test
	void aValueOfTheWrongTypeIsRejected() throws IOException {
		assertThat(this.schemas.problems(aDeployment("replicas: two", "imagePullPolicy: IfNotPresent"))).singleElement()
			.asString()
			.startsWith(".spec.replicas:");
		assertThat(this.schemas.problems(aDeployment("replicas: 2", "ports: http"))).singleElement()
			.asString()
			.startsWith(".spec.template.spec.containers[0].ports:");
		assertThat(this.schemas.problems(aDeployment("replicas: 2", "resources: {limits: {memory: lots}}")))
			.singleElement()
			.asString()
			.startsWith(".spec.template.spec.containers[0].resources.limits:");
	}

	@Test
	void aMissingRequiredFieldIsRejected() throws IOException {
		JsonNode deployment = Kustomize.parse("""
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: web}
				spec:
				  selector: {matchLabels: {app: web}}
				  template:
				    metadata: {labels: {app: web}}
				    spec:
				      containers:
				        - image: nginx:1.27
				""").getFirst();
		assertThat(this.schemas.problems(deployment)).singleElement()
			.asString()
			.contains(".spec.template.spec.containers[0]", "required field `name`");
	}

	@Test
	void aValidScaledObjectPasses() throws IOException {
		assertThat(this.schemas.problems(aScaledObject("minReplicaCount: 1", "queueLength: \"4\""))).isEmpty();
	}

	@Test
	void aMisspeltScaledObjectFieldIsRejected() throws IOException {
		assertThat(this.schemas.problems(aScaledObject("minReplicas: 1", "queueLength: \"4\""))).singleElement()
			.asString()
			.contains("minReplicas");
	}

	@Test
	void aScaledObjectValueOfTheWrongTypeIsRejected() throws IOException {
		// KEDA's trigger metadata is a map of strings: an unquoted 4 is refused by the API server.
		assertThat(this.schemas.problems(aScaledObject("minReplicaCount: 1", "queueLength: 4"))).singleElement()
			.asString()
			.contains("queueLength");
		assertThat(this.schemas.problems(aScaledObject("minReplicaCount: one", "queueLength: \"4\""))).isNotEmpty();
	}

	@Test
	void aScaledObjectWithoutItsTargetIsRejected() throws IOException {
		JsonNode scaled = Kustomize.parse("""
				apiVersion: keda.sh/v1alpha1
				kind: ScaledObject
				metadata: {name: worker}
				spec:
				  triggers: [{type: cpu, metricType: Utilization, metadata: {value: "70"}}]
				""").getFirst();
		assertThat(this.schemas.problems(scaled)).singleElement().asString().contains("scaleTargetRef");
	}

	@Test
	void anAlertRuleWithoutExpressionIsRejected() throws IOException {
		JsonNode rule = Kustomize.parse("""
				apiVersion: monitoring.coreos.com/v1
				kind: PrometheusRule
				metadata: {name: esteira}
				spec:
				  groups:
				    - name: esteira
				      rules: [{alert: Broken, for: 5m}]
				""").getFirst();
		assertThat(this.schemas.problems(rule)).isNotEmpty().anySatisfy(p -> assertThat(p).contains("expr"));
	}

	@Test
	void aKindWithoutSchemaIsReportedNotPassed() throws IOException {
		JsonNode unknown = Kustomize.parse("""
				apiVersion: example.com/v1
				kind: Widget
				metadata: {name: w}
				""").getFirst();
		assertThat(this.schemas.problems(unknown)).singleElement().asString().contains("no schema for");
	}

	@Test
	void everyCrdKindHasItsSchemaFile() {
		for (String kind : ApiSchemas.CRDS) {
			String[] parts = kind.split("/");
			String file = "crd-schemas/" + parts[0] + "_" + parts[1] + "_" + parts[2] + ".json";
			assertThat(getClass().getClassLoader().getResource(file)).as(file).isNotNull();
		}
	}

	private static JsonNode aDeployment(String specLine, String containerLine) throws IOException {
		return Kustomize.parse("""
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: web, labels: {app: web}}
				spec:
				  %s
				  selector: {matchLabels: {app: web}}
				  template:
				    metadata: {labels: {app: web}}
				    spec:
				      containers:
				        - name: web
				          image: nginx:1.27
				          %s
				""".formatted(specLine, containerLine)).getFirst();
	}

	private static JsonNode aScaledObject(String specLine, String metadataLine) throws IOException {
		return Kustomize.parse("""
				apiVersion: keda.sh/v1alpha1
				kind: ScaledObject
				metadata: {name: worker}
				spec:
				  scaleTargetRef: {name: worker}
				  %s
				  triggers:
				    - type: aws-sqs-queue
				      metadata:
				        queueURL: https://sqs.us-east-1.amazonaws.com/111122223333/esteira-images
				        %s
				""".formatted(specLine, metadataLine)).getFirst();
	}

}
