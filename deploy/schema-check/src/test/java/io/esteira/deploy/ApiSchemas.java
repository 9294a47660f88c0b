package io.esteira.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.annotations.SerializedName;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates one Kubernetes object against the API schema of its kind.
 * <p>
 * Built-in kinds go through the official Kubernetes Java client's generated models ({@code io.kubernetes:client-java-api}
 * 27, Kubernetes 1.35): reading an object runs the model's {@code validateJsonElement} at every level, which rejects a
 * field the OpenAPI schema does not define and a missing required field, and then binds every value to its Java type,
 * so a string where a number, list or object belongs fails too. CRD kinds are checked against the JSON schemas in
 * {@code crd-schemas/} (written from each CRD's published schema, every object closed) with networknt's validator.
 * A kind in neither table is itself a problem: nothing renders unchecked.
 */
final class ApiSchemas {

	private static final Map<String, Class<?>> BUILT_IN = Map.ofEntries(
			Map.entry("v1/ConfigMap", V1ConfigMap.class), Map.entry("v1/Namespace", V1Namespace.class),
			Map.entry("v1/Secret", V1Secret.class), Map.entry("v1/Service", V1Service.class),
			Map.entry("v1/ServiceAccount", V1ServiceAccount.class), Map.entry("apps/v1/Deployment", V1Deployment.class),
			Map.entry("apps/v1/StatefulSet", V1StatefulSet.class), Map.entry("batch/v1/Job", V1Job.class),
			Map.entry("batch/v1/CronJob", V1CronJob.class),
			Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
			Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
			Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
			Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class));

	/** CRD kinds, each with {@code crd-schemas/<group>_<version>_<kind>.json}. */
	static final Set<String> CRDS = Set.of("keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication",
			"external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/SecretStore",
			"monitoring.coreos.com/v1/PrometheusRule", "monitoring.coreos.com/v1/ServiceMonitor");

	private static final JsonMapper JSON_MAPPER = JsonMapper.builder().build();

	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Map<String, Schema> crdSchemas = new java.util.HashMap<>();

	/** {@code apiVersion/kind}, as the tables above key it. */
	static String type(JsonNode object) {
		return object.path("apiVersion").asString("") + "/" + object.path("kind").asString("");
	}

	static Set<String> kinds() {
		Set<String> all = new TreeSet<>(BUILT_IN.keySet());
		all.addAll(CRDS);
		return all;
	}

	/** What is wrong with the object against its kind's schema; empty when it is valid. */
	List<String> problems(JsonNode object) {
		String type = type(object);
		Class<?> model = BUILT_IN.get(type);
		if (model != null) {
			return builtIn(object, model);
		}
		if (CRDS.contains(type)) {
			return crdSchema(type).validate(object).stream().map(Object::toString).toList();
		}
		return List.of("no schema for " + type + ": add its model or CRD schema to " + ApiSchemas.class.getName());
	}

	private static List<String> builtIn(JsonNode object, Class<?> model) {
		JsonElement json = JsonParser.parseString(JSON_MAPPER.writeValueAsString(object));
		RuntimeException failure = failure(json, model);
		if (failure == null) {
			return List.of();
		}
		// The models' messages name the field and model but not where it sits, and end with the whole JSON.
		String message = String.valueOf(failure.getMessage());
		int cut = message.indexOf(" JSON: ");
		cut = cut > 0 ? cut : message.indexOf(" in the JSON string: ");
		message = (cut > 0) ? message.substring(0, cut) : message;
		return List.of(locate(json, model, "") + ": " + failure.getClass().getSimpleName() + ": "
				+ message.substring(0, Math.min(message.length(), 300)));
	}

	/** Reading the JSON as the type: null when it binds, else what went wrong. */
	private static RuntimeException failure(JsonElement json, Type type) {
		try {
			JSON.getGson().fromJson(json, type);
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	/** The deepest field path below which reading still fails: where a problem sits inside the object. */
	private static String locate(JsonElement json, Class<?> model, String path) {
		if (!json.isJsonObject()) {
			return path.isEmpty() ? "." : path;
		}
		for (Field field : model.getDeclaredFields()) {
			SerializedName name = field.getAnnotation(SerializedName.class);
			JsonElement child = (name != null) ? json.getAsJsonObject().get(name.value()) : null;
			if (child == null || failure(child, field.getGenericType()) == null) {
				continue;
			}
			String at = path + "." + name.value();
			Type type = field.getGenericType();
			if (type instanceof Class<?> nested && isModel(nested)) {
				return locate(child, nested, at);
			}
			if (type instanceof ParameterizedType list && list.getRawType() == List.class && child.isJsonArray()
					&& list.getActualTypeArguments()[0] instanceof Class<?> item && isModel(item)) {
				for (int i = 0; i < child.getAsJsonArray().size(); i++) {
					if (failure(child.getAsJsonArray().get(i), item) != null) {
						return locate(child.getAsJsonArray().get(i), item, at + "[" + i + "]");
					}
				}
			}
			return at;
		}
		return path.isEmpty() ? "." : path;
	}

	private static boolean isModel(Class<?> type) {
		return type.getPackageName().equals(V1Deployment.class.getPackageName());
	}

	private Schema crdSchema(String type) {
		return this.crdSchemas.computeIfAbsent(type, t -> {
			String[] parts = t.split("/");
			String file = "crd-schemas/" + parts[0] + "_" + parts[1] + "_" + parts[2] + ".json";
			try (InputStream in = ApiSchemas.class.getClassLoader().getResourceAsStream(file)) {
				if (in == null) {
					throw new IllegalStateException("missing " + file);
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			return this.registry.getSchema(SchemaLocation.of("classpath:" + file));
		});
	}

}
