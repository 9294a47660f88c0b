"""What each deployment sets against what the services read; run by deploy/check.py, with its self-test.

Deployments: every kustomize overlay (ConfigMaps, env, the Secrets and ExternalSecrets of envFrom), docker-compose.yml
and EC2 (esteira.env.example, compose.yaml, the jar unit, and the files esteira-secrets.sh writes). As in
check_ec2_code, check(inputs) returns one Result per property and subject, and each of MUTATIONS breaks one property
in memory, on a copy of the real inputs: self_test() expects that mutation's own check to fail there.

Checks:
  reads-all       every ${VAR} a service's application.yml reads is set for it, in every deployment
  reads-only      every variable set for a service is one it reads: a placeholder, the relaxed name of one of its
                  properties, an operator-named setting (OPERATOR_NAMED), a shared platform record's component
                  (PLATFORM_PROPERTIES: esteira.security.jwt.*), Spring Boot's or the AWS SDK's own
  retired-names   no deployment file, comments and READMEs included, names an ESTEIRA_* variable that no service
                  reads (a setting a service dropped or renamed), except the hosts' own (HOST_VARIABLES) and, in
                  Markdown only, the RETIRED ones (migration notes)
  operator-named  the stems of the operator-named settings are still in the services' application.yml (named in a
                  comment, or the map property itself, e.g. esteira.crm.tenants)
  shared-keys     keys every replica must share (SHARED_KEYS): a required Secret in k8s, on EKS from the stack's
                  generated secret, which the readers may read; written on EC2; a non-empty default in compose
  callback-keys   ingest's per-client callback keys: the optional Secret esteira-callback-secrets in k8s, filled on
                  EKS from esteira/callback-secrets (created empty by the stack, readable; no esteira/callback any
                  more), and on EC2 by esteira-secrets.sh, both naming the variables the same way ingest binds them
"""

import copy
import glob
import json
import os
import re
import subprocess

import yaml

import selftest
from cfn import CfnLoader, as_list, statements
from selftest import Result

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = ["ingest", "image-processing", "invoice", "crm-sync"]
# Spring Boot's own settings the deployments set without application.yml naming them (observability, bind address).
SPRING_BOOT_SETTINGS = {"LOGGING_STRUCTURED_FORMAT_CONSOLE", "MANAGEMENT_TRACING_SAMPLING_PROBABILITY",
                        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "MANAGEMENT_SERVER_ADDRESS"}
# Read by the AWS SDK's default credential chain, not by application.yml: only emulator deployments set them.
SDK_SETTINGS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
# Read by the JVM itself.
JVM_SETTINGS = {"JAVA_TOOL_OPTIONS"}
# Settings whose names the operator chooses (list indexes, map keys): application.yml names them only in comments, by
# their stem; what follows the stem must match the pattern. Client names: letters and digits only, as Spring binds
# ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_LOCAL_DEMO to no client at all (it reads "_" as a nesting level).
API_KEY_FIELDS = r"\d+_(NAME|SHA256|SCOPES|TENANT|CUSTOMERDOCUMENT)"
OPERATOR_NAMED = {
    "ingest": {"ESTEIRA_SECURITY_APIKEYS_": API_KEY_FIELDS,
               "ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_": r"[A-Z0-9]+"},
    "invoice": {"ESTEIRA_SECURITY_APIKEYS_": API_KEY_FIELDS},
    # One HubSpot connection per tenant (esteira.crm.tenants.<tenant>.*, a map: `tenants: {}` in application.yml).
    "crm-sync": {"ESTEIRA_CRM_TENANTS_": r"[A-Z0-9]+_(TOKEN|BASEURL|PORTALID|DEFAULTOWNERID|RATELIMIT_REQUESTS)"},
}
# Settings of the shared platform library (@ConfigurationProperties records, not in application.yml) a service binds:
# their relaxed names come from the record's components, e.g. ESTEIRA_SECURITY_JWT_ISSUERURI.
PLATFORM_PROPERTIES = {svc: ["shared-lib/platform/src/main/java/io/esteira/platform/security/JwtProperties.java"]
                       for svc in ("ingest", "invoice")}
CALLBACK_STEM = "ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_"
# Callback keys as an operator writes them (client -> key), and the variables ingest must get from them.
SAMPLE_CLIENTS = {"chatbot": "key-one", "local-demo": "key-two"}
EXPECTED_CALLBACK_ENV = {CALLBACK_STEM + "CHATBOT": "key-one", CALLBACK_STEM + "LOCALDEMO": "key-two"}
CALLBACK_SECRET = ("esteira-callback-secrets", "callback-secrets")   # k8s Secret, Secrets Manager name after prefix
# Keys every replica of a service must share (else each process picks its own): variable -> (k8s Secret and key,
# Secrets Manager name after the prefix, its property).
SHARED_KEYS = {"ingest": {"ESTEIRA_FOREIGN_OBJECT_ID_SECRET": ("esteira-foreign-objects", "secret",
                                                               "foreign-objects", "secret")}}
# ESTEIRA_* names that are no service's settings: the EC2 hosts' and the scripts' own.
HOST_VARIABLES = {"ESTEIRA_BIND_ADDRESS", "ESTEIRA_VERSION", "ESTEIRA_REGISTRY", "ESTEIRA_RESOURCE_PREFIX",
                  "ESTEIRA_LOG_GROUP", "ESTEIRA_HEALTH_STRIKES", "ESTEIRA_DATABASE_WAIT_SECONDS",
                  "ESTEIRA_DATABASE_MASTER", "ESTEIRA_BACKUP_SCHEMAS"}
# Variables the services no longer read, and what replaced them: named only in Markdown (migration notes), never
# in a file that deploys.
RETIRED = {"ESTEIRA_INGEST_MAXUPLOADSIZE": "ESTEIRA_INGEST_MAXSIZE_IMAGE, _INVOICE (and PRESIGN_MAXSIZE_...)",
           "ESTEIRA_CALLBACK_SECRET": "ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_<CLIENT>"}
# esteira-secrets.sh: what each of its shell variables holds (api_keys: the operator's keys, e.g. these).
SCRIPT = "deploy/ec2/esteira-secrets.sh"
SCRIPT_OUTPUTS = {"hubspot": ["HUBSPOT_TOKEN"], "webhook": ["CRM_WEBHOOK_SECRET"],
                  "foreign_objects": ["ESTEIRA_FOREIGN_OBJECT_ID_SECRET"],
                  "api_keys": ["ESTEIRA_SECURITY_APIKEYS_0_NAME", "ESTEIRA_SECURITY_APIKEYS_0_SHA256",
                               "ESTEIRA_SECURITY_APIKEYS_0_SCOPES"],
                  "callback_secrets": sorted(EXPECTED_CALLBACK_ENV)}
SCRIPT_OUTPUTS.update({f"db_{schema}": ["DATABASE_USERNAME", "DATABASE_PASSWORD"]
                       for schema in ("ingest", "image_processing", "invoice", "crm_sync", "backup")})
# Files whose ESTEIRA_* names are checked: every deployment file, but the checks themselves.
SCANNED = ["docker-compose.yml", "k8s/**/*", "deploy/**/*"]
NOT_SCANNED = {"deploy/check.py", "deploy/check_settings.py", "deploy/check_ec2_code.py", "deploy/cfn.py"}


# ---------------------------------------------------------------------------------------------- the services


def relaxed(key):
    """Spring's environment-variable form of a property name: esteira.aws.image-events -> ESTEIRA_AWS_IMAGEEVENTS."""
    return key.replace("-", "").replace(".", "_").upper()


def flatten(tree, prefix=""):
    keys = set()
    if isinstance(tree, dict):
        for key, value in tree.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            keys.add(name)
            keys |= flatten(value, name)
    return keys


def parse_settings(text):
    """(environment placeholders it reads, relaxed names of its properties, parsed yml) of an application.yml."""
    # Placeholders in comments (examples of what an operator may add) are not read.
    uncommented = "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in text.splitlines())
    placeholders = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}", uncommented))
    tree = yaml.safe_load(text)
    return placeholders, {relaxed(k) for k in flatten(tree)}, tree


def application_yml(service):
    return os.path.join(ROOT, "services", service, "src/main/resources/application.yml")


def service_settings(service):
    return parse_settings(open(application_yml(service)).read())


def render(directory):
    """(objects, error) of `kubectl kustomize directory`."""
    result = subprocess.run(["kubectl", "kustomize", directory], capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip()
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc], ""


def stack_secrets(template):
    """({secret name with prefix "esteira": (logical id, properties)}, logical ids ReadSecretsPolicy lets read)."""
    resources = template.get("Resources", {}) or {}
    secrets = {}
    for name, resource in resources.items():
        if resource.get("Type") == "AWS::SecretsManager::Secret":
            props = resource.get("Properties") or {}
            secret_name = (props.get("Name") or {}).get("Fn::Sub", "")
            secrets[secret_name.replace("${ResourcePrefix}", "esteira")] = (name, props)
    readable = set()
    policy = resources.get("ReadSecretsPolicy") or {}
    for statement in statements(((policy.get("Properties") or {}).get("PolicyDocument")) or {}):
        for ref in as_list(statement.get("Resource", [])):
            if isinstance(ref, dict) and "Ref" in ref:
                readable.add(ref["Ref"])
    return secrets, readable


def env_file_keys(text):
    keys = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            keys[key] = value
    return keys


# ---------------------------------------------------------------------------------------------- inputs


class Inputs:
    """What the checks read: each service's application.yml text, the rendered overlays, both compose files, the
    EC2 files, the template, and the text of every deployment file."""

    def __init__(self, settings, overlays, compose, ec2_compose, texts, template, platform=None):
        self.settings, self.overlays, self.compose, self.ec2_compose = settings, overlays, compose, ec2_compose
        self.texts, self.template = texts, template
        self.platform = platform or {}   # {path: Java source} of PLATFORM_PROPERTIES

    def copy(self):
        return Inputs(dict(self.settings), copy.deepcopy(self.overlays), copy.deepcopy(self.compose),
                      copy.deepcopy(self.ec2_compose), dict(self.texts), copy.deepcopy(self.template),
                      dict(self.platform))

    def objects(self, overlay, kind, name=None):
        return [o for o in self.overlays.get(overlay) or [] if o.get("kind") == kind
                and (name is None or unhashed(o["metadata"]["name"]) == name)]


def unhashed(name):
    """A secretGenerator's or configMapGenerator's name without kustomize's content hash."""
    return re.sub(r"-[a-z0-9]{10}$", "", name)


def load(overlays):
    """The real inputs; overlays: {overlay name: rendered objects} (check.py renders them once)."""
    settings = {svc: open(application_yml(svc)).read() for svc in SERVICES}
    compose = yaml.safe_load(open(os.path.join(ROOT, "docker-compose.yml")))
    ec2_compose = yaml.safe_load(open(os.path.join(ROOT, "deploy/ec2/compose.yaml")))
    texts = {}
    for pattern in SCANNED:
        for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            rel = os.path.relpath(path, ROOT)
            if os.path.isfile(path) and rel not in NOT_SCANNED and "/target/" not in rel:
                try:
                    texts[rel] = open(path).read()
                except UnicodeDecodeError:
                    pass
    template = yaml.load(open(os.path.join(ROOT, "deploy/cloudformation/esteira.yaml")), Loader=CfnLoader)
    platform = {path: open(os.path.join(ROOT, path)).read() for paths in PLATFORM_PROPERTIES.values() for path in paths}
    return Inputs(settings, overlays, compose, ec2_compose, texts, template, platform)


def record_settings(source):
    """Relaxed names of a @ConfigurationProperties("prefix") record's components (its constructor's parameters)."""
    prefix = re.search(r'@ConfigurationProperties\("([^"]+)"\)', source)
    record = re.search(r"\brecord\s+\w+\s*\((.*?)\)\s*(?:implements[^{]*)?\{", source, re.S)
    if not prefix or not record:
        return set()
    parameters = re.sub(r"@\w+(\([^)]*\))?", "", re.sub(r"<[^<>]*>", "", record.group(1)))
    names = [part.split()[-1] for part in parameters.split(",") if part.split()]
    return {relaxed(f"{prefix.group(1)}.{name}") for name in names}


# ---------------------------------------------------------------------------------------------- helpers


def rewritten(keys, rewrites):
    """External Secrets' dataFrom rewrite applied to keys: regexp (Go's ReplaceAllString) and transform templates of
    the form 'PREFIX{{ .value | upper }}SUFFIX' (functions upper, lower). Raises ValueError on anything else."""
    out = {}
    for key in keys:
        name = key
        for rewrite in rewrites or []:
            if "regexp" in rewrite:
                target = re.sub(r"\$\{?(\d+)}?", r"\\g<\1>", rewrite["regexp"]["target"])
                name = re.sub(rewrite["regexp"]["source"], target, name)
            elif "transform" in rewrite:
                template = rewrite["transform"]["template"]
                match = re.fullmatch(r"([^{}]*)\{\{\s*\.value((?:\s*\|\s*\w+)*)\s*}}([^{}]*)", template)
                if not match:
                    raise ValueError(f"transform template {template!r} is not PREFIX{{{{ .value | ... }}}}SUFFIX")
                value = name
                for function in re.findall(r"\w+", match.group(2)):
                    if function not in ("upper", "lower"):
                        raise ValueError(f"transform function {function!r}")
                    value = value.upper() if function == "upper" else value.lower()
                name = match.group(1) + value + match.group(3)
            else:
                raise ValueError(f"rewrite {sorted(rewrite)}")
        out[name] = key
    return out


def callback_env(script_text, clients):
    """({variable: value}, stderr) of esteira-secrets.sh's function callback_env on clients as JSON. Only the function
    runs (never the script, which reads AWS and writes /run/esteira)."""
    function = re.search(r"^callback_env\(\) \{\n.*?^}$", script_text, re.M | re.S)
    if not function:
        return {}, "no function callback_env() { ... } in the script"
    result = subprocess.run(["bash", "-c", f"{function.group(0)}\ncallback_env"], input=json.dumps(clients),
                            capture_output=True, text=True, timeout=60)
    return env_file_keys(result.stdout), (result.stderr.strip() or f"exit {result.returncode}")


def compose_default(value):
    """The value a compose environment entry has when nothing is exported: 'x' or ${VAR:-x}."""
    match = re.fullmatch(r"\$\{[A-Z0-9_]+(?::?-(.*))?}", str(value))
    return (match.group(1) or "") if match else str(value)


# ---------------------------------------------------------------------------------------------- checks


def check(inputs):
    results = []

    def ok(name, condition, what):
        results.append(Result(name, bool(condition), what))
        return condition

    parsed = {svc: parse_settings(text) for svc, text in inputs.settings.items()}
    platform = {svc: set().union(*(record_settings(inputs.platform.get(path, "")) for path in paths))
                for svc, paths in PLATFORM_PROPERTIES.items()}
    read_anywhere = set().union(*(p | props for p, props, _ in parsed.values()), *platform.values())

    def reads(svc, variable):
        placeholders, properties, _ = parsed[svc]
        return (variable in placeholders or variable in properties or variable in platform.get(svc, set())
                or variable in SPRING_BOOT_SETTINGS
                or variable in SDK_SETTINGS or variable in JVM_SETTINGS
                or any(variable.startswith(stem) and re.fullmatch(pattern, variable[len(stem):])
                       for stem, pattern in OPERATOR_NAMED.get(svc, {}).items()))

    def agrees(where, svc, provided, set_here):
        missing = parsed[svc][0] - set(provided)
        ok("reads-all", not missing, f"{where} {svc}: every variable application.yml reads is set (missing "
                                     f"{sorted(missing)})")
        unknown = {v for v in set_here if not reads(svc, v)}
        ok("reads-only", not unknown, f"{where} {svc}: every variable set is one it reads (unknown {sorted(unknown)})")

    # operator-named: the stems are still in the services' application.yml (comments name them).
    for svc, stems in OPERATOR_NAMED.items():
        for stem in stems:
            # Named in a comment, or the map property itself (esteira.crm.tenants: {} -> ESTEIRA_CRM_TENANTS).
            ok("operator-named", stem in inputs.settings[svc] or stem.rstrip("_") in parsed[svc][1],
               f"{svc}: application.yml still names the operator-named setting {stem}...")

    # Kubernetes: each overlay's Deployments.
    template_secrets, readable = stack_secrets(inputs.template)
    for overlay, objects in sorted(inputs.overlays.items()):
        configmaps = {o["metadata"]["name"]: o.get("data") or {} for o in objects if o["kind"] == "ConfigMap"}
        secrets = {o["metadata"]["name"]: {**(o.get("data") or {}), **(o.get("stringData") or {})}
                   for o in objects if o["kind"] == "Secret"}
        externals = {o["spec"]["target"]["name"]: o for o in objects if o["kind"] == "ExternalSecret"}
        deployments = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Deployment"
                       and (o["metadata"].get("labels") or {}).get("app.kubernetes.io/part-of") == "esteira"}
        for svc, deployment in sorted(deployments.items()):
            container = deployment["spec"]["template"]["spec"]["containers"][0]
            variables = {e["name"] for e in container.get("env") or []}
            for source in container.get("envFrom") or []:
                if "configMapRef" in source:
                    variables |= set(configmaps.get(source["configMapRef"]["name"], {}))
                elif "secretRef" in source:
                    ref = source["secretRef"]["name"]
                    variables |= set(secrets.get(ref, {}))
                    external = (externals.get(ref) or {}).get("spec") or {}
                    variables |= {d["secretKey"] for d in external.get("data") or []}
                    for part in external.get("dataFrom") or []:
                        if part.get("rewrite"):   # keys of the operator's JSON, as written by the rewrite
                            try:
                                variables |= set(rewritten(SAMPLE_CLIENTS, part["rewrite"]))
                            except (ValueError, re.error) as error:
                                ok("reads-only", False, f"{overlay} ExternalSecret {ref}: rewrite {error}")
            agrees(overlay, svc, variables, variables)

            # shared-keys: from a required Secret, never a ConfigMap or a literal.
            for variable, (secret, key, remote, prop) in SHARED_KEYS.get(svc, {}).items():
                entry = next((e for e in container.get("env") or [] if e["name"] == variable), {})
                ref = (entry.get("valueFrom") or {}).get("secretKeyRef") or {}
                ok("shared-keys", unhashed(ref.get("name", "")) == secret and ref.get("key") == key
                   and ref.get("optional") is not True and not any(variable in c for c in configmaps.values()),
                   f"{overlay} {svc}: {variable} from the required Secret {secret} (key {key}), the same for every "
                   f"replica ({entry or 'not set'})")
                if overlay == "eks":
                    data = {d["secretKey"]: d["remoteRef"] for d in
                            ((externals.get(secret) or {}).get("spec") or {}).get("data") or []}
                    ok("shared-keys", data.get(key) == {"key": f"esteira/{remote}", "property": prop},
                       f"eks: ExternalSecret {secret} reads {key} from esteira/{remote} ({data.get(key)})")
                else:
                    value = next((v for n, v in secrets.items() if unhashed(n) == secret), {}).get(key)
                    ok("shared-keys", bool(value), f"{overlay}: Secret {secret} holds a {key}")

            # callback-keys: ingest reads them from an optional Secret (no client, no Secret).
            if svc == "ingest":
                refs = [s["secretRef"] for s in container.get("envFrom") or [] if "secretRef" in s]
                ok("callback-keys", any(unhashed(r["name"]) == CALLBACK_SECRET[0] and r.get("optional") is True
                                        for r in refs),
                   f"{overlay} ingest: envFrom the optional Secret {CALLBACK_SECRET[0]} ({refs})")
        if overlay == "eks":
            spec = (externals.get(CALLBACK_SECRET[0]) or {}).get("spec") or {}
            parts = spec.get("dataFrom") or []
            extracted = [p for p in parts if (p.get("extract") or {}).get("key") == f"esteira/{CALLBACK_SECRET[1]}"]
            try:
                names = rewritten(SAMPLE_CLIENTS, extracted[0].get("rewrite")) if extracted else {}
            except (ValueError, re.error) as error:
                names = {f"({error})": None}
            ok("callback-keys", set(names) == set(EXPECTED_CALLBACK_ENV) and len(parts) == 1,
               f"eks: ExternalSecret {CALLBACK_SECRET[0]} turns esteira/{CALLBACK_SECRET[1]}'s clients "
               f"{sorted(SAMPLE_CLIENTS)} into {sorted(EXPECTED_CALLBACK_ENV)} ({sorted(names)})")

    # CloudFormation: the shared keys generated, the callback keys an empty object the operator fills.
    for svc, keys in SHARED_KEYS.items():
        for variable, (_, _, remote, prop) in keys.items():
            logical, props = template_secrets.get(f"esteira/{remote}", (None, {}))
            generated = props.get("GenerateSecretString") or {}
            ok("shared-keys", logical in readable and generated.get("GenerateStringKey") == prop,
               f"cloudformation: esteira/{remote} ({variable}) is generated ({prop}) and the readers may read it")
    logical, props = template_secrets.get(f"esteira/{CALLBACK_SECRET[1]}", (None, {}))
    try:
        initial = json.loads(props.get("SecretString", "null"))
    except ValueError:
        initial = None
    ok("callback-keys", logical in readable and initial == {} and "GenerateSecretString" not in props,
       f"cloudformation: esteira/{CALLBACK_SECRET[1]} is created as {{}} for the operator to fill, readable by the "
       f"secrets readers ({logical}, {props.get('SecretString')!r})")
    ok("callback-keys", "esteira/callback" not in template_secrets,
       "cloudformation: no single generated esteira/callback any more (ingest reads one key per client)")

    # docker-compose.yml
    services = inputs.compose.get("services") or {}
    for svc in SERVICES:
        environment = (services.get(svc) or {}).get("environment") or {}
        agrees("docker-compose.yml", svc, environment, environment)
        for variable in SHARED_KEYS.get(svc, {}):
            ok("shared-keys", compose_default(environment.get(variable, "")).strip(),
               f"docker-compose.yml {svc}: {variable} has a local default ({environment.get(variable)!r})")

    # EC2: the shared settings file, the compose file, the jar unit, and what esteira-secrets.sh writes.
    settings = env_file_keys(inputs.texts["deploy/ec2/esteira.env.example"])
    unit = inputs.texts["deploy/ec2/systemd/esteira@.service"]
    unit_env = set(re.findall(r'^Environment="?([A-Za-z_][A-Za-z0-9_]*)=', unit, re.M)) - HOST_VARIABLES
    script = inputs.texts[SCRIPT]
    ec2_services = inputs.ec2_compose.get("services") or {}
    for svc in SERVICES:
        written = re.search(rf"^write {re.escape(svc)} (.*)$", script, re.M)
        script_vars = re.findall(r"\$(\w+)", written.group(1) if written else "")
        undeclared = [v for v in script_vars if v not in SCRIPT_OUTPUTS]
        ok("reads-only", not undeclared, f"ec2 {svc}: esteira-secrets.sh writes only known secrets ({undeclared})")
        from_script = {name for v in script_vars for name in SCRIPT_OUTPUTS.get(v, [])}
        environment = set((ec2_services.get(svc) or {}).get("environment") or {})
        agrees("ec2", svc, set(settings) | environment | from_script | unit_env, environment | from_script | unit_env)
        for variable in SHARED_KEYS.get(svc, {}):
            ok("shared-keys", any(variable in SCRIPT_OUTPUTS.get(v, []) for v in script_vars)
               and f"secret {SHARED_KEYS[svc][variable][2]} " in script,
               f"ec2 {svc}: esteira-secrets.sh writes {variable} from esteira/{SHARED_KEYS[svc][variable][2]}")
        ok("callback-keys", ("callback_secrets" in script_vars) == (svc == "ingest"),
           f"ec2 {svc}: {'gets' if svc == 'ingest' else 'does not get'} the callback keys")
    unknown = {k for k in settings if not any(reads(svc, k) for svc in SERVICES)}
    ok("reads-only", not unknown, f"ec2 esteira.env.example: every setting is one a service reads ({sorted(unknown)})")
    written_env, stderr = callback_env(script, SAMPLE_CLIENTS)
    ok("callback-keys", written_env == EXPECTED_CALLBACK_ENV,
       f"ec2: esteira-secrets.sh's callback_env turns {SAMPLE_CLIENTS} into {EXPECTED_CALLBACK_ENV} "
       f"({written_env}; {stderr})")
    ok("callback-keys", re.search(rf"^callback_secrets=\$\(secret {CALLBACK_SECRET[1]} \| callback_env\)$", script,
                                  re.M) is not None,
       f"ec2: esteira-secrets.sh reads the callback keys from esteira/{CALLBACK_SECRET[1]}")

    # retired-names: every ESTEIRA_* name in a deployment file is something a service or a host reads.
    operator_stems = {stem: pattern for stems in OPERATOR_NAMED.values() for stem, pattern in stems.items()}
    for path, text in sorted(inputs.texts.items()):
        names = set(re.findall(r"\bESTEIRA_[A-Z0-9_]+", text))
        stale = {n for n in names if n not in read_anywhere and n not in HOST_VARIABLES
                 and not (path.endswith(".md") and n in RETIRED)
                 and not any(n == stem or (n.startswith(stem) and re.fullmatch(p, n[len(stem):]))
                             for stem, p in operator_stems.items())
                 and not (n.endswith("_") and any(r.startswith(n) for r in read_anywhere))}
        ok("retired-names", not stale, f"{path}: names only variables a service or host reads (stale {sorted(stale)})")
    revived = set(RETIRED) & read_anywhere
    ok("retired-names", not revived, f"RETIRED: no service reads these again ({sorted(revived)})")
    everywhere = "\n".join(inputs.texts.values())
    for variable in sorted(HOST_VARIABLES):
        ok("retired-names", re.search(rf"\b{variable}\b", everywhere) is not None,
           f"HOST_VARIABLES: {variable} is still used by a deployment file")
    return results


# ---------------------------------------------------------------------------------------------- self-test


def _container(i, overlay, name):
    deployment = i.objects(overlay, "Deployment", name)[0]
    return deployment["spec"]["template"]["spec"]["containers"][0]


def _env(i, overlay, name, variable):
    return next(e for e in _container(i, overlay, name)["env"] if e["name"] == variable)


_replace_text = selftest.replace_text


def _replace_setting(service, old, new):
    def mutate(i):
        assert old in i.settings[service], f"{service}'s application.yml has no {old!r}"
        i.settings[service] = i.settings[service].replace(old, new)
    return mutate


def _literal_foreign_object_key(i):
    entry = _env(i, "kind", "ingest", "ESTEIRA_FOREIGN_OBJECT_ID_SECRET")
    entry.pop("valueFrom")
    entry["value"] = "kind-key"


def _external(i, name):
    return next(o for o in i.overlays["eks"] if o["kind"] == "ExternalSecret" and o["metadata"]["name"] == name)


def _read_secrets(i):
    return i.template["Resources"]["ReadSecretsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Resource"]


# (what the mutation breaks, the check that must catch it, the mutation)
MUTATIONS = [
    ("kind's ingest ConfigMap sets the dropped ESTEIRA_INGEST_MAXUPLOADSIZE", "reads-only",
     lambda i: i.objects("kind", "ConfigMap", "ingest-config")[0]["data"].update(ESTEIRA_INGEST_MAXUPLOADSIZE="25MB")),
    ("eks ingest gets the dropped ESTEIRA_CALLBACK_SECRET", "reads-only",
     lambda i: _container(i, "eks", "ingest")["env"].append(
         {"name": "ESTEIRA_CALLBACK_SECRET", "valueFrom": {"secretKeyRef": {"name": "esteira-callback", "key": "s"}}})),
    ("docker-compose.yml sets ESTEIRA_CALLBACK_SECRET for ingest", "reads-only",
     lambda i: i.compose["services"]["ingest"]["environment"].update(ESTEIRA_CALLBACK_SECRET="${X:-}")),
    ("docker-compose.yml gives image-processing the API keys", "reads-only",
     lambda i: i.compose["services"]["image-processing"]["environment"].update(ESTEIRA_SECURITY_APIKEYS_0_NAME="x")),
    ("EC2 writes the HubSpot token into ingest's secrets file", "reads-only",
     _replace_text(SCRIPT, 'write ingest "$db_ingest"', 'write ingest "$hubspot" "$db_ingest"')),
    ("EC2 writes an undeclared secret into ingest's file", "reads-only",
     _replace_text(SCRIPT, 'write ingest "$db_ingest"', 'write ingest "$callback" "$db_ingest"')),
    ("esteira.env.example keeps ESTEIRA_INGEST_MAXUPLOADSIZE", "reads-only",
     _replace_text("deploy/ec2/esteira.env.example", "ESTEIRA_INGEST_SERVERSIDEENCRYPTION=AES256",
                   "ESTEIRA_INGEST_SERVERSIDEENCRYPTION=AES256\nESTEIRA_INGEST_MAXUPLOADSIZE=25MB")),
    ("eks ingest without ESTEIRA_FOREIGN_OBJECT_ID_SECRET", "reads-all",
     lambda i: _container(i, "eks", "ingest").update(
         env=[e for e in _container(i, "eks", "ingest")["env"] if e["name"] != "ESTEIRA_FOREIGN_OBJECT_ID_SECRET"])),
    ("docker-compose.yml ingest without ESTEIRA_FOREIGN_OBJECT_ID_SECRET", "reads-all",
     lambda i: i.compose["services"]["ingest"]["environment"].pop("ESTEIRA_FOREIGN_OBJECT_ID_SECRET")),
    ("EC2 no longer writes ingest's foreign-object id key", "reads-all",
     _replace_text(SCRIPT, ' "$foreign_objects"', "")),
    ("a README names a variable no service reads", "retired-names",
     _replace_text("deploy/README.md", "# Deploying Esteira", "# Deploying Esteira (ESTEIRA_INGEST_MAXUPLOADSIZES)")),
    ("esteira.env.example still mentions ESTEIRA_CALLBACK_SECRET", "retired-names",
     _replace_text("deploy/ec2/esteira.env.example", "# ingest: SNS", "# ESTEIRA_CALLBACK_SECRET: signs callbacks\n# ingest: SNS")),
    ("a service reads a retired variable again", "retired-names",
     _replace_setting("ingest", "callback-timeout: 10s", "callback-timeout: ${ESTEIRA_CALLBACK_SECRET:10s}")),
    ("a comment in k8s names ESTEIRA_INGEST_MAXUPLOADSIZE", "retired-names",
     _replace_text("k8s/base/ingest.yaml", "# ingest: consumes", "# ESTEIRA_INGEST_MAXUPLOADSIZE\n# ingest: consumes")),
    ("kind's ingest ConfigMap sets a misspelt bearer-token issuer", "reads-only",
     lambda i: i.objects("kind", "ConfigMap", "ingest-config")[0]["data"].update(
         ESTEIRA_SECURITY_JWT_ISSUERURL="https://issuer.example.com")),
    ("image-processing gets the bearer-token issuer (it has no API)", "reads-only",
     lambda i: i.compose["services"]["image-processing"]["environment"].update(
         ESTEIRA_SECURITY_JWT_ISSUERURI="https://issuer.example.com")),
    ("the platform renames JwtProperties.issuerUri (install.sh still writes ..._ISSUERURI)", "retired-names",
     lambda i: i.platform.update({p: t.replace("String issuerUri,", "String issuerUrl,") for p, t in
                                  i.platform.items() if "String issuerUri," in t} or {"missing": 1 / 0})),
    ("a per-tenant CRM setting crm-sync does not have (..._TENANTS_ACME_SECRET)", "retired-names",
     _replace_text("deploy/ec2/esteira.env.example", "ESTEIRA_CRM_TENANTS_<TENANT>_TOKEN=",
                   "ESTEIRA_CRM_TENANTS_ACME_SECRET=")),
    ("crm-sync drops its per-tenant connections (esteira.crm.tenants)", "operator-named",
     _replace_setting("crm-sync", "    tenants: {}\n", "    connections: {}\n")),
    ("ingest renames its client-secrets setting", "operator-named",
     _replace_setting("ingest", "ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_", "ESTEIRA_INGEST_CALLBACKKEYS_")),
    ("the foreign-object id Secret optional on eks", "shared-keys",
     lambda i: _env(i, "eks", "ingest", "ESTEIRA_FOREIGN_OBJECT_ID_SECRET")["valueFrom"]["secretKeyRef"].update(
         optional=True)),
    ("the foreign-object id key as a literal in kind", "shared-keys", _literal_foreign_object_key),
    ("eks reads the foreign-object id key from another secret", "shared-keys",
     lambda i: _external(i, "esteira-foreign-objects")["spec"]["data"][0]["remoteRef"].update(key="esteira/callback")),
    ("the readers may not read esteira/foreign-objects", "shared-keys",
     lambda i: _read_secrets(i).remove({"Ref": "ForeignObjectIdSecret"})),
    ("docker-compose.yml's foreign-object id key empty by default", "shared-keys",
     lambda i: i.compose["services"]["ingest"]["environment"].update(
         ESTEIRA_FOREIGN_OBJECT_ID_SECRET="${ESTEIRA_FOREIGN_OBJECT_ID_SECRET:-}")),
    ("ingest's callback-keys Secret required in kind (no Secret there)", "callback-keys",
     lambda i: next(s["secretRef"] for s in _container(i, "kind", "ingest")["envFrom"] if "secretRef" in s
                    and s["secretRef"]["name"] == "esteira-callback-secrets").pop("optional")),
    ("eks turns punctuation in client names into _ (LOCAL_DEMO binds no client)", "callback-keys",
     lambda i: _external(i, "esteira-callback-secrets")["spec"]["dataFrom"][0]["rewrite"][0]["regexp"].update(
         target="_")),
    ("eks without the upper-case prefix transform", "callback-keys",
     lambda i: _external(i, "esteira-callback-secrets")["spec"]["dataFrom"][0]["rewrite"].pop(1)),
    ("EC2 turns punctuation in client names into _", "callback-keys",
     _replace_text(SCRIPT, 're.sub(r"[^A-Z0-9]", "", client.upper())', 're.sub(r"[^A-Z0-9]", "_", client.upper())')),
    ("EC2 reads the old single esteira/callback", "callback-keys",
     _replace_text(SCRIPT, "$(secret callback-secrets |", "$(secret callback |")),
    ("the stack generates the callback keys (one random key, no clients)", "callback-keys",
     lambda i: i.template["Resources"]["CallbackSecrets"]["Properties"].update(
         GenerateSecretString={"SecretStringTemplate": "{}", "GenerateStringKey": "secret"})),
    ("the readers may not read esteira/callback-secrets", "callback-keys",
     lambda i: _read_secrets(i).remove({"Ref": "CallbackSecrets"})),
]


def self_test(inputs, verbose=False):
    """(real-failures, [(description, check, caught, failures)]) for the real inputs and every mutation."""
    return selftest.self_test(check, MUTATIONS, inputs, verbose)
