"""Offline checks of the EC2 path as code (issue 18), of the EC2 bind addresses (issue 16) and of the LGPD wiring
(issue 17: the services' permissions for erasure, retention and per-tenant CRM tokens, the buckets' retention
lifecycle, retention and bearer-token settings reaching ingest and invoice); run by deploy/check.py.

check(inputs) returns one Result per property and subject; MUTATIONS break one property each, in memory, on a copy of
the real inputs (template, compose file, scripts): self_test() runs every check on each broken copy and expects the
mutation's own check to fail there, while every check passes on the real files. deploy/check.sh runs both
(`deploy/check.sh --ec2 -v` prints each mutation with the failures it caused).
"""

import copy
import fnmatch
import json
import os
import re
import subprocess
import tempfile

import yaml

import selftest
from cfn import CfnLoader, as_list, statements
from selftest import Result

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = "deploy/cloudformation/esteira.yaml"
TEXT_FILES = ["k8s/base/ingest.yaml", "deploy/ec2/install.sh", "deploy/ec2/bundle.sh", "deploy/ec2/esteira.env.example",
              "deploy/ec2/compose.env.example", "deploy/ec2/systemd/esteira@.service",
              "deploy/ec2/systemd/esteira-health.timer", "deploy/ec2/esteira-health.sh"]
# The queues more instances drain faster (deploy/README.md, "Scaling on EC2"), and each target's documented number:
# acceptable wait (60 s) / time per message per 2-vCPU instance (0.125 s per image, 6 s per invoice file).
SCALING_QUEUES = {"ImagesQueue": ("ImagesBacklogPerInstance", 480), "InvoicesQueue": ("InvoicesBacklogPerInstance", 10)}
# AWS managed policies a new role may carry (their own, AWS-maintained scopes), per trusted service.
AWS_MANAGED = {"ec2.amazonaws.com": {"AmazonSSMManagedInstanceCore"},
               "backup.amazonaws.com": {"service-role/AWSBackupServiceRolePolicyForBackup",
                                        "service-role/AWSBackupServiceRolePolicyForRestores"}}
# Actions that take no resource-level permission: "*" is their only resource (PutMetricData also needs a namespace).
RESOURCELESS = {"ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"}
FLEET_TYPES = {"AWS::EC2::LaunchTemplate", "AWS::AutoScaling::AutoScalingGroup", "AWS::AutoScaling::ScalingPolicy",
               "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup",
               "AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerRule"}
BACKUP_TYPES = {"AWS::Backup::BackupVault", "AWS::Backup::BackupPlan", "AWS::Backup::BackupSelection",
                "AWS::Events::Rule"}
SAMPLE_STACK = {"ESTEIRA_RESOURCE_PREFIX": "esteira", "AWS_REGION": "us-east-1",
                "ESTEIRA_REGISTRY": "111122223333.dkr.ecr.us-east-1.amazonaws.com", "ESTEIRA_VERSION": "0.1.0",
                "DATABASE_ENDPOINT": "esteira-db.abc.us-east-1.rds.amazonaws.com",
                "UPLOADS_BUCKET": "esteira-uploads-111122223333-us-east-1",
                "OUTPUT_BUCKET": "esteira-output-111122223333-us-east-1",
                "NOTIFICATIONS_TOPIC_ARN": "arn:aws:sns:us-east-1:111122223333:esteira-notifications",
                "PUBLIC_BASE_URL": "https://esteira.example.com", "LOG_GROUP": "/esteira/ec2",
                "SERVER_SIDE_ENCRYPTION": "aws:kms", "AUTOSCALING_GROUP": "esteira-ec2"}


# Issue 17 (LGPD): what each service's policy must allow, and must not. (policy, action, resource, allowed); resource
# as the template writes it, None = any. ingest erases and expires originals and renditions and tells crm-sync through
# esteira-image-events; crm-sync reads each tenant's HubSpot token (one secret per tenant, <prefix>/hubspot/<tenant>).
# Nobody deletes object versions: the lifecycle's noncurrent-version window is the recovery window, and an invoice
# cannot be destroyed before its 5 years by a service's credentials.
TENANT_TOKENS = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${ResourcePrefix}/hubspot/*"
EXPECTED_PERMISSIONS = [
    ("IngestPolicy", "s3:DeleteObject", {"Fn::Sub": "${UploadsBucket.Arn}/images/*"}, True),
    ("IngestPolicy", "s3:DeleteObject", {"Fn::Sub": "${UploadsBucket.Arn}/invoices/*"}, True),
    ("IngestPolicy", "s3:DeleteObject", {"Fn::Sub": "${OutputBucket.Arn}/thumbnails/*"}, True),
    ("IngestPolicy", "s3:ListBucket", {"Fn::GetAtt": ["OutputBucket", "Arn"]}, True),
    ("IngestPolicy", "sqs:SendMessage", {"Fn::GetAtt": ["ImageEventsQueue", "Arn"]}, True),
    ("IngestPolicy", "sqs:GetQueueUrl", {"Fn::GetAtt": ["ImageEventsQueue", "Arn"]}, True),
    ("CrmSyncPolicy", "secretsmanager:GetSecretValue", {"Fn::Sub": TENANT_TOKENS}, True),
    ("IngestPolicy", "s3:DeleteObjectVersion", None, False),
    ("ImageProcessingPolicy", "s3:DeleteObjectVersion", None, False),
    ("InvoicePolicy", "s3:DeleteObjectVersion", None, False),
    ("CrmSyncPolicy", "s3:DeleteObjectVersion", None, False),
    ("InvoicePolicy", "s3:DeleteObject", None, False),
    ("CrmSyncPolicy", "secretsmanager:GetSecretValue", "*", False),
]
# Retention of originals: the uploads bucket's prefix -> (parameter, its default, ingest's variable).
RETENTION = {"images/": ("ImageOriginalRetentionDays", 180, "ESTEIRA_INGEST_RETENTION_IMAGEORIGINALS",
                         "IMAGE_ORIGINAL_RETENTION_DAYS"),
             "invoices/": ("InvoiceOriginalRetentionDays", 1830, "ESTEIRA_INGEST_RETENTION_INVOICEORIGINALS",
                           "INVOICE_ORIGINAL_RETENTION_DAYS")}
RETENTION_SAMPLE = {"IMAGE_ORIGINAL_RETENTION_DAYS": "90", "INVOICE_ORIGINAL_RETENTION_DAYS": "1900",
                    "JWT_ISSUER_URI": "https://issuer.example.com/pool", "JWT_AUDIENCES": "client-a,client-b"}


class Inputs:
    """What the checks read: the parsed template and compose file, the texts of the EC2 files, the bundle's files."""

    def __init__(self, template, compose, texts, bundle):
        self.template, self.compose, self.texts, self.bundle = template, compose, texts, bundle

    def copy(self):
        return Inputs(copy.deepcopy(self.template), copy.deepcopy(self.compose), dict(self.texts), list(self.bundle))

    @property
    def resources(self):
        return self.template.get("Resources", {}) or {}

    def of_type(self, kind):
        return {n: r for n, r in self.resources.items() if r.get("Type") == kind}


def load():
    template = yaml.load(open(os.path.join(ROOT, TEMPLATE)), Loader=CfnLoader)
    compose = yaml.safe_load(open(os.path.join(ROOT, "deploy/ec2/compose.yaml")))
    texts = {path: open(os.path.join(ROOT, path)).read() for path in TEXT_FILES}
    with tempfile.TemporaryDirectory() as work:
        built = subprocess.run(["bash", os.path.join(ROOT, "deploy/ec2/bundle.sh"), "check"], cwd=work,
                               env={**os.environ, "BUNDLE_OFFLINE": "1"}, capture_output=True, text=True)
        listing = subprocess.run(["tar", "-tzf", os.path.join(work, "esteira-ec2-check.tar.gz")],
                                 capture_output=True, text=True) if built.returncode == 0 else None
    bundle = [n[2:] for n in listing.stdout.split() if n.startswith("./") and n != "./"] if listing else []
    return Inputs(template, compose, texts, bundle)


# ---------------------------------------------------------------------------------------------- helpers


def is_ref(value, name):
    return value == {"Ref": name}


def stack_key(value):
    """The stack's KMS key: Ref KmsKeyArn, or Fn::If [HasKmsKey, Ref KmsKeyArn, ...]."""
    if is_ref(value, "KmsKeyArn"):
        return True
    branches = value.get("Fn::If") if isinstance(value, dict) else None
    return bool(branches) and branches[0] == "HasKmsKey" and is_ref(branches[1], "KmsKeyArn")


def implies(template, condition, wanted):
    """condition holds only where wanted holds (through Fn::And / Condition references)."""
    seen, todo = set(), [condition]
    while todo:
        name = todo.pop()
        if name == wanted:
            return True
        if name in seen:
            continue
        seen.add(name)
        for part in ((template.get("Conditions") or {}).get(name) or {}).get("Fn::And", []):
            if isinstance(part, dict) and "Condition" in part:
                todo.append(part["Condition"])
    return False


def rule_asserts(template, parameter_flag, needed):
    """A Rules entry conditioned on parameter_flag = "true" asserts the parameter `needed` is not empty."""
    for rule in (template.get("Rules") or {}).values():
        if rule.get("RuleCondition") != {"Fn::Equals": [{"Ref": parameter_flag}, "true"]}:
            continue
        for assertion in rule.get("Assertions", []):
            if assertion.get("Assert") == {"Fn::Not": [{"Fn::Equals": [{"Ref": needed}, ""]}]}:
                return True
    return False


def user_data(inputs):
    """(launch template name, its user data Fn::Sub text) for every launch template."""
    for name, lt in inputs.of_type("AWS::EC2::LaunchTemplate").items():
        data = ((lt.get("Properties") or {}).get("LaunchTemplateData") or {}).get("UserData") or {}
        sub = (data.get("Fn::Base64") or {}).get("Fn::Sub") if isinstance(data, dict) else None
        yield name, sub if isinstance(sub, str) else ""


def heredoc(text, target):
    match = re.search(rf"cat > {re.escape(target)} <<'EOF'\n(.*?)\nEOF", text, re.S)
    return dict(line.split("=", 1) for line in match.group(1).splitlines() if "=" in line) if match else {}


def installer_required(inputs):
    match = re.search(r"^required=\(([^)]*)\)", inputs.texts["deploy/ec2/install.sh"], re.M)
    return match.group(1).split() if match else []


def ingress_rules(inputs):
    """(where, rule) of every security group ingress rule, inline or as its own resource."""
    for name, group in inputs.of_type("AWS::EC2::SecurityGroup").items():
        for rule in (group.get("Properties") or {}).get("SecurityGroupIngress") or []:
            yield name, rule
    for name, rule in inputs.of_type("AWS::EC2::SecurityGroupIngress").items():
        yield name, rule.get("Properties") or {}


def covers_port(rule, port):
    if str(rule.get("IpProtocol")) in ("-1", "all"):
        return True
    try:
        return int(rule.get("FromPort", -1)) <= port <= int(rule.get("ToPort", -1))
    except (TypeError, ValueError):
        return True    # an intrinsic port range cannot be shown to leave the port out


def role_policies(inputs, role):
    """(where, document) of a role's inline policies and of the template's managed policies it attaches."""
    props = inputs.resources[role].get("Properties") or {}
    for policy in props.get("Policies") or []:
        yield f"{role}/{policy.get('PolicyName')}", policy.get("PolicyDocument") or {}
    for arn in props.get("ManagedPolicyArns") or []:
        for ref in ([arn] if "Fn::If" not in arn else [b for b in arn["Fn::If"][1:] if isinstance(b, dict)]):
            name = ref.get("Ref")
            if name in inputs.resources and inputs.resources[name]["Type"] == "AWS::IAM::ManagedPolicy":
                yield name, (inputs.resources[name].get("Properties") or {}).get("PolicyDocument") or {}


def resource_scoped(inputs, resource):
    """A policy resource names template resources or parameters, or an ARN whose resource part starts with a name."""
    if isinstance(resource, dict) and ("Ref" in resource or "Fn::GetAtt" in resource):
        target = resource.get("Ref") or as_list(resource.get("Fn::GetAtt"))[0]
        return target in inputs.resources or target in (inputs.template.get("Parameters") or {})
    if isinstance(resource, dict) and "Fn::If" in resource:
        return all(resource_scoped(inputs, b) for b in resource["Fn::If"][1:])
    if isinstance(resource, dict) and "Fn::Sub" in resource:
        text, local = (resource["Fn::Sub"], {}) if isinstance(resource["Fn::Sub"], str) else resource["Fn::Sub"]
        named = [n.split(".")[0] for n in re.findall(r"\$\{([^}!][^}]*)}", text)]
        if any(n in inputs.resources or n in (inputs.template.get("Parameters") or {}) for n in named):
            return True
        # arn:partition:service:region:account:<type>/<name>...: a literal name after the type, before any "*"
        # (repository/esteira/* is scoped, repository/* is not).
        segments = re.split(r"[/:]", re.sub(r"\$\{[^}]*}", "x", text).split(":", 5)[-1])
        return len(segments) >= 2 and bool(segments[1]) and "*" not in segments[1]
    return False


# ---------------------------------------------------------------------------------------------- the checks


def check(inputs):
    results = []

    def ok(name, condition, what):
        results.append(Result(name, bool(condition), what))
        return condition

    template, resources, params = inputs.template, inputs.resources, inputs.template.get("Parameters") or {}
    lts = inputs.of_type("AWS::EC2::LaunchTemplate")
    groups = inputs.of_type("AWS::AutoScaling::AutoScalingGroup")

    # Off by default: the EC2 path and the backup plan only exist when asked for.
    ok("off-by-default", (params.get("CreateEc2AutoScalingGroup") or {}).get("Default") == "false"
       and (params.get("CreateBackupPlan") or {}).get("Default") == "false",
       "CreateEc2AutoScalingGroup and CreateBackupPlan default to false")
    for name, resource in resources.items():
        wanted = "HasEc2Fleet" if resource["Type"] in FLEET_TYPES else "HasBackupPlan" \
            if resource["Type"] in BACKUP_TYPES else None
        if wanted:
            ok("off-by-default", implies(template, resource.get("Condition"), wanted),
               f"{name}: created only under {wanted} (condition {resource.get('Condition')})")
    ok("launch-template", len(lts) == 1 and len(groups) == 1, f"one launch template and one group ({list(lts)}, {list(groups)})")

    for name, lt in lts.items():
        data = (lt.get("Properties") or {}).get("LaunchTemplateData") or {}
        image = data.get("ImageId") or {}
        parameter = params.get(image.get("Ref")) or {} if isinstance(image, dict) else {}
        ok("ami-ssm", parameter.get("Type") == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
           and str(parameter.get("Default", "")).startswith("/aws/service/ami-amazon-linux-latest/al2023-ami-"),
           f"{name}: Amazon Linux 2023 through its public SSM parameter ({image}: {parameter.get('Default')})")

        # Volumes: root and data, gp3, encrypted with the stack's key, which the EC2 path cannot be created without.
        mappings = data.get("BlockDeviceMappings") or []
        ok("volumes-encrypted", {"/dev/xvda"} < {m.get("DeviceName") for m in mappings},
           f"{name}: a root (/dev/xvda) and a data volume ({[m.get('DeviceName') for m in mappings]})")
        for mapping in mappings:
            ebs = mapping.get("Ebs") or {}
            ok("volumes-encrypted", ebs.get("Encrypted") is True and stack_key(ebs.get("KmsKeyId"))
               and ebs.get("VolumeType") == "gp3",
               f"{name} {mapping.get('DeviceName')}: gp3, encrypted with the stack's KMS key ({ebs})")
        ok("volumes-encrypted", implies(template, lt.get("Condition"), "HasKmsKey")
           and rule_asserts(template, "CreateEc2AutoScalingGroup", "KmsKeyArn"),
           f"{name}: exists only with KmsKeyArn set (its condition implies HasKmsKey; a rule asserts KmsKeyArn)")

        metadata = data.get("MetadataOptions") or {}
        ok("imdsv2", metadata.get("HttpTokens") == "required" and metadata.get("HttpPutResponseHopLimit") == 2
           and metadata.get("HttpEndpoint", "enabled") == "enabled",
           f"{name}: IMDSv2 required, hop limit 2 ({metadata})")

        interfaces = data.get("NetworkInterfaces") or []
        ok("no-public-ip", interfaces and all(i.get("AssociatePublicIpAddress") is False for i in interfaces)
           and "SecurityGroupIds" not in data, f"{name}: no public IP on any interface ({interfaces})")
        ok("no-ssh", "KeyName" not in data, f"{name}: no key pair")

        # User data: valid bash once substituted, fetches this version's bundle, installs, reports to both.
        text = next((t for n, t in user_data(inputs) if n == name), "")
        rendered = re.sub(r"\$\{(?!!)[^}]*}", "sample", text).replace("${!", "${")
        syntax = bash_syntax(rendered)
        ok("user-data", text and syntax.returncode == 0, f"{name}: user data is valid bash ({syntax.stderr.strip()})")
        ok("user-data", "s3://${Ec2BundleBucket}/esteira-ec2/${EsteiraVersion}.tar.gz" in text
           and re.search(r"^/opt/esteira-bundle/install\.sh /etc/esteira/stack\.env$", text, re.M),
           f"{name}: user data fetches the version's bundle and runs its install.sh")
        written = heredoc(text, "/etc/esteira/stack.env")
        required = installer_required(inputs)
        extra = set(written) - set(required)
        ok("user-data", required and set(required) <= set(written)
           and all(k in inputs.texts["deploy/ec2/install.sh"] for k in extra),
           f"{name}: stack.env sets every key install.sh requires (missing {sorted(set(required) - set(written))}, "
           f"unread {sorted(k for k in extra if k not in inputs.texts['deploy/ec2/install.sh'])})")

    for name, group in groups.items():
        props = group.get("Properties") or {}
        ok("no-public-ip", is_ref(props.get("VPCZoneIdentifier"), "PrivateSubnetIds"),
           f"{name}: in the private subnets ({props.get('VPCZoneIdentifier')})")
        # Replaces unhealthy instances: ELB health, the readiness lifecycle hook, the container health reporter.
        hooks = props.get("LifecycleHookSpecificationList") or []
        launching = [h for h in hooks if h.get("LifecycleTransition") == "autoscaling:EC2_INSTANCE_LAUNCHING"]
        ok("replaces-unhealthy", props.get("HealthCheckType") == "ELB" and props.get("TargetGroupARNs"),
           f"{name}: ELB health checks on its target groups ({props.get('HealthCheckType')})")
        texts = " ".join(t for _, t in user_data(inputs))
        ok("replaces-unhealthy", launching and launching[0].get("DefaultResult") == "ABANDON"
           and f"--lifecycle-hook-name {launching[0].get('LifecycleHookName')}" in texts
           and "complete-lifecycle-action" in texts,
           f"{name}: a launch lifecycle hook the user data completes, abandoned by default ({launching})")
        ok("replaces-unhealthy", "systemctl enable --now esteira-health.timer" in inputs.texts["deploy/ec2/install.sh"]
           and "set-instance-health" in inputs.texts["deploy/ec2/esteira-health.sh"]
           and "OnUnitActiveSec=" in inputs.texts["deploy/ec2/systemd/esteira-health.timer"],
           f"{name}: esteira-health.timer reports an instance whose containers stay unhealthy")
        # A new version replaces the instances: the version is in the user data, the group follows the latest
        # launch template version, and the rolling update waits for each new instance's signal.
        template_ref = props.get("LaunchTemplate") or {}
        update = (group.get("UpdatePolicy") or {}).get("AutoScalingRollingUpdate") or {}
        ok("refresh-on-version", template_ref.get("Version") == {"Fn::GetAtt": [next(iter(lts), ""), "LatestVersionNumber"]}
           and "${EsteiraVersion}" in texts,
           f"{name}: follows the launch template's latest version, whose user data holds EsteiraVersion ({template_ref})")
        ok("refresh-on-version", update.get("WaitOnResourceSignals") is True and update.get("MaxBatchSize") == 1
           and update.get("MinInstancesInService") is not None
           and f"--resource {name}" in texts and "cfn-signal" in texts
           and (group.get("CreationPolicy") or {}).get("ResourceSignal"),
           f"{name}: rolling replacement one at a time, each new instance signalling ({update})")
        ok("refresh-on-version", int((params.get("Ec2MaxSize") or {}).get("Default", 0))
           > int((params.get("Ec2MinSize") or {}).get("Default", 0)),
           f"{name}: the default maximum leaves room for the extra instance of a rolling update")
        ok("scaling-metric-math", "DesiredCapacity" not in props and "GroupInServiceInstances" in
           [m for c in props.get("MetricsCollection") or [] for m in c.get("Metrics") or []],
           f"{name}: no fixed DesiredCapacity; GroupInServiceInstances collected")

    # Scaling: target tracking on backlog per instance - visible messages of the right queues / instances in service.
    read = set()
    policies = inputs.of_type("AWS::AutoScaling::ScalingPolicy")
    ok("scaling-metric-math", len(policies) == len(SCALING_QUEUES), f"one policy per scaling queue ({list(policies)})")
    for name, policy in policies.items():
        props = policy.get("Properties") or {}
        tracking = props.get("TargetTrackingConfiguration") or {}
        metrics = ((tracking.get("CustomizedMetricSpecification") or {}).get("Metrics")) or []
        stats = {m.get("Id"): (m.get("MetricStat") or {}).get("Metric") or {} for m in metrics if "MetricStat" in m}
        queues = {i: (m.get("Dimensions") or [{}])[0].get("Value", {}).get("Fn::GetAtt", [None])[0]
                  for i, m in stats.items() if m.get("Namespace") == "AWS/SQS"}
        instances = [i for i, m in stats.items() if m.get("Namespace") == "AWS/AutoScaling"
                     and m.get("MetricName") == "GroupInServiceInstances"
                     and (m.get("Dimensions") or [{}])[0].get("Value") == props.get("AutoScalingGroupName")]
        returned = [m for m in metrics if m.get("ReturnData") is True]
        expression = re.sub(r"\s", "", (returned[0].get("Expression") or "") if len(returned) == 1 else "")
        numerator = "+".join(sorted(queues))
        ok("scaling-metric-math", props.get("PolicyType") == "TargetTrackingScaling"
           and is_ref(props.get("AutoScalingGroupName"), next(iter(groups), "")),
           f"{name}: target tracking on the group ({props.get('PolicyType')})")
        ok("scaling-metric-math", queues and all(stats[i].get("MetricName") == "ApproximateNumberOfMessagesVisible"
                                                 for i in queues),
           f"{name}: reads ApproximateNumberOfMessagesVisible ({[stats[i].get('MetricName') for i in queues]})")
        ok("scaling-metric-math", len(instances) == 1 and expression in
           (f"{numerator}/{instances[0]}", f"({numerator})/{instances[0]}"),
           f"{name}: returns visible / instances in service of this group ({expression!r})")
        read |= set(queues.values())
        for queue in queues.values():
            parameter, number = SCALING_QUEUES.get(queue, (None, None))
            ok("scaling-metric-math", is_ref(tracking.get("TargetValue"), parameter)
               and int((params.get(parameter) or {}).get("Default", -1)) == number,
               f"{name}: target {tracking.get('TargetValue')} = {parameter}, default {number} "
               f"(acceptable wait / time per message)")
    ok("scaling-metric-math", read == set(SCALING_QUEUES),
       f"the scaling policies read the images and invoices queues and nothing else ({sorted(read)})")

    # No SSH anywhere; the instances take traffic from the load balancer only.
    for where, rule in ingress_rules(inputs):
        ok("no-ssh", not covers_port(rule, 22), f"{where}: no ingress on port 22 ({rule})")
    for name, group in inputs.of_type("AWS::EC2::SecurityGroup").items():
        used_by = [n for n, lt in lts.items() if {"Ref": name} in
                   [g for i in ((lt.get("Properties") or {}).get("LaunchTemplateData") or {}).get("NetworkInterfaces") or []
                    for g in i.get("Groups") or []]]
        if used_by:
            rules = (group.get("Properties") or {}).get("SecurityGroupIngress") or []
            ok("no-ssh", rules and all("SourceSecurityGroupId" in r and int(r.get("FromPort")) in (8080, 8082)
                                       for r in rules),
               f"{name}: ingress only from the load balancer's group, on 8080 and 8082")

    # Backups: vault on the stack's key, a daily rule with its retention, copies elsewhere, the right resources.
    vaults = inputs.of_type("AWS::Backup::BackupVault")
    plans = inputs.of_type("AWS::Backup::BackupPlan")
    selections = inputs.of_type("AWS::Backup::BackupSelection")
    ok("backup-plan", len(vaults) == 1 and len(plans) == 1, f"one backup vault and plan ({list(vaults)}, {list(plans)})")
    for name, vault in vaults.items():
        ok("backup-plan", stack_key((vault.get("Properties") or {}).get("EncryptionKeyArn"))
           and rule_asserts(template, "CreateBackupPlan", "KmsKeyArn"),
           f"{name}: encrypted with the stack's KMS key, which a rule requires")
    for name, plan in plans.items():
        rules = ((plan.get("Properties") or {}).get("BackupPlan") or {}).get("BackupPlanRule") or []
        for rule in rules:
            copies = rule.get("CopyActions") or []
            copies = copies["Fn::If"][1] if isinstance(copies, dict) and "Fn::If" in copies else copies
            ok("backup-plan", re.fullmatch(r"cron\(\d+ \d+ \* \* \? \*\)", str(rule.get("ScheduleExpression")))
               and rule.get("TargetBackupVault") in [{"Ref": v} for v in vaults]
               and is_ref((rule.get("Lifecycle") or {}).get("DeleteAfterDays"), "BackupPlanRetentionDays")
               and all(is_ref(c.get("DestinationBackupVaultArn"), "BackupCopyVaultArn")
                       and is_ref((c.get("Lifecycle") or {}).get("DeleteAfterDays"), "BackupCopyRetentionDays")
                       for c in copies),
               f"{name} {rule.get('RuleName')}: daily, into the stack's vault, kept BackupPlanRetentionDays, "
               f"copies to BackupCopyVaultArn ({rule.get('ScheduleExpression')})")
    backed = {"database": False, "volumes": False}
    volume_tags = {(t.get("Key"), json.dumps(t.get("Value"))) for lt in lts.values()
                   for spec in ((lt.get("Properties") or {}).get("LaunchTemplateData") or {}).get("TagSpecifications") or []
                   if spec.get("ResourceType") == "volume" for t in spec.get("Tags") or []}
    for name, selection in selections.items():
        props = selection.get("Properties") or {}
        body = props.get("BackupSelection") or {}
        role = (body.get("IamRoleArn") or {}).get("Fn::GetAtt", [None])[0]
        ok("backup-plan", props.get("BackupPlanId") in [{"Ref": p} for p in plans]
           and role in resources and "backup.amazonaws.com" in json.dumps(resources[role]["Properties"]["AssumeRolePolicyDocument"]),
           f"{name}: belongs to the plan and runs as AWS Backup's role ({role})")
        for arn in body.get("Resources") or []:
            text = arn.get("Fn::Sub", "") if isinstance(arn, dict) else arn
            if re.fullmatch(r"arn:\$\{AWS::Partition}:rds:\$\{AWS::Region}:\$\{AWS::AccountId}:db:\$\{(\w+)}", text) \
                    and resources.get(re.search(r"db:\$\{(\w+)}", text).group(1), {}).get("Type") == "AWS::RDS::DBInstance":
                backed["database"] = True
            if text.endswith(":volume/*"):
                tags = {(c.get("ConditionKey", "").replace("aws:ResourceTag/", ""), json.dumps(c.get("ConditionValue")))
                        for c in (body.get("Conditions") or {}).get("StringEquals") or []}
                backed["volumes"] = bool(tags) and tags <= volume_tags
    ok("backup-plan", backed["database"], "a selection names the RDS instance by its ARN")
    ok("backup-plan", backed["volumes"],
       f"a selection takes the volumes by the tag the launch template puts on them ({sorted(volume_tags)})")

    # A failed backup reaches the operators: an EventBridge rule (or a CloudWatch alarm) into the alarms topic.
    alarmed = False
    for name, rule in inputs.of_type("AWS::Events::Rule").items():
        props = rule.get("Properties") or {}
        pattern = props.get("EventPattern") or {}
        if "aws.backup" not in as_list(pattern.get("source")):
            continue
        targets = [t.get("Arn") for t in props.get("Targets") or []]
        allowed = any(s.get("Principal") == {"Service": "events.amazonaws.com"}
                      and json.dumps({"Fn::GetAtt": [name, "Arn"]}) in json.dumps(s.get("Condition"))
                      for p in inputs.of_type("AWS::SNS::TopicPolicy").values()
                      for s in statements((p.get("Properties") or {}).get("PolicyDocument") or {}))
        alarmed = ("Backup Job State Change" in as_list(pattern.get("detail-type"))
                   and "FAILED" in as_list((pattern.get("detail") or {}).get("state"))
                   and {"Ref": "AlarmsTopic"} in targets and allowed and props.get("State", "ENABLED") == "ENABLED")
    alarmed = alarmed or any((a.get("Properties") or {}).get("Namespace") == "AWS/Backup"
                             and (a.get("Properties") or {}).get("MetricName") == "NumberOfBackupJobsFailed"
                             for a in inputs.of_type("AWS::CloudWatch::Alarm").values())
    ok("backup-failure-alarm", alarmed,
       "a failed backup job reaches the alarms topic (EventBridge rule on FAILED, allowed by the topic policy)")

    # Least privilege for the EC2 instance role and AWS Backup's role.
    for name, role in inputs.of_type("AWS::IAM::Role").items():
        trust = (role.get("Properties") or {}).get("AssumeRolePolicyDocument") or {}
        services = {s.get("Principal", {}).get("Service") for s in trust.get("Statement", []) if isinstance(s, dict)}
        if not services & set(AWS_MANAGED):
            continue
        service = sorted(services & set(AWS_MANAGED))[0]
        ok("least-privilege", len(services) == 1 and all(s.get("Action") == "sts:AssumeRole" and set(s.get("Principal", {})) == {"Service"}
                                                         for s in trust.get("Statement", [])),
           f"{name}: trusted by {service} alone")
        for arn in (role.get("Properties") or {}).get("ManagedPolicyArns") or []:
            for branch in ([arn] if "Fn::If" not in arn else [b for b in arn["Fn::If"][1:] if isinstance(b, dict)]):
                if branch == {"Ref": "AWS::NoValue"}:
                    continue
                text = branch.get("Fn::Sub") if isinstance(branch, dict) else str(branch)
                managed = re.fullmatch(r"arn:\$\{AWS::Partition}:iam::aws:policy/(.+)", str(text))
                ok("least-privilege", (managed and managed.group(1) in AWS_MANAGED[service]) or
                   (isinstance(branch, dict) and resources.get(branch.get("Ref"), {}).get("Type") == "AWS::IAM::ManagedPolicy"),
                   f"{name}: attaches {branch} (the template's own policy, or an allowed AWS managed one)")
        for where, document in role_policies(inputs, name):
            for statement in statements(document):
                if statement.get("Effect") != "Allow":
                    continue
                actions = [a for a in as_list(statement.get("Action", []))]
                sid = statement.get("Sid", "")
                ok("least-privilege", actions and all(isinstance(a, str) and "*" not in a for a in actions),
                   f"{name} via {where} {sid}: no wildcard actions ({actions})")
                for resource in as_list(statement.get("Resource", [])):
                    if resource == "*":
                        ok("least-privilege", set(actions) <= RESOURCELESS and
                           (actions != ["cloudwatch:PutMetricData"] or "cloudwatch:namespace" in json.dumps(statement)),
                           f"{name} via {where} {sid}: '*' only for actions without resource-level permissions ({actions})")
                    else:
                        ok("least-privilege", resource_scoped(inputs, resource),
                           f"{name} via {where} {sid}: resource scoped to Esteira's own ({resource})")

    # Issue 16: nothing published on every interface; the APIs on the instance's private address or localhost.
    for svc, definition in (inputs.compose.get("services") or {}).items():
        for port in definition.get("ports") or []:
            text = str(port)
            parts = re.split(r":(?![^{]*})", text)
            host = parts[0] if len(parts) == 3 else ""
            api = svc in ("ingest", "invoice") and parts[-1] in ("8080", "8082")
            allowed = {"127.0.0.1", "${ESTEIRA_BIND_ADDRESS:-127.0.0.1}"} if api else {"127.0.0.1"}
            ok("compose-bind", host in allowed,
               f"compose.yaml {svc}: publishes {text} on {host or 'every interface'} (allowed: {sorted(allowed)})")
    install = inputs.texts["deploy/ec2/install.sh"]
    example = dict(l.split("=", 1) for l in inputs.texts["deploy/ec2/compose.env.example"].splitlines()
                   if "=" in l and not l.startswith("#"))
    ok("compose-bind", example.get("ESTEIRA_BIND_ADDRESS") == "127.0.0.1",
       f"compose.env.example: ESTEIRA_BIND_ADDRESS=127.0.0.1 by default ({example.get('ESTEIRA_BIND_ADDRESS')})")
    ok("compose-bind", re.search(r'bind=\$\(imds local-ipv4\)', install) and '"ESTEIRA_BIND_ADDRESS=$bind"' in install,
       "install.sh: binds the APIs to the instance's private IPv4 address (IMDS local-ipv4)")
    unit = inputs.texts["deploy/ec2/systemd/esteira@.service"]
    ok("compose-bind", "Environment=ESTEIRA_BIND_ADDRESS=127.0.0.1" in unit
       and "-Dserver.address=${ESTEIRA_BIND_ADDRESS}" in unit,
       "esteira@.service: the jars' API port on ESTEIRA_BIND_ADDRESS, 127.0.0.1 by default")
    rendered, refused = render(inputs)
    ok("compose-bind", rendered.get("compose.env", {}).get("ESTEIRA_BIND_ADDRESS") == "10.0.1.23" and refused,
       f"install.sh --render: the private address goes into compose.env; 0.0.0.0 is refused "
       f"({rendered.get('compose.env', {}).get('ESTEIRA_BIND_ADDRESS')}, refused {refused})")
    env = rendered.get("esteira.env", {})
    ok("install", env and not any(re.search(r"<[A-Za-z]+>", v) for v in env.values())
       and env.get("ESTEIRA_AWS_UPLOADSBUCKET") == SAMPLE_STACK["UPLOADS_BUCKET"],
       f"install.sh --render: esteira.env filled from stack.env, no <placeholder> left ({rendered.get('error', '')})")

    # The bundle carries everything install.sh installs.
    installed = set(re.findall(r'"\$here"?/([\w.*/-]+)', install))
    missing = sorted(f for f in installed if not any(fnmatch.fnmatch(n, f) for n in inputs.bundle)
                     and f"$staging/{f}" not in inputs.texts["deploy/ec2/bundle.sh"])
    ok("install", inputs.bundle and not missing,
       f"bundle.sh packs every file install.sh installs (missing {missing})")
    check_lgpd(inputs, ok)
    return results


def grants(inputs, policy, action, resource):
    """Whether the managed policy allows action on resource (None: on any resource)."""
    document = ((inputs.resources.get(policy) or {}).get("Properties") or {}).get("PolicyDocument") or {}
    for statement in statements(document):
        if statement.get("Effect") != "Allow" or action not in as_list(statement.get("Action", [])):
            continue
        if resource is None or resource in as_list(statement.get("Resource", [])):
            return True
    return False


def check_lgpd(inputs, ok):
    """Issue 17: service permissions for erasure, retention and per-tenant CRM tokens; the buckets' lifecycle; the
    retention and bearer-token settings reaching ingest and invoice on EC2 (install.sh) and EKS (ingest-config)."""
    for policy, action, resource, allowed in EXPECTED_PERMISSIONS:
        granted = grants(inputs, policy, action, resource)
        ok("service-permissions", granted == allowed,
           f"{policy}: {'allows' if allowed else 'does not allow'} {action} on {resource or 'any resource'} "
           f"({'granted' if granted else 'not granted'})")

    params = inputs.template.get("Parameters") or {}

    def rules(bucket):
        props = (inputs.resources.get(bucket) or {}).get("Properties") or {}
        return ((props.get("LifecycleConfiguration") or {}).get("Rules") or []), props

    uploads, uploads_props = rules("UploadsBucket")
    for prefix, (parameter, default, _, _) in RETENTION.items():
        matching = [r for r in uploads if r.get("Prefix") == prefix and r.get("Status") == "Enabled"]
        expiring = [r for r in matching if r.get("ExpirationInDays") == {"Ref": parameter}]
        ok("retention", len(expiring) == 1 and int((params.get(parameter) or {}).get("Default", 0)) == default,
           f"UploadsBucket: originals under {prefix} expire after {parameter} (default {default}) "
           f"({[r.get('ExpirationInDays') for r in matching]}, default {(params.get(parameter) or {}).get('Default')})")
        transition = min([t.get("TransitionInDays", 0) for r in matching for t in r.get("Transitions") or []] or [0])
        ok("retention", int((params.get(parameter) or {}).get("MinValue", 0)) > transition,
           f"{parameter}: its MinValue is above the {transition}-day transition (S3 refuses expiry before it)")
    everything = [r for r in uploads if not r.get("Prefix") and not r.get("Filter")]
    ok("retention", not any("ExpirationInDays" in r or "ExpirationDate" in r for r in everything),
       "UploadsBucket: no rule expires every object regardless of its prefix (each kind has its own retention)")
    for bucket in ("UploadsBucket", "OutputBucket"):
        bucket_rules, props = rules(bucket)
        versioned = (props.get("VersioningConfiguration") or {}).get("Status") == "Enabled"
        unbounded = [r.get("Id") for r in bucket_rules if (r.get("NoncurrentVersionExpiration") or {}).get(
            "NoncurrentDays") != {"Ref": "NoncurrentVersionExpirationDays"}]
        ok("retention", not versioned or (bucket_rules and not unbounded),
           f"{bucket}: versioned, so every rule deletes noncurrent (erased) versions after "
           f"NoncurrentVersionExpirationDays (not: {unbounded})")
        ok("retention", any((r.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation")
                            for r in bucket_rules if not r.get("Prefix")),
           f"{bucket}: incomplete multipart uploads are aborted")
    output, _ = rules("OutputBucket")
    thumbnails = [r for r in output if (r.get("Prefix") or "").startswith("thumbnails") or not r.get("Prefix")]
    ok("retention", not any("ExpirationInDays" in r or "ExpirationDate" in r for r in thumbnails),
       "OutputBucket: renditions (thumbnails/) never expire: CRM links point at them")
    ok("retention", int((params.get("NoncurrentVersionExpirationDays") or {}).get("Default", 999)) <= 30,
       f"NoncurrentVersionExpirationDays: an erased object is gone within a month by default "
       f"({(params.get('NoncurrentVersionExpirationDays') or {}).get('Default')})")

    # The same numbers reach ingest: on EC2 through stack.env and install.sh, on EKS/kind in ingest-config.
    for name, text in user_data(inputs):
        written = heredoc(text, "/etc/esteira/stack.env")
        for _, (parameter, _, _, key) in RETENTION.items():
            ok("retention", written.get(key) == "${" + parameter + "}",
               f"{name}: stack.env passes {parameter} as {key} ({written.get(key)})")
        for key, parameter in (("JWT_ISSUER_URI", "JwtIssuerUri"), ("JWT_AUDIENCES", "JwtAudiences")):
            ok("bearer-tokens", written.get(key) == "${" + parameter + "}" and parameter in params
               and (params[parameter] or {}).get("Default") == "",
               f"{name}: stack.env passes the optional {parameter} (default empty) as {key} ({written.get(key)})")
    files, _ = render(inputs, RETENTION_SAMPLE)
    env = files.get("esteira.env", {})
    for _, (_, _, variable, key) in RETENTION.items():
        ok("retention", env.get(variable) == RETENTION_SAMPLE[key] + "d",
           f"install.sh --render: {key}={RETENTION_SAMPLE[key]} becomes {variable}={RETENTION_SAMPLE[key]}d "
           f"({env.get(variable)}; {files.get('error', '')})")
    plain = render(inputs)[0].get("esteira.env", {})
    for _, (_, default, variable, _) in RETENTION.items():
        ok("retention", plain.get(variable) == f"{default}d",
           f"install.sh --render: without it in stack.env, {variable} is the stack's default {default}d "
           f"({plain.get(variable)})")
    ok("bearer-tokens", env.get("ESTEIRA_SECURITY_JWT_ISSUERURI") == RETENTION_SAMPLE["JWT_ISSUER_URI"]
       and env.get("ESTEIRA_SECURITY_JWT_AUDIENCES") == RETENTION_SAMPLE["JWT_AUDIENCES"],
       f"install.sh --render: JWT_ISSUER_URI and JWT_AUDIENCES become ESTEIRA_SECURITY_JWT_ISSUERURI/_AUDIENCES "
       f"({env.get('ESTEIRA_SECURITY_JWT_ISSUERURI')}, {env.get('ESTEIRA_SECURITY_JWT_AUDIENCES')})")
    ok("bearer-tokens", not any(k.startswith("ESTEIRA_SECURITY_JWT_") for k in plain),
       f"install.sh --render: no bearer-token setting when the stack names no issuer "
       f"({sorted(k for k in plain if k.startswith('ESTEIRA_SECURITY_JWT_'))})")
    config = next((d.get("data") or {} for d in yaml.safe_load_all(inputs.texts["k8s/base/ingest.yaml"])
                   if d and d.get("kind") == "ConfigMap" and d["metadata"]["name"] == "ingest-config"), {})
    for _, (parameter, default, variable, _) in RETENTION.items():
        ok("retention", config.get(variable) == f"{default}d",
           f"k8s ingest-config: {variable} is {default}d, the stack's default {parameter} ({config.get(variable)})")


_cache = {}


def cached(function):
    """Subprocess results depend only on the texts they read: the mutations reuse them (the self-test stays fast)."""
    def wrapper(*texts):
        key = (function.__name__,) + texts
        if key not in _cache:
            _cache[key] = function(*texts)
        return _cache[key]
    return wrapper


@cached
def bash_syntax(text):
    return subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)


def render(inputs, extra=None):
    """install.sh --render on SAMPLE_STACK plus extra stack.env keys."""
    return _render(*(inputs.texts[p] for p in ("deploy/ec2/install.sh", "deploy/ec2/esteira.env.example",
                                                "deploy/ec2/compose.env.example")),
                   "".join(f"{k}={v}\n" for k, v in (extra or {}).items()))


@cached
def _render(install, esteira_env, compose_env, extra=""):
    """Runs the (possibly mutated) install.sh --render on a sample stack.env: ({file: settings}, 0.0.0.0 refused)."""
    with tempfile.TemporaryDirectory() as work:
        for name, text in (("install.sh", install), ("esteira.env.example", esteira_env),
                           ("compose.env.example", compose_env)):
            open(os.path.join(work, name), "w").write(text)
        open(os.path.join(work, "stack.env"), "w").write("".join(f"{k}={v}\n" for k, v in SAMPLE_STACK.items())
                                                          + extra)
        out = os.path.join(work, "out")
        os.mkdir(out)
        run = lambda address: subprocess.run(["bash", os.path.join(work, "install.sh"), "--render", "stack.env", out],
                                             cwd=work, capture_output=True, text=True,
                                             env={**os.environ, "ESTEIRA_BIND_ADDRESS": address})
        first = run("10.0.1.23")
        files = {}
        if first.returncode == 0:
            for name in ("esteira.env", "compose.env"):
                files[name] = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(out, name))
                                   if "=" in l and not l.startswith("#"))
        else:
            files["error"] = first.stderr.strip()[-300:]
        return files, run("0.0.0.0").returncode != 0


# ---------------------------------------------------------------------------------------------- self-test


def _lt(i):
    return next(iter(i.of_type("AWS::EC2::LaunchTemplate").values()))["Properties"]["LaunchTemplateData"]


def _group(i):
    return next(iter(i.of_type("AWS::AutoScaling::AutoScalingGroup").values()))


def _metric(i, policy, metric_id):
    metrics = i.resources[policy]["Properties"]["TargetTrackingConfiguration"]["CustomizedMetricSpecification"]["Metrics"]
    return next(m for m in metrics if m["Id"] == metric_id)


def _statements(i, policy):
    return i.resources[policy]["Properties"]["PolicyDocument"]["Statement"]


_replace_text = selftest.replace_text


def _set_port(service, index, value):
    def mutate(i):
        i.compose["services"][service]["ports"][index] = value
    return mutate


# (what the mutation breaks, the check that must catch it, the mutation)
MUTATIONS = [
    ("the EC2 path on by default", "off-by-default",
     lambda i: i.template["Parameters"]["CreateEc2AutoScalingGroup"].update(Default="true")),
    ("the backup vault without a condition", "off-by-default",
     lambda i: i.resources["BackupVault"].pop("Condition")),
    ("no launch template", "launch-template", lambda i: i.resources.pop("Ec2LaunchTemplate")),
    ("an AMI id written into the template", "ami-ssm", lambda i: _lt(i).update(ImageId="ami-0123456789abcdef0")),
    ("an unencrypted root volume", "volumes-encrypted",
     lambda i: _lt(i)["BlockDeviceMappings"][0]["Ebs"].update(Encrypted=False)),
    ("a data volume on the AWS managed key", "volumes-encrypted",
     lambda i: _lt(i)["BlockDeviceMappings"][1]["Ebs"].pop("KmsKeyId")),
    ("a gp2 data volume", "volumes-encrypted", lambda i: _lt(i)["BlockDeviceMappings"][1]["Ebs"].update(VolumeType="gp2")),
    ("no data volume", "volumes-encrypted", lambda i: _lt(i)["BlockDeviceMappings"].pop(1)),
    ("the EC2 path without the rule that requires KmsKeyArn", "volumes-encrypted",
     lambda i: i.template["Rules"]["Ec2AutoScalingGroupNeeds"]["Assertions"].pop(0)),
    ("IMDSv1 allowed", "imdsv2", lambda i: _lt(i)["MetadataOptions"].update(HttpTokens="optional")),
    ("hop limit 1 (containers lose the instance role)", "imdsv2",
     lambda i: _lt(i)["MetadataOptions"].update(HttpPutResponseHopLimit=1)),
    ("a public IP on the instances", "no-public-ip",
     lambda i: _lt(i)["NetworkInterfaces"][0].update(AssociatePublicIpAddress=True)),
    ("the group in the public subnets", "no-public-ip",
     lambda i: _group(i)["Properties"].update(VPCZoneIdentifier={"Ref": "PublicSubnetIds"})),
    ("SSH open on the instances", "no-ssh",
     lambda i: i.resources["Ec2InstanceSecurityGroup"]["Properties"]["SecurityGroupIngress"].append(
         {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"})),
    ("all traffic into the database's group (port 22 included)", "no-ssh",
     lambda i: i.resources["DatabaseSecurityGroup"]["Properties"]["SecurityGroupIngress"].append(
         {"IpProtocol": "-1", "CidrIp": "10.0.0.0/16"})),
    ("a key pair on the launch template", "no-ssh", lambda i: _lt(i).update(KeyName="ops")),
    ("the images policy reading image-events instead", "scaling-metric-math",
     lambda i: _metric(i, "ImagesBacklogScalingPolicy", "visible")["MetricStat"]["Metric"]["Dimensions"][0].update(
         Value={"Fn::GetAtt": ["ImageEventsQueue", "QueueName"]})),
    ("the invoices policy reading its DLQ", "scaling-metric-math",
     lambda i: _metric(i, "InvoicesBacklogScalingPolicy", "visible")["MetricStat"]["Metric"]["Dimensions"][0].update(
         Value={"Fn::GetAtt": ["InvoicesDeadLetterQueue", "QueueName"]})),
    ("backlog not divided by the instances", "scaling-metric-math",
     lambda i: _metric(i, "ImagesBacklogScalingPolicy", "backlogPerInstance").update(Expression="visible")),
    ("messages in flight instead of visible", "scaling-metric-math",
     lambda i: _metric(i, "ImagesBacklogScalingPolicy", "visible")["MetricStat"]["Metric"].update(
         MetricName="ApproximateNumberOfMessagesNotVisible")),
    ("a target that is not the documented number", "scaling-metric-math",
     lambda i: i.template["Parameters"]["ImagesBacklogPerInstance"].update(Default=100)),
    ("a fixed desired capacity", "scaling-metric-math",
     lambda i: _group(i)["Properties"].update(DesiredCapacity=2)),
    ("EC2 status checks only", "replaces-unhealthy", lambda i: _group(i)["Properties"].update(HealthCheckType="EC2")),
    ("no readiness lifecycle hook", "replaces-unhealthy",
     lambda i: _group(i)["Properties"].pop("LifecycleHookSpecificationList")),
    ("the container health reporter never enabled", "replaces-unhealthy",
     _replace_text("deploy/ec2/install.sh", "systemctl enable --now esteira-health.timer", "true")),
    ("the group pinned to launch template version 1", "refresh-on-version",
     lambda i: _group(i)["Properties"]["LaunchTemplate"].update(Version="1")),
    ("no waiting for new instances' signals", "refresh-on-version",
     lambda i: _group(i)["UpdatePolicy"]["AutoScalingRollingUpdate"].pop("WaitOnResourceSignals")),
    ("user data that is not valid bash", "user-data",
     lambda i: _lt(i)["UserData"]["Fn::Base64"].update(
         {"Fn::Sub": _lt(i)["UserData"]["Fn::Base64"]["Fn::Sub"].replace("finish() {", "finish() {{")})),
    ("stack.env without the database endpoint", "user-data",
     lambda i: _lt(i)["UserData"]["Fn::Base64"].update(
         {"Fn::Sub": re.sub(r"DATABASE_ENDPOINT=.*\n", "", _lt(i)["UserData"]["Fn::Base64"]["Fn::Sub"])})),
    ("a vault on the AWS Backup default key", "backup-plan",
     lambda i: i.resources["BackupVault"]["Properties"].pop("EncryptionKeyArn")),
    ("a weekly plan", "backup-plan",
     lambda i: i.resources["BackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"][0].update(
         ScheduleExpression="cron(0 6 ? * SUN *)")),
    ("retention not the parameter", "backup-plan",
     lambda i: i.resources["BackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"][0]["Lifecycle"].update(
         DeleteAfterDays=7)),
    ("the database selection naming another instance", "backup-plan",
     lambda i: i.resources["DatabaseBackupSelection"]["Properties"]["BackupSelection"].update(
         Resources=[{"Fn::Sub": "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:other-db"}])),
    ("a volume tag the launch template does not set", "backup-plan",
     lambda i: i.resources["VolumesBackupSelection"]["Properties"]["BackupSelection"]["Conditions"]["StringEquals"][0].update(
         ConditionValue="weekly")),
    ("no backup-failure rule", "backup-failure-alarm", lambda i: i.resources.pop("BackupFailedRule")),
    ("the rule listening to COMPLETED jobs", "backup-failure-alarm",
     lambda i: i.resources["BackupFailedRule"]["Properties"]["EventPattern"]["detail"].update(state=["COMPLETED"])),
    ("the topic refusing EventBridge", "backup-failure-alarm",
     lambda i: i.resources["AlarmsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"].pop(1)),
    ("s3:* on * for the instances", "least-privilege",
     lambda i: _statements(i, "Ec2HostPolicy").append({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})),
    ("secretsmanager:GetSecretValue on * for the instances", "least-privilege",
     lambda i: _statements(i, "Ec2HostPolicy").append(
         {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": "*"})),
    ("ECR pulls from every repository", "least-privilege",
     lambda i: _statements(i, "Ec2HostPolicy")[1].update(
         Resource={"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*"})),
    ("AdministratorAccess on AWS Backup's role", "least-privilege",
     lambda i: i.resources["AwsBackupRole"]["Properties"]["ManagedPolicyArns"].append(
         {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"})),
    ("the instance role trusted by Lambda too", "least-privilege",
     lambda i: i.resources["Ec2Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"].append(
         {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})),
    ("ingest may not delete renditions (an erasure leaves them)", "service-permissions",
     lambda i: next(s for s in _statements(i, "IngestPolicy") if s.get("Sid") == "EraseRenditions").update(
         Action=["s3:GetObject"])),
    ("ingest may not delete invoice originals (retention)", "service-permissions",
     lambda i: next(s for s in _statements(i, "IngestPolicy") if s.get("Sid") == "EraseAndExpireOriginals")[
         "Resource"].pop(1)),
    ("ingest may delete object versions", "service-permissions",
     lambda i: next(s for s in _statements(i, "IngestPolicy") if s.get("Sid") == "EraseAndExpireOriginals")[
         "Action"].append("s3:DeleteObjectVersion")),
    ("ingest may no longer send to esteira-image-events (erasure events)", "service-permissions",
     lambda i: next(s for s in _statements(i, "IngestPolicy") if s.get("Sid") == "RedriveToSourceQueues")[
         "Resource"].remove({"Fn::GetAtt": ["ImageEventsQueue", "Arn"]})),
    ("crm-sync reads the tenants' tokens under another name", "service-permissions",
     lambda i: next(s for s in _statements(i, "CrmSyncPolicy") if s.get("Sid") == "ReadTenantHubspotTokens").update(
         Resource={"Fn::Sub": TENANT_TOKENS.replace("/hubspot/*", "/crm/*")})),
    ("crm-sync reads every secret", "service-permissions",
     lambda i: next(s for s in _statements(i, "CrmSyncPolicy") if s.get("Sid") == "ReadTenantHubspotTokens").update(
         Resource="*")),
    ("images expire after a fixed 730 days", "retention",
     lambda i: next(r for r in i.resources["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
                    if r.get("Prefix") == "images/").update(ExpirationInDays=730)),
    ("one expiry for every upload again", "retention",
     lambda i: next(r for r in i.resources["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
                    if not r.get("Prefix")).update(ExpirationInDays={"Ref": "ImageOriginalRetentionDays"},
                                                   ExpiredObjectDeleteMarker=None)),
    ("invoices kept 1 year by default", "retention",
     lambda i: i.template["Parameters"]["InvoiceOriginalRetentionDays"].update(Default=365)),
    ("an image retention shorter than its tiering transition", "retention",
     lambda i: i.template["Parameters"]["ImageOriginalRetentionDays"].update(MinValue=1)),
    ("renditions expire", "retention",
     lambda i: next(r for r in i.resources["OutputBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
                    if r.get("Prefix") == "thumbnails/").update(ExpirationInDays=365)),
    ("erased renditions kept as noncurrent versions forever", "retention",
     lambda i: next(r for r in i.resources["OutputBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
                    if r.get("Prefix") == "thumbnails/").pop("NoncurrentVersionExpiration")),
    ("erased invoices' versions kept 90 days", "retention",
     lambda i: next(r for r in i.resources["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
                    if r.get("Prefix") == "invoices/").update(NoncurrentVersionExpiration={"NoncurrentDays": 90})),
    ("multipart uploads never aborted", "retention",
     lambda i: next(r for r in i.resources["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
                    if not r.get("Prefix")).pop("AbortIncompleteMultipartUpload")),
    ("stack.env without the image retention", "retention",
     lambda i: _lt(i)["UserData"]["Fn::Base64"].update(
         {"Fn::Sub": re.sub(r"IMAGE_ORIGINAL_RETENTION_DAYS=.*\n", "", _lt(i)["UserData"]["Fn::Base64"]["Fn::Sub"])})),
    ("install.sh ignores the stack's image retention", "retention",
     _replace_text("deploy/ec2/install.sh", "IMAGEORIGINALS=${image_days}d", "IMAGEORIGINALS=180d")),
    ("ingest-config's invoice retention is not the stack's default", "retention",
     _replace_text("k8s/base/ingest.yaml", 'ESTEIRA_INGEST_RETENTION_INVOICEORIGINALS: "1830d"',
                   'ESTEIRA_INGEST_RETENTION_INVOICEORIGINALS: "365d"')),
    ("stack.env without the JWT issuer", "bearer-tokens",
     lambda i: _lt(i)["UserData"]["Fn::Base64"].update(
         {"Fn::Sub": re.sub(r"JWT_ISSUER_URI=.*\n", "", _lt(i)["UserData"]["Fn::Base64"]["Fn::Sub"])})),
    ("install.sh writes an empty issuer when the stack names none", "bearer-tokens",
     _replace_text("deploy/ec2/install.sh", 'if [ -n "${JWT_ISSUER_URI:-}" ]; then',
                   'JWT_ISSUER_URI=${JWT_ISSUER_URI:-}; if true; then')),
    ("install.sh drops the audiences", "bearer-tokens",
     _replace_text("deploy/ec2/install.sh", '[ -z "${JWT_AUDIENCES:-}" ] ||', "false &&")),
    ("ingest published on every interface", "compose-bind", _set_port("ingest", 0, "8080:8080")),
    ("invoice published on 0.0.0.0", "compose-bind", _set_port("invoice", 0, "0.0.0.0:8082:8082")),
    ("a management port on the bind address", "compose-bind",
     _set_port("crm-sync", 0, "${ESTEIRA_BIND_ADDRESS:-127.0.0.1}:9083:9090")),
    ("install.sh binding every interface", "compose-bind",
     _replace_text("deploy/ec2/install.sh", "bind=$(imds local-ipv4)", "bind=0.0.0.0")),
    ("install.sh accepting 0.0.0.0", "compose-bind",
     _replace_text("deploy/ec2/install.sh", 'case "$bind" in 0.0.0.0|::|"")', 'case "$bind" in "")')),
    ("the jar unit on every interface", "compose-bind",
     _replace_text("deploy/ec2/systemd/esteira@.service", "-Dserver.address=${ESTEIRA_BIND_ADDRESS} ", "")),
    ("a placeholder install.sh does not fill", "install",
     _replace_text("deploy/ec2/esteira.env.example", "S3_PUBLIC_ENDPOINT=", "S3_PUBLIC_ENDPOINT=<PublicEndpoint>")),
    ("a file install.sh needs left out of the bundle", "install",
     lambda i: i.bundle.remove("esteira-health.sh")),
]


def self_test(inputs, verbose=False):
    """(real-failures, [(description, check, caught, failures)]) for the real inputs and every mutation."""
    return selftest.self_test(check, MUTATIONS, inputs, verbose)
