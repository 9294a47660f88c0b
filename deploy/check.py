"""Offline checks of Esteira's deployment files; run through deploy/check.sh.

1. Every kustomize overlay under k8s/overlays renders (kubectl kustomize).
2. Every rendered Esteira container meets the hardening policy, and each overlay hangs together: PDB, Service and
   ServiceAccount per Deployment, default-deny NetworkPolicies with only ingest and invoice open to the outside, a
   shutdown budget that covers the SQS listener, KEDA/HPA/Ingress/External Secrets rules for the eks overlay.
3. deploy/cloudformation/*.yaml parses (short tags such as !Ref are understood), every Ref/GetAtt/Sub resolves, no
   IAM statement allows a write action on "*", buckets are encrypted, private, TLS-only, queues have DLQs, etc.
4. deploy/ec2: the production compose file sets what each service reads, without emulators or static credentials;
   the systemd unit and the CloudWatch agent agree on log files; shutdown timeouts cover the SQS listener.
5. Database least privilege: one PostgreSQL role per service (deploy/database/service-roles.sql) named by its own
   secret everywhere (k8s, CloudFormation, EC2), the master secret kept from the services, and TLS verify-full with
   the RDS CA bundle mounted on EKS and EC2.
6. EC2 as code (deploy/check_ec2_code.py): launch template, Auto Scaling group, scaling metric math, backups, least
   privilege of the new roles, the EC2 bind addresses; LGPD: the services' expected permissions (EXPECTED_PERMISSIONS:
   erasure, retention, per-tenant HubSpot tokens, no version deletes), the buckets' retention lifecycle, retention and
   bearer-token settings reaching ingest/invoice; then its self-test: every mutation in check_ec2_code.MUTATIONS,
   applied in memory to a copy of the real files, must make its own check fail.
7. Settings (deploy/check_settings.py), in every deployment (k8s overlays, docker-compose.yml, EC2): every setting a
   service reads is set and every variable set is one it reads; no deployment file names a retired ESTEIRA_*
   variable; keys every replica must share come from one secret; ingest's per-client callback keys reach it under
   the names it binds; then its mutation self-test, as in 6.

Usage: check.py            every section (what CI runs through deploy/check.sh); -v prints each mutation of 6 and 7
       check.py --ec2 [-v] section 6 only, no kubectl needed; -v prints each mutation and the failures it caused

Prints one line per failure, a summary per section and finally "N passed, M failed"; exits 1 on any failure.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

sys.dont_write_bytecode = True    # no __pycache__ beside the deployment files
import check_ec2_code  # noqa: E402
import check_settings  # noqa: E402
from cfn import CfnLoader, as_list, statements  # noqa: E402
from check_settings import SERVICES, env_file_keys, relaxed, render, service_settings, stack_secrets  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLIC_SERVICES = {"ingest", "invoice"}
# Each service's PostgreSQL schema; its role (deploy/database/service-roles.sql) is esteira_<schema>.
SCHEMAS = {"ingest": "ingest", "image-processing": "image_processing", "invoice": "invoice", "crm-sync": "crm_sync"}
# Services that call out of the VPC: crm-sync (HubSpot) and ingest (uploaders' callback URLs).
INTERNET_CLIENTS = {"crm-sync", "ingest"}
# The queue each service consumes (application.yml key under esteira.aws.queues).
CONSUMES = {"ingest": "status", "image-processing": "images", "invoice": "invoices", "crm-sync": "image-events"}
# Shutdown of a Spring Cloud AWS 4.1 SQS container: listenerShutdownTimeout (20 s) then acknowledgementShutdownTimeout
# (20 s), then Tomcat's graceful shutdown (spring.lifecycle.timeout-per-shutdown-phase, 30 s).
SQS_SHUTDOWN_SECONDS = 20 + 20 + 30
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"}
# Dependencies for local clusters only (third-party emulators): rendered, not held to the policy.
EXEMPT_PART_OF = {"esteira-dev"}


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.section_passed = 0
        self.section_failed = 0

    def check(self, condition, what):
        if condition:
            self.passed += 1
            self.section_passed += 1
        else:
            self.failed += 1
            self.section_failed += 1
            print(f"  FAIL {what}")
        return condition

    def section(self, title):
        self.section_passed = self.section_failed = 0
        print(f"== {title}")

    def end_section(self, note=""):
        print(f"   {self.section_passed} passed, {self.section_failed} failed{note}")


R = Report()


# ---------------------------------------------------------------------------------------------- application.yml


def duration_seconds(value):
    match = re.fullmatch(r"(\d+)(ms|s|m)?", str(value))
    number, unit = int(match.group(1)), match.group(2) or "ms"
    return number / 1000 if unit == "ms" else number * (60 if unit == "m" else 1)


# ---------------------------------------------------------------------------------------------- kubernetes


def pod_spec(obj):
    spec = obj.get("spec", {})
    if obj["kind"] == "Pod":
        return spec
    if obj["kind"] == "CronJob":
        return spec["jobTemplate"]["spec"]["template"]["spec"]
    return spec["template"]["spec"]


def labels_of(obj):
    return obj.get("metadata", {}).get("labels", {}) or {}


def check_container(where, pod, container, long_running):
    psc = pod.get("securityContext", {}) or {}
    csc = container.get("securityContext", {}) or {}
    run_as_non_root = csc.get("runAsNonRoot", psc.get("runAsNonRoot"))
    run_as_user = csc.get("runAsUser", psc.get("runAsUser"))
    R.check(run_as_non_root is True and run_as_user not in (0, "0"), f"{where}: runs as non-root")
    R.check(csc.get("readOnlyRootFilesystem") is True, f"{where}: readOnlyRootFilesystem")
    caps = csc.get("capabilities", {}) or {}
    R.check("ALL" in (caps.get("drop") or []) and not caps.get("add"), f"{where}: drops ALL capabilities, adds none")
    R.check(csc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation false")
    R.check(not csc.get("privileged"), f"{where}: not privileged")
    seccomp = (csc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
    R.check(seccomp == "RuntimeDefault", f"{where}: RuntimeDefault seccomp")
    resources = container.get("resources", {}) or {}
    for kind in ("requests", "limits"):
        values = resources.get(kind, {}) or {}
        R.check("cpu" in values and "memory" in values, f"{where}: {kind} for cpu and memory")
    image = container.get("image", "")
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
    R.check(tag and tag != "latest", f"{where}: image {image!r} pinned to a tag")
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", []) or []}
    empty_dirs = {v["name"] for v in pod.get("volumes", []) or [] if "emptyDir" in v}
    R.check(mounts.get("/tmp") in empty_dirs, f"{where}: /tmp is an emptyDir (read-only root filesystem)")
    if long_running:
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            R.check(probe in container, f"{where}: has {probe}")


def check_overlay(name, objects):
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
    named = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    exempt = 0

    # Hardening of every container.
    for obj in objects:
        if obj["kind"] not in WORKLOAD_KINDS:
            continue
        if labels_of(obj).get("app.kubernetes.io/part-of") in EXEMPT_PART_OF:
            exempt += 1
            continue
        pod = pod_spec(obj)
        R.check(not (pod.get("hostNetwork") or pod.get("hostPID") or pod.get("hostIPC")),
                f"{name} {obj['kind']}/{obj['metadata']['name']}: no host namespaces")
        for container in (pod.get("initContainers") or []) + pod.get("containers", []):
            where = f"{name} {obj['kind']}/{obj['metadata']['name']}/{container['name']}"
            check_container(where, pod, container, obj["kind"] in {"Deployment", "StatefulSet", "DaemonSet"})

    deployments = {o["metadata"]["name"]: o for o in by_kind.get("Deployment", [])
                   if labels_of(o).get("app.kubernetes.io/part-of") == "esteira"}
    R.check(set(deployments) == set(SERVICES), f"{name}: one Deployment per service ({sorted(deployments)})")

    pdbs = by_kind.get("PodDisruptionBudget", [])
    services = by_kind.get("Service", [])
    configmaps = {o["metadata"]["name"]: o.get("data", {}) or {} for o in by_kind.get("ConfigMap", [])}
    for svc, deployment in deployments.items():
        pod = pod_spec(deployment)
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        selects = lambda selector: all(pod_labels.get(k) == v for k, v in (selector or {}).items())
        R.check(any(selects(p["spec"]["selector"].get("matchLabels")) for p in pdbs),
                f"{name} {svc}: a PodDisruptionBudget selects it")
        R.check(any(selects(s["spec"].get("selector")) for s in services), f"{name} {svc}: a Service selects it")
        R.check(("ServiceAccount", pod.get("serviceAccountName")) in named,
                f"{name} {svc}: its ServiceAccount exists")
        container = pod["containers"][0]
        pre_stop = (((container.get("lifecycle") or {}).get("preStop") or {}).get("exec") or {}).get("command", [])
        pre_stop_seconds = int(pre_stop[-1]) if pre_stop[:1] == ["sleep"] else 0
        budget = pre_stop_seconds + SQS_SHUTDOWN_SECONDS
        R.check(pod.get("terminationGracePeriodSeconds", 30) >= budget,
                f"{name} {svc}: terminationGracePeriodSeconds {pod.get('terminationGracePeriodSeconds', 30)} "
                f">= preStop {pre_stop_seconds} s + SQS listener/ack/web shutdown {SQS_SHUTDOWN_SECONDS} s")

        # Settings: section 7 (check_settings) holds what is set against what the service reads.
        for source in container.get("envFrom", []) or []:
            if "configMapRef" in source:
                ref = source["configMapRef"]["name"]
                R.check(ref in configmaps, f"{name} {svc}: ConfigMap {ref} exists")
        tree = service_settings(svc)[2]
        queue = tree["esteira"]["aws"]["queues"][CONSUMES[svc]]
        env_queue = {**{k: v for m in configmaps.values() for k, v in m.items()}}.get(
            relaxed(f"esteira.aws.queues.{CONSUMES[svc]}"))
        R.check(env_queue == queue, f"{name} {svc}: consumes {queue} in the cluster too ({env_queue})")

    # NetworkPolicies: default deny; only ingest and invoice take traffic from anywhere; only crm-sync reaches out.
    policies = by_kind.get("NetworkPolicy", [])
    R.check(any(p["spec"].get("podSelector") == {} and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
                and not p["spec"].get("ingress") and not p["spec"].get("egress") for p in policies),
            f"{name}: a default-deny NetworkPolicy for ingress and egress")

    def selected(policy):
        selector = policy["spec"].get("podSelector") or {}
        chosen = set()
        for svc, deployment in deployments.items():
            pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
            ok = all(pod_labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())
            for expr in selector.get("matchExpressions") or []:
                value = pod_labels.get(expr["key"])
                ok = ok and (value in expr["values"] if expr["operator"] == "In" else value not in expr["values"])
            if ok:
                chosen.add(svc)
        return chosen

    for policy in policies:
        pname = policy["metadata"]["name"]
        for rule in policy["spec"].get("ingress") or []:
            if not rule.get("from"):
                R.check(selected(policy) <= PUBLIC_SERVICES,
                        f"{name} NetworkPolicy/{pname}: ingress from anywhere only for ingest and invoice")
        for rule in policy["spec"].get("egress") or []:
            internet = any((peer.get("ipBlock") or {}).get("cidr") == "0.0.0.0/0" for peer in rule.get("to") or [])
            if internet or not rule.get("to"):
                R.check(selected(policy) <= INTERNET_CLIENTS,
                        f"{name} NetworkPolicy/{pname}: egress to the internet only for {sorted(INTERNET_CLIENTS)}")

    # Secrets are references: no Secret with values in the eks overlay; each referenced one comes from somewhere.
    produced = {o["metadata"]["name"] for o in by_kind.get("Secret", [])}
    produced |= {o["spec"]["target"]["name"] for o in by_kind.get("ExternalSecret", [])}
    for svc, deployment in deployments.items():
        container = pod_spec(deployment)["containers"][0]
        refs = [e["valueFrom"]["secretKeyRef"] for e in container.get("env", []) if "valueFrom" in e
                and "secretKeyRef" in e["valueFrom"]]
        refs += [s["secretRef"] for s in container.get("envFrom", []) if "secretRef" in s]
        for ref in refs:
            R.check(ref["name"] in produced or ref.get("optional") is True,
                    f"{name} {svc}: Secret {ref['name']} is created (Secret or ExternalSecret)")

    if name == "eks":
        R.check(not by_kind.get("Secret"), "eks: no Secret objects (values come from External Secrets)")
        for account, role in [(svc, f"esteira-{svc}") for svc in SERVICES] + [("esteira-backup", "esteira-backup")]:
            sa = named.get(("ServiceAccount", account), {})
            arn = (sa.get("metadata", {}).get("annotations") or {}).get("eks.amazonaws.com/role-arn", "")
            R.check(arn.endswith(f":role/{role}"), f"eks {account}: IRSA role annotation ({arn})")
        scaled = {o["spec"]["scaleTargetRef"]["name"]: o for o in by_kind.get("ScaledObject", [])}
        hpas = {o["spec"]["scaleTargetRef"]["name"] for o in by_kind.get("HorizontalPodAutoscaler", [])}
        auths = {o["metadata"]["name"]: o for o in by_kind.get("TriggerAuthentication", [])}
        for svc in SERVICES:
            queue = service_settings(svc)[2]["esteira"]["aws"]["queues"][CONSUMES[svc]]
            triggers = (scaled.get(svc) or {}).get("spec", {}).get("triggers", [])
            sqs = [t for t in triggers if t["type"] == "aws-sqs-queue"]
            R.check(sqs and sqs[0]["metadata"]["queueURL"].endswith("/" + queue),
                    f"eks {svc}: KEDA ScaledObject on its queue {queue}")
            auth = auths.get(((sqs or [{}])[0].get("authenticationRef") or {}).get("name"), {})
            R.check((auth.get("spec", {}).get("podIdentity") or {}).get("provider") == "aws",
                    f"eks {svc}: KEDA authenticates with AWS pod identity (IRSA)")
            R.check(svc not in hpas, f"eks {svc}: no second autoscaler besides its ScaledObject")
            if svc in PUBLIC_SERVICES:
                R.check(any(t["type"] == "cpu" for t in triggers), f"eks {svc}: scales on CPU too (API)")
        backends = set()
        paths = set()
        for ingress in by_kind.get("Ingress", []):
            R.check(ingress["spec"].get("ingressClassName") == "alb", "eks: Ingress served by the AWS LB Controller")
            for rule in ingress["spec"]["rules"]:
                for path in rule["http"]["paths"]:
                    backends.add(path["backend"]["service"]["name"])
                    paths.add((path["path"], path["backend"]["service"]["name"]))
        R.check(backends == PUBLIC_SERVICES, f"eks: the Ingress routes to ingest and invoice only ({backends})")
        R.check({("/api/uploads", "ingest"), ("/files", "ingest"), ("/api/invoices", "invoice")} <= paths,
                "eks: Ingress paths /api/uploads, /files -> ingest and /api/invoices -> invoice")
    else:
        hpa_targets = {o["spec"]["scaleTargetRef"]["name"] for o in by_kind.get("HorizontalPodAutoscaler", [])}
        scaled_targets = {o["spec"]["scaleTargetRef"]["name"] for o in by_kind.get("ScaledObject", [])}
        R.check(not (hpa_targets & scaled_targets), f"{name}: no Deployment has both an HPA and a ScaledObject")
    return exempt


def check_database_k8s(name, objects):
    """Each service logs in as its own role (its own Secret); on EKS over TLS verify-full with the RDS CA mounted."""
    deployments = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Deployment"
                   and labels_of(o).get("app.kubernetes.io/part-of") == "esteira"}
    cronjobs = {o["metadata"]["name"]: o for o in objects if o["kind"] == "CronJob"}

    def secret_refs(container):
        return {e["name"]: (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
                for e in container.get("env", []) or [] if "secretKeyRef" in (e.get("valueFrom") or {})}

    workloads = [(svc, pod_spec(d), pod_spec(d)["containers"][0]) for svc, d in deployments.items()]
    backup = cronjobs.get("esteira-backup")
    if R.check(backup is not None, f"{name}: the esteira-backup CronJob exists"):
        dump = [c for c in pod_spec(backup).get("initContainers", []) if c["name"] == "dump"]
        if R.check(bool(dump), f"{name}: the backup CronJob has its dump container"):
            workloads.append(("backup", pod_spec(backup), dump[0]))
    used = set()
    for who, pod, container in workloads:
        refs = secret_refs(container)
        secret = f"esteira-database-{who}"
        # kind's secretGenerator appends a content hash to the name.
        unhashed = {k: (re.sub(r"-[a-z0-9]{10}$", "", n) if n.startswith(secret + "-") else n, key)
                    for k, (n, key) in refs.items()}
        R.check(unhashed.get("DATABASE_USERNAME") == (secret, "username")
                and unhashed.get("DATABASE_PASSWORD") == (secret, "password"),
                f"{name} {who}: DATABASE_USERNAME and DATABASE_PASSWORD from its own Secret {secret} ({refs})")
        used.add(refs.get("DATABASE_PASSWORD"))
    R.check(len(used) == len(workloads), f"{name}: no two workloads share a database login")
    config = {k: v for o in objects if o["kind"] == "ConfigMap" for k, v in (o.get("data") or {}).items()}
    R.check("DATABASE_USERNAME" not in config, f"{name}: no shared DATABASE_USERNAME in a ConfigMap")
    if name != "eks":
        return
    url = config.get("DATABASE_URL", "")
    query = dict(part.split("=", 1) for part in url.partition("?")[2].split("&") if "=" in part)
    root_cert = query.get("sslrootcert", "")
    R.check(query.get("sslmode") == "verify-full" and root_cert.startswith("/"),
            f"eks: DATABASE_URL uses sslmode=verify-full with an sslrootcert file ({url})")
    for who, pod, container in workloads:
        volumes = {v["name"]: v for v in pod.get("volumes", []) or []}
        mounted = [m for m in container.get("volumeMounts", []) or []
                   if os.path.dirname(root_cert) == m["mountPath"].rstrip("/")
                   and (volumes.get(m["name"], {}).get("configMap") or {}).get("name") == "rds-ca-bundle"]
        R.check(bool(mounted) and all(m.get("readOnly") for m in mounted),
                f"eks {who}: the RDS CA bundle (ConfigMap rds-ca-bundle) is mounted read-only at "
                f"{os.path.dirname(root_cert)}")
    externals = {o["spec"]["target"]["name"]: o for o in objects if o["kind"] == "ExternalSecret"}
    for who, _, _ in workloads:
        data = {d["secretKey"]: d["remoteRef"] for d in
                (externals.get(f"esteira-database-{who}") or {}).get("spec", {}).get("data", [])}
        R.check(all((data.get(k) or {}).get("key") == f"esteira/database/{who}" and data[k].get("property") == k
                    for k in ("username", "password")),
                f"eks {who}: ExternalSecret esteira-database-{who} reads esteira/database/{who}")
    R.check(not any(ref.get("key") == "esteira/database" for o in externals.values()
                    for ref in [d["remoteRef"] for d in o["spec"].get("data", [])]),
            "eks: the master user's secret esteira/database is not brought into the cluster")


def check_database_files():
    """deploy/database/service-roles.sql creates the roles the secrets name, each owning only its schema."""
    R.section("database: one role per service, owning only its schema; TLS verify-full on AWS")
    base = os.path.join(ROOT, "deploy/database")
    main = open(os.path.join(base, "service-roles.sql")).read()
    one = open(os.path.join(base, "service-role.sql")).read()
    R.check(re.search(r"^\s*\\set role_prefix esteira_$", main, re.M) is not None,
            "service-roles.sql: roles are esteira_<schema> by default")
    for schema in SCHEMAS.values():
        R.check(re.search(rf"^\\set schema {schema}\n\\set password :{schema}_password\n\\ir service-role.sql$",
                          main, re.M) is not None, f"service-roles.sql: creates the role and schema of {schema}")
    R.check('\\set role :role_prefix :schema' in one and 'AUTHORIZATION :"role"' in one
            and 'ALTER SCHEMA :"schema" OWNER TO :"role"' in one and 'REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC' in one,
            "service-role.sql: the schema belongs to its role and nobody else may use it")
    R.check(re.search(r"NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS", one) is not None,
            "service-role.sql: service roles have no other attribute")
    R.check("REVOKE ALL ON DATABASE" in main and "REVOKE CREATE ON SCHEMA public FROM PUBLIC" in main,
            "service-roles.sql: no CREATE/TEMP on the database and no CREATE on public for anyone by default")
    R.check("GRANT SELECT ON TABLES TO :\"backup_role\"" in one and "GRANT INSERT" not in one,
            "service-role.sql: the backup role only reads")

    template = yaml.load(open(os.path.join(ROOT, "deploy/cloudformation/esteira.yaml")), Loader=CfnLoader)
    secrets, readable = stack_secrets(template)
    for who, schema in list(SCHEMAS.items()) + [("backup", "backup")]:
        rname, props = secrets.get(f"esteira/database/{who}", (None, {}))
        generated = props.get("GenerateSecretString") or {}
        template_text = generated.get("SecretStringTemplate", "{}")
        R.check(rname and json.loads(template_text).get("username") == f"esteira_{schema}"
                and generated.get("GenerateStringKey") == "password",
                f"cloudformation: secret esteira/database/{who} holds role esteira_{schema} and a generated password")
        R.check(rname in readable, f"cloudformation: External Secrets and EC2 may read esteira/database/{who}")
    master = secrets.get("esteira/database", (None, {}))[0]
    R.check(master and master not in readable,
            "cloudformation: the master user's secret is not readable by the services' readers")

    settings = env_file_keys(open(os.path.join(ROOT, "deploy/ec2/esteira.env.example")).read())
    url = settings.get("DATABASE_URL", "")
    query = dict(part.split("=", 1) for part in url.partition("?")[2].split("&") if "=" in part)
    root_cert = query.get("sslrootcert", "")
    R.check(query.get("sslmode") == "verify-full" and root_cert.startswith("/"),
            f"ec2: DATABASE_URL uses sslmode=verify-full with an sslrootcert file ({url})")
    R.check("DATABASE_USERNAME" not in settings, "ec2: no shared DATABASE_USERNAME in esteira.env")
    compose = yaml.safe_load(open(os.path.join(ROOT, "deploy/ec2/compose.yaml")))
    for svc in SERVICES:
        volumes = (compose["services"].get(svc) or {}).get("volumes", [])
        R.check(f"{os.path.dirname(root_cert)}:{os.path.dirname(root_cert)}:ro" in volumes,
                f"ec2 {svc}: the RDS CA bundle directory is mounted read-only ({volumes})")
    R.end_section()


def check_kubernetes():
    """Renders and checks every overlay; returns {overlay: objects} of the top-level overlays."""
    R.section("kubernetes: render every overlay and check the policy")
    rendered = {}
    overlays = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(ROOT, "k8s/overlays/*/kustomization.yaml")))
    extra = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(ROOT, "k8s/overlays/*/*/kustomization.yaml")))
    R.check(len(overlays) >= 2, f"at least two overlays ({[os.path.basename(o) for o in overlays]})")
    exempt = 0
    for directory in overlays + extra:
        rel = os.path.relpath(directory, ROOT)
        objects, error = render(directory)
        if not R.check(objects is not None, f"kubectl kustomize {rel} renders: {error}"):
            continue
        if directory in overlays:
            rendered[os.path.basename(directory)] = objects
            exempt += check_overlay(os.path.basename(directory), objects)
            check_database_k8s(os.path.basename(directory), objects)
        else:
            R.check(all(labels_of(o).get("app.kubernetes.io/part-of") in EXEMPT_PART_OF for o in objects
                        if o["kind"] in WORKLOAD_KINDS), f"{rel}: holds local dependencies only")
            exempt += sum(1 for o in objects if o["kind"] in WORKLOAD_KINDS)
    R.end_section(f" ({exempt} third-party local-cluster workloads rendered but not held to the policy)"
                  if exempt else "")
    return rendered


# ---------------------------------------------------------------------------------------------- cloudformation


PSEUDO = {"AWS::AccountId", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackName", "AWS::StackId",
          "AWS::URLSuffix", "AWS::NotificationARNs"}
READ_ONLY_VERBS = ("Get", "List", "Describe", "Head")
# Name property and its length limit, for the named resources the template creates.
NAME_LIMITS = {"AWS::ElasticLoadBalancingV2::TargetGroup": ("Name", 32), "AWS::ElasticLoadBalancingV2::LoadBalancer": ("Name", 32),
               "AWS::EC2::LaunchTemplate": ("LaunchTemplateName", 128), "AWS::AutoScaling::AutoScalingGroup": ("AutoScalingGroupName", 255),
               "AWS::Backup::BackupVault": ("BackupVaultName", 50), "AWS::Events::Rule": ("Name", 64),
               "AWS::IAM::Role": ("RoleName", 64), "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", 128),
               "AWS::IAM::InstanceProfile": ("InstanceProfileName", 128), "AWS::SQS::Queue": ("QueueName", 80),
               "AWS::SNS::Topic": ("TopicName", 256), "AWS::RDS::DBInstance": ("DBInstanceIdentifier", 63),
               "AWS::S3::Bucket": ("BucketName", 63)}


def walk(node, visit, conditions=()):
    """Visits every intrinsic with the Fn::If conditions that hold where it sits."""
    if isinstance(node, dict):
        if len(node) == 1:
            (key, value), = node.items()
            visit(key, value, conditions)
            if key == "Fn::If" and isinstance(value, list) and len(value) == 3:
                walk(value[1], visit, conditions + (value[0],))
                walk(value[2], visit, conditions)
                return
        for value in node.values():
            walk(value, visit, conditions)
    elif isinstance(node, list):
        for value in node:
            walk(value, visit, conditions)


def sub_names(value):
    template, local = (value, {}) if isinstance(value, str) else (value[0], value[1])
    names = [n for n in re.findall(r"\$\{([^}!][^}]*)}", template)]
    return [n for n in names if n.split(".")[0] not in local], local


def implied(conditions, definitions):
    """Conditions implied by the given ones (HasKeda = And(HasEks, ...) implies HasEks; HasEc2 = Or(..., HasEc2Fleet)
    is implied by HasEc2Fleet)."""
    result = set(conditions)
    changed = True
    while changed:
        changed = False
        for name in list(result):
            for part in (definitions.get(name) or {}).get("Fn::And", []):
                if isinstance(part, dict) and "Condition" in part and part["Condition"] not in result:
                    result.add(part["Condition"])
                    changed = True
        for name, definition in definitions.items():
            parts = (definition or {}).get("Fn::Or", []) if isinstance(definition, dict) else []
            if name not in result and any(isinstance(p, dict) and p.get("Condition") in result for p in parts):
                result.add(name)
                changed = True
    return result


def policy_documents(resources):
    """(where, document) of every identity policy in the template."""
    for name, resource in resources.items():
        props = resource.get("Properties", {}) or {}
        if resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            yield name, props.get("PolicyDocument")
        if resource["Type"] == "AWS::IAM::Role":
            for policy in props.get("Policies", []) or []:
                yield f"{name}/{policy.get('PolicyName')}", policy.get("PolicyDocument")


def check_template(path):
    rel = os.path.relpath(path, ROOT)
    try:
        template = yaml.load(open(path), Loader=CfnLoader)
    except yaml.YAMLError as error:
        R.check(False, f"{rel} parses: {error}")
        return
    R.check(isinstance(template, dict) and "Resources" in template, f"{rel} parses and has Resources")
    parameters = template.get("Parameters", {}) or {}
    resources = template.get("Resources", {}) or {}
    condition_defs = template.get("Conditions", {}) or {}
    known = set(parameters) | set(resources) | PSEUDO

    # References resolve, and a reference to a conditional resource only where that condition holds.
    def check_refs(owner, body, owner_condition):
        problems = []

        def visit(key, value, conditions):
            holds = implied(set(conditions) | ({owner_condition} if owner_condition else set()), condition_defs)
            targets = []
            if key == "Ref":
                targets = [value] if isinstance(value, str) else []
            elif key == "Fn::GetAtt":
                targets = [value[0] if isinstance(value, list) else str(value).split(".")[0]]
            elif key == "Fn::Sub":
                names, _ = sub_names(value)
                targets = [n.split(".")[0] if n.split(".")[0] in resources else n for n in names]
            elif key in ("Fn::If", "Condition") and owner != "Conditions":
                cond = value[0] if key == "Fn::If" else value
                if isinstance(cond, str) and cond not in condition_defs:
                    problems.append(f"condition {cond}")
            for target in targets:
                if target not in known:
                    problems.append(f"{key} {target}")
                elif target in resources and resources[target].get("Condition") \
                        and resources[target]["Condition"] not in holds:
                    problems.append(f"{key} {target} outside its condition {resources[target]['Condition']}")

        walk(body, visit)
        R.check(not problems, f"{rel} {owner}: every reference resolves ({problems})")

    for name, resource in resources.items():
        condition = resource.get("Condition")
        if condition:
            R.check(condition in condition_defs, f"{rel} {name}: condition {condition} is defined")
        for dependency in as_list(resource.get("DependsOn", [])):
            R.check(dependency in resources, f"{rel} {name}: DependsOn {dependency} exists")
        check_refs(name, resource.get("Properties", {}), condition)
    for name, output in (template.get("Outputs", {}) or {}).items():
        check_refs(f"Outputs.{name}", output.get("Value"), output.get("Condition"))
    check_refs("Conditions", condition_defs, None)

    # JSON written as Fn::Sub strings (IRSA trust documents, the dashboard) parses once substituted.
    def sub_json(key, value, conditions):
        template = value if isinstance(value, str) else value[0] if isinstance(value, list) else ""
        if isinstance(template, str) and template.lstrip().startswith("{") and "\n" in template:
            # A variable inside a JSON string stands for text; outside, for a fragment that may be empty (${Keda}).
            text = re.sub(r"\$\{[^}!][^}]*}",
                          lambda m: "x" if template[:m.start()].replace('\\"', "").count('"') % 2 else "", template)
            try:
                json.loads(text)
                R.check(True, "")
            except ValueError as error:
                R.check(False, f"{rel}: a Fn::Sub JSON document parses ({error}): {template[:80]!r}")

    walk(resources, sub_json)

    # IAM: no write action on "*", no wildcard actions; web-identity trust pinned to one service account.
    for where, document in policy_documents(resources):
        for statement in statements(document):
            if statement.get("Effect") != "Allow":
                continue
            actions = [a for a in as_list(statement.get("Action", [])) if isinstance(a, str)]
            resources_ = as_list(statement.get("Resource", []))
            R.check(not any(a == "*" or a.endswith(":*") for a in actions),
                    f"{rel} {where} {statement.get('Sid', '')}: no wildcard actions ({actions})")
            if any(r == "*" for r in resources_):
                writes = [a for a in actions if not a.split(":", 1)[-1].startswith(READ_ONLY_VERBS)]
                # PutMetricData has no resource-level permissions; a namespace condition is the only scope it takes.
                if writes == ["cloudwatch:PutMetricData"]:
                    condition = json.dumps(statement.get("Condition", {}))
                    R.check('"cloudwatch:namespace"' in condition,
                            f"{rel} {where} {statement.get('Sid', '')}: PutMetricData on '*' is scoped to a namespace")
                    continue
                R.check(not writes, f"{rel} {where} {statement.get('Sid', '')}: no write action on '*' ({writes})")
            else:
                R.check(True, "")
    for name, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        trust = resource["Properties"]["AssumeRolePolicyDocument"]
        text = json.dumps(trust)
        if "AssumeRoleWithWebIdentity" in text:
            R.check(":sub" in text and "system:serviceaccount:" in text and "*" not in text.split(":sub")[1][:80],
                    f"{rel} {name}: web-identity trust pinned to one service account")

    # Resource policies never open anything to the public.
    for name, resource in resources.items():
        if resource["Type"] in ("AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"):
            for statement in statements(resource["Properties"]["PolicyDocument"]):
                if statement.get("Effect") == "Allow":
                    R.check(statement.get("Principal") not in ("*", {"AWS": "*"}),
                            f"{rel} {name} {statement.get('Sid', '')}: no Allow to Principal '*'")

    # Buckets: encrypted, Block Public Access, TLS-only bucket policy, versioned, lifecycle rules.
    def denies_insecure(bucket):
        for resource in resources.values():
            if resource["Type"] == "AWS::S3::BucketPolicy" and resource["Properties"].get("Bucket") == {"Ref": bucket}:
                for statement in statements(resource["Properties"]["PolicyDocument"]):
                    bool_ = (statement.get("Condition") or {}).get("Bool") or {}
                    if statement.get("Effect") == "Deny" and str(bool_.get("aws:SecureTransport")).lower() == "false":
                        return True
        return False

    buckets = [n for n, r in resources.items() if r["Type"] == "AWS::S3::Bucket"]
    for bucket in buckets:
        props = resources[bucket].get("Properties", {}) or {}
        rules = ((props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration") or [])
        algorithms = [((r.get("ServerSideEncryptionByDefault") or {}).get("SSEAlgorithm")) for r in rules]
        R.check(rules and all(algorithms), f"{rel} {bucket}: default encryption")
        pab = props.get("PublicAccessBlockConfiguration") or {}
        R.check(all(pab.get(k) is True for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                                                 "RestrictPublicBuckets")), f"{rel} {bucket}: Block Public Access")
        R.check(denies_insecure(bucket), f"{rel} {bucket}: bucket policy denies non-TLS requests")
        R.check((props.get("VersioningConfiguration") or {}).get("Status") == "Enabled", f"{rel} {bucket}: versioned")
        R.check(bool((props.get("LifecycleConfiguration") or {}).get("Rules")), f"{rel} {bucket}: lifecycle rules")

    # Queues: every source queue has a DLQ in the template, which keeps messages longer than its source.
    queues = {n: r.get("Properties", {}) or {} for n, r in resources.items() if r["Type"] == "AWS::SQS::Queue"}
    dlqs = set()
    for props in queues.values():
        target = ((props.get("RedrivePolicy") or {}).get("deadLetterTargetArn") or {}).get("Fn::GetAtt", [None])[0]
        if target:
            dlqs.add(target)

    def number(value):
        if isinstance(value, dict) and "Ref" in value:
            return int(parameters[value["Ref"]].get("Default", 0))
        return int(value if value is not None else 345600)

    for queue, props in queues.items():
        if queue in dlqs:
            continue
        redrive = props.get("RedrivePolicy") or {}
        target = ((redrive.get("deadLetterTargetArn") or {}).get("Fn::GetAtt") or [None])[0]
        if R.check(target in queues, f"{rel} {queue}: has a dead-letter queue"):
            R.check(number(queues[target].get("MessageRetentionPeriod")) > number(props.get("MessageRetentionPeriod")),
                    f"{rel} {queue}: its DLQ keeps messages longer than it does")
            R.check(any(r["Type"] == "AWS::CloudWatch::Alarm" and json.dumps(r["Properties"].get("Dimensions")).find(
                f'"{target}"') >= 0 for r in resources.values()), f"{rel} {queue}: an alarm watches its DLQ")
        R.check("maxReceiveCount" in redrive, f"{rel} {queue}: redrive policy has maxReceiveCount")

    # The queue and bucket names the services use, and the visibility timeouts their settings need.
    names = {}
    for queue, props in queues.items():
        qname = props.get("QueueName", {})
        if isinstance(qname, dict) and "Fn::Sub" in qname:
            names[qname["Fn::Sub"].replace("${ResourcePrefix}", "esteira")] = (queue, props)
    crm = service_settings("crm-sync")[2]["esteira"]["crm"]["hubspot"]
    needs = {"image-events": duration_seconds(crm["connect-timeout"]) + duration_seconds(crm["read-timeout"])}
    used = {(key, queue_name) for svc in SERVICES
            for key, queue_name in service_settings(svc)[2]["esteira"]["aws"]["queues"].items()}
    for key, queue_name in sorted(used):
        R.check(queue_name in names and f"{queue_name}-dlq" in names,
                f"{rel}: the services' queue {queue_name} and {queue_name}-dlq exist")
        if queue_name in names and key in needs:
            visibility = number(names[queue_name][1].get("VisibilityTimeout"))
            R.check(visibility >= 3 * needs[key],
                    f"{rel} {queue_name}: visibility {visibility} s >= 3 x the consumer's timeouts ({needs[key]} s)")

    # Every consumer marks its step FAILED on its retry policy's last attempt (contracts' RetryPolicies): each step's
    # max-attempts must agree with the redrive policy.
    for service, step in (("crm-sync", "crm-sync"), ("image-processing", "thumbnail"), ("invoice", "invoice-import"),
                          ("ingest", "status")):
        retry = service_settings(service)[2].get("esteira", {}).get("retry") or {}
        policy = (retry.get("steps") or {}).get(step) or retry.get("default") or {}
        attempts = policy.get("max-attempts", 5)
        if "MaxReceiveCount" in parameters:
            R.check(int(attempts) == int(parameters["MaxReceiveCount"]["Default"]),
                    f"{rel}: MaxReceiveCount {parameters['MaxReceiveCount']['Default']} = {service}'s "
                    f"esteira.retry.steps.{step}.max-attempts {attempts}")

    # S3 -> SQS: each notification's queue lets s3.amazonaws.com send, from that bucket only.
    for bucket in buckets:
        config = (resources[bucket].get("Properties", {}) or {}).get("NotificationConfiguration") or {}
        for notification in config.get("QueueConfigurations", []) or []:
            target = notification["Queue"]["Fn::GetAtt"][0]
            allowed = False
            for resource in resources.values():
                if resource["Type"] != "AWS::SQS::QueuePolicy" or {"Ref": target} not in resource["Properties"]["Queues"]:
                    continue
                for statement in statements(resource["Properties"]["PolicyDocument"]):
                    if statement.get("Effect") == "Allow" and statement.get("Principal") == {"Service": "s3.amazonaws.com"} \
                            and "aws:SourceArn" in json.dumps(statement.get("Condition")):
                        allowed = True
            R.check(allowed, f"{rel} {bucket} -> {target}: queue policy lets S3 send, from this bucket only")
            prefix = notification["Filter"]["S3Key"]["Rules"][0]["Value"]
            R.check(prefix in ("images/", "invoices/"), f"{rel} {bucket} -> {target}: prefix {prefix}")

    # Database: private, encrypted, backed up, protected.
    for name, resource in resources.items():
        if resource["Type"] == "AWS::RDS::DBInstance":
            props = resource["Properties"]
            R.check(props.get("StorageEncrypted") is True, f"{rel} {name}: storage encrypted")
            R.check(props.get("PubliclyAccessible") is False, f"{rel} {name}: not publicly accessible")
            R.check(props.get("DeletionProtection") is True, f"{rel} {name}: deletion protection")
            R.check(number(props.get("BackupRetentionPeriod", 0)) >= 1, f"{rel} {name}: automated backups")
            R.check(resource.get("DeletionPolicy") == "Snapshot", f"{rel} {name}: snapshot on delete")

    # Names stay within AWS's limits with the longest ResourcePrefix the parameter allows.
    widest = re.search(r"\{\d+,(\d+)}", (parameters.get("ResourcePrefix") or {}).get("AllowedPattern", "{1,20}"))
    prefix = "x" * (1 + int(widest.group(1)))
    for name, resource in resources.items():
        key, limit = NAME_LIMITS.get(resource["Type"], (None, None))
        value = (resource.get("Properties") or {}).get(key)
        if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
            longest = value["Fn::Sub"].replace("${ResourcePrefix}", prefix).replace(
                "${AWS::AccountId}", "1" * 12).replace("${AWS::Region}", "ap-southeast-5")
            R.check(len(longest) <= limit, f"{rel} {name}: {key} {longest} fits in {limit} characters")

    # Above 51,200 bytes CloudFormation takes a template only from S3: every documented deploy command says so.
    size = os.path.getsize(path)
    R.check(size <= 1_000_000, f"{rel}: {size} bytes, within the 1 MB a template in S3 may have")
    if size > 51_200:
        readme = open(os.path.join(ROOT, "deploy/README.md")).read()
        commands = re.findall(r"^\s*aws cloudformation deploy(?:[^\n]*\\\n)*[^\n]*", readme, re.M)
        R.check(commands and all("--s3-bucket" in c for c in commands),
                f"{rel}: {size} bytes > 51,200: each `aws cloudformation deploy` in deploy/README.md uploads it "
                f"through --s3-bucket ({len(commands)} commands)")

    if shutil.which("cfn-lint"):
        result = subprocess.run(["cfn-lint", "--", path], capture_output=True, text=True)
        R.check(result.returncode == 0, f"cfn-lint {rel}: {result.stdout.strip()[:2000]}")


def check_cloudformation():
    R.section("cloudformation")
    templates = sorted(glob.glob(os.path.join(ROOT, "deploy/cloudformation/*.yaml")))
    R.check(templates, "deploy/cloudformation has a template")
    for path in templates:
        check_template(path)
    R.end_section("" if shutil.which("cfn-lint") else " (cfn-lint not installed: schema lint skipped)")


# ---------------------------------------------------------------------------------------------- ec2


def check_ec2():
    R.section("ec2: production compose file, systemd units, log shipping")
    base = os.path.join(ROOT, "deploy/ec2")
    compose = yaml.safe_load(open(os.path.join(base, "compose.yaml")))
    settings = env_file_keys(open(os.path.join(base, "esteira.env.example")).read())
    script = open(os.path.join(base, "esteira-secrets.sh")).read()
    services = compose.get("services", {})
    R.check(set(services) == set(SERVICES), f"compose.yaml runs the four services and nothing else ({sorted(services)})")
    R.check(not settings.get("AWS_ENDPOINT_URL") and "AWS_ACCESS_KEY_ID" not in json.dumps(compose) + str(settings),
            "ec2: real AWS endpoints, no static credentials (instance profile)")
    # What each service gets against what it reads: section 7 (check_settings).
    for svc in SERVICES:
        definition = services.get(svc, {})
        written = re.search(rf"^write {re.escape(svc)} (.*)$", script, re.M)
        written_vars = re.findall(r"\$(\w+)", written.group(1) if written else "")
        R.check(f"db_{SCHEMAS[svc]}" in written_vars and not any(v.startswith("db_") and v != f"db_{SCHEMAS[svc]}"
                                                                  for v in written_vars),
                f"ec2 {svc}: gets its own database role's secret only ({written_vars})")
        R.check(f"/run/esteira/{svc}.env" in definition.get("env_file", []), f"ec2 {svc}: reads its own secrets file")
        image = definition.get("image", "")
        R.check(image.endswith(":${ESTEIRA_VERSION:?}") and f"/esteira/{svc}:" in image,
                f"ec2 {svc}: image pinned by ESTEIRA_VERSION ({image})")
        grace = int(str(definition.get("stop_grace_period", "10s")).rstrip("s"))
        R.check(grace >= SQS_SHUTDOWN_SECONDS, f"ec2 {svc}: stop_grace_period {grace} s covers the SQS shutdown")
        R.check(definition.get("read_only") is True and definition.get("cap_drop") == ["ALL"]
                and "no-new-privileges:true" in definition.get("security_opt", []),
                f"ec2 {svc}: read-only root, no capabilities, no new privileges")
        R.check("healthcheck" in definition and definition.get("restart") == "unless-stopped",
                f"ec2 {svc}: healthcheck and restart policy")
        R.check((definition.get("logging") or {}).get("driver") == "awslogs", f"ec2 {svc}: logs to CloudWatch")
        public = [p for p in definition.get("ports", []) if not str(p).startswith("127.0.0.1:")]
        R.check(bool(public) == (svc in PUBLIC_SERVICES), f"ec2 {svc}: only ingest and invoice publish a port ({public})")
    unit = open(os.path.join(base, "systemd/esteira@.service")).read()
    stop = int(re.search(r"^TimeoutStopSec=(\d+)", unit, re.M).group(1))
    R.check(stop >= SQS_SHUTDOWN_SECONDS, f"ec2 esteira@.service: TimeoutStopSec {stop} covers the SQS shutdown")
    R.check("User=esteira" in unit and "NoNewPrivileges=yes" in unit, "ec2 esteira@.service: unprivileged user")
    agent = json.load(open(os.path.join(base, "cloudwatch-agent.json")))
    shipped = {f["file_path"] for f in agent["logs"]["logs_collected"]["files"]["collect_list"]}
    R.check(shipped == {f"/var/log/esteira/{svc}.log" for svc in SERVICES} and
            "StandardOutput=append:/var/log/esteira/%i.log" in unit, "ec2: the CloudWatch agent ships each jar's log")
    R.end_section()


PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
                "offset", "le", "inf", "nan"}


def promql_metrics(expr):
    """Metric names an expression uses: identifiers that are not functions, keywords, labels or durations."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', str(expr))            # string literals
    text = re.sub(r"\{[^}]*}", "", text)                                  # label matchers
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r"\[[^\]]*]", "", text)                                # range selectors
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        name = match.group(0)
        following = text[match.end():].lstrip()[:1]
        if following == "(" or name.lower() in PROMQL_WORDS:
            continue
        names.add(name)
    return names


def known_metrics():
    """deploy/metrics.txt: (name -> type); a histogram also allows _bucket, _count, _sum and _max."""
    allowed = {}
    for line in open(os.path.join(ROOT, "deploy/metrics.txt")):
        if line.strip() and not line.startswith("#"):
            name, kind = line.split()[:2]
            allowed[name] = kind
            if kind == "histogram":
                for suffix in ("_bucket", "_count", "_sum", "_max"):
                    allowed[name + suffix] = kind
    return allowed


def check_observability():
    R.section("observability: JSON logs, tracing settings, alert rules, dashboard, metric names, CloudWatch alarms")
    # Structured logs everywhere the services are deployed.
    for overlay in ("eks", "kind"):
        objects, _ = render(os.path.join(ROOT, "k8s/overlays", overlay))
        config = next((o.get("data") or {} for o in objects or [] if o["kind"] == "ConfigMap"
                       and o["metadata"]["name"] == "esteira-config"), {})
        R.check(config.get("LOGGING_STRUCTURED_FORMAT_CONSOLE") == "ecs", f"{overlay}: JSON (ECS) log lines")
        R.check(0 < float(config.get("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0")) <= 1,
                f"{overlay}: a tracing sampling probability is set")
        if overlay == "eks":
            endpoint = config.get("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "")
            R.check(endpoint.startswith("http") and endpoint.endswith("/v1/traces"),
                    f"eks: traces exported over OTLP/HTTP ({endpoint})")
            port = re.search(r":(\d+)/", endpoint)
            R.check(any(o["kind"] == "NetworkPolicy" and any(p.get("port") == int(port.group(1)) for rule in
                        o["spec"].get("egress") or [] for p in rule.get("ports") or []) for o in objects) if port
                    else False, "eks: a NetworkPolicy lets the pods reach the trace collector's port")
            kinds = {(o["kind"], o["metadata"]["name"]) for o in objects}
            R.check({("PrometheusRule", "esteira"), ("ServiceMonitor", "esteira"),
                     ("ConfigMap", "esteira-grafana-dashboard")} <= kinds,
                    "eks: PrometheusRule, ServiceMonitor and the Grafana dashboard ConfigMap are rendered")
            dashboard_cm = next((o for o in objects if o["kind"] == "ConfigMap"
                                 and o["metadata"]["name"] == "esteira-grafana-dashboard"), {})
            R.check(labels_of(dashboard_cm).get("grafana_dashboard") == "1",
                    "eks: the dashboard ConfigMap carries the grafana_dashboard label")
            shipped = (dashboard_cm.get("data") or {}).get("esteira.json", "")
            R.check(shipped == open(os.path.join(ROOT, "deploy/grafana/esteira.json")).read(),
                    "eks: the ConfigMap ships deploy/grafana/esteira.json as it is")
            rule = next((o for o in objects if o["kind"] == "PrometheusRule"), {})
            plain = yaml.safe_load(open(os.path.join(ROOT, "deploy/prometheus/esteira-rules.yml")))
            R.check(rule.get("spec", {}).get("groups") == plain.get("groups"),
                    "the PrometheusRule and deploy/prometheus/esteira-rules.yml hold the same rules")
    settings = env_file_keys(open(os.path.join(ROOT, "deploy/ec2/esteira.env.example")).read())
    R.check(settings.get("LOGGING_STRUCTURED_FORMAT_CONSOLE") == "ecs", "ec2: JSON (ECS) log lines")
    R.check("MANAGEMENT_TRACING_SAMPLING_PROBABILITY" in settings
            and "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT" in settings,
            "ec2: tracing sampling and OTLP endpoint settings are there to fill in")
    compose = yaml.safe_load(open(os.path.join(ROOT, "docker-compose.yml")))
    for svc in SERVICES:
        env = (compose["services"].get(svc) or {}).get("environment") or {}
        R.check(env.get("LOGGING_STRUCTURED_FORMAT_CONSOLE") == "ecs", f"docker-compose.yml {svc}: JSON log lines")
        _, properties, _ = service_settings(svc)
        R.check("LOGGING_STRUCTURED_FORMAT_CONSOLE" not in properties,
                f"{svc}: application.yml leaves local runs with plain-text logs")

    # Alert rules: the ones the issue asks for, each with a severity and a summary; only known metrics.
    allowed = known_metrics()
    plain = yaml.safe_load(open(os.path.join(ROOT, "deploy/prometheus/esteira-rules.yml")))
    rules = [r for g in plain["groups"] for r in g["rules"]]
    used = {}
    for rule in rules:
        R.check(rule.get("labels", {}).get("severity") in ("critical", "warning")
                and rule.get("annotations", {}).get("summary"), f"rule {rule.get('alert')}: severity and summary")
        for name in promql_metrics(rule["expr"]):
            used.setdefault(name, set()).add(f"rule {rule.get('alert')}")
    exprs = " ".join(str(r["expr"]) for r in rules)
    for what, pattern in [("DLQ depth > 0", r'queue=~"\.\+-dlq".*> 0'), ("queue lag", r"esteira_queue_lag_seconds_bucket"),
                          ("HTTP 5xx rate", r'status=~"5\.\."'), ("FAILED uploads", r'status="FAILED"'),
                          ("stuck uploads", r"esteira_uploads_stuck")]:
        R.check(re.search(pattern, exprs) is not None, f"alert rules cover {what}")
    dashboard = json.load(open(os.path.join(ROOT, "deploy/grafana/esteira.json")))
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    R.check(len(panels) >= 10 and dashboard.get("uid"), f"grafana: a dashboard with its uid and {len(panels)} panels")
    for panel in panels:
        for target in panel.get("targets", []):
            for name in promql_metrics(target["expr"]):
                used.setdefault(name, set()).add(f"panel {panel['title']!r}")
    for name, where in sorted(used.items()):
        R.check(name in allowed, f"metric {name} (used by {sorted(where)}) is in deploy/metrics.txt")

    # CloudWatch: every source queue has a DLQ-depth and an oldest-message-age alarm.
    template = yaml.load(open(os.path.join(ROOT, "deploy/cloudformation/esteira.yaml")), Loader=CfnLoader)
    resources = template["Resources"]
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    queues = {n: r.get("Properties") or {} for n, r in resources.items() if r["Type"] == "AWS::SQS::Queue"}
    for queue, props in queues.items():
        target = ((props.get("RedrivePolicy") or {}).get("deadLetterTargetArn") or {}).get("Fn::GetAtt", [None])[0]
        if not target:
            continue
        watched = lambda metric, q: any(a.get("MetricName") == metric and f'"{q}"' in json.dumps(a.get("Dimensions"))
                                        for a in alarms)
        R.check(watched("ApproximateNumberOfMessagesVisible", target), f"cloudwatch: an alarm on {target}'s depth")
        R.check(watched("ApproximateAgeOfOldestMessage", queue), f"cloudwatch: an alarm on {queue}'s oldest message")
    R.end_section()


def check_with_self_test(module, inputs, verbose):
    """A module's checks (check_ec2_code, check_settings) on the real files, then its mutation self-test."""
    results = module.check(inputs)
    for result in results:
        R.check(result.ok, f"[{result.check}] {result.what}")
    checks = sorted({r.check for r in results})
    if verbose:
        print(f"   {len(results)} results in {len(checks)} checks: {', '.join(checks)}")
        print("   self-test, each mutation applied in memory to a copy of the real files:")
    real, outcomes = module.self_test(inputs, verbose)
    R.check(not real, f"self-test: every check passes on the real files ({[r.what for r in real]})")
    for description, name, caught, failures in outcomes:
        R.check(caught, f"self-test: '{description}' makes [{name}] fail "
                        f"(failed instead: {sorted({f.check for f in failures}) or 'nothing'})")
    untested = set(checks) - {name for _, name, _, _ in outcomes}
    R.check(not untested, f"self-test: every check has a mutation that breaks it (none for {sorted(untested)})")
    R.end_section(f" ({len(outcomes)} mutations, {sum(c for _, _, c, _ in outcomes)} caught by their check)")


def check_ec2_as_code(verbose=False):
    R.section("ec2 as code: launch template, scaling, backups, least privilege, bind addresses; mutation self-test")
    check_with_self_test(check_ec2_code, check_ec2_code.load(), verbose)


def check_deployment_settings(rendered, verbose=False):
    R.section("settings: every deployment sets what each service reads and nothing it does not; secrets wiring; "
              "mutation self-test")
    check_with_self_test(check_settings, check_settings.load(rendered), verbose)


if __name__ == "__main__":
    verbose = "-v" in sys.argv[1:]
    if "--ec2" in sys.argv[1:]:
        check_ec2_as_code(verbose)
    else:
        overlays = check_kubernetes()
        check_cloudformation()
        check_ec2()
        check_database_files()
        check_observability()
        check_ec2_as_code(verbose)
        check_deployment_settings(overlays, verbose)
    print(f"{R.passed} passed, {R.failed} failed")
    sys.exit(1 if R.failed else 0)
