#!/usr/bin/env bash
# Installs Esteira (containers) on an Amazon Linux 2023 instance from an unpacked EC2 bundle (deploy/ec2/bundle.sh)
# and starts it: deploy/README.md's former EC2 hand steps 3 and 4, as code. The stack's launch template runs it at
# boot; on a hand-made instance run it the same way:
#   sudo /opt/esteira-bundle/install.sh /etc/esteira/stack.env
# stack.env holds the stack's values, one KEY=value a line (the user data writes it), every key in `required` below;
# optional: IMAGE_ORIGINAL_RETENTION_DAYS (default 180) and INVOICE_ORIGINAL_RETENTION_DAYS (1830), the stack's S3
# retention of originals, and JWT_ISSUER_URI, JWT_AUDIENCES (bearer tokens for ingest and invoice; empty = off).
# Idempotent: a second run reinstalls the files and restarts the services with them.
#   install.sh --render <stack.env> <dir>   only writes esteira.env and compose.env into <dir> (no root, no network
#                                            when ESTEIRA_BIND_ADDRESS is set): deploy/check.sh runs it offline.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

render_only=false
if [ "${1:-}" = --render ]; then render_only=true; shift; fi
stack_env=${1:?usage: install.sh [--render] <stack.env> [dir]}
required=(ESTEIRA_RESOURCE_PREFIX AWS_REGION ESTEIRA_REGISTRY ESTEIRA_VERSION DATABASE_ENDPOINT UPLOADS_BUCKET OUTPUT_BUCKET NOTIFICATIONS_TOPIC_ARN PUBLIC_BASE_URL LOG_GROUP SERVER_SIDE_ENCRYPTION)
# KEY=value lines, read as data (never sourced: a value is not shell).
while IFS= read -r line; do
  [[ $line =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] && export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
done < "$stack_env"
for key in "${required[@]}"; do
  [ -n "${!key:-}" ] || { echo "install.sh: $stack_env sets no $key" >&2; exit 2; }
done
image_days=${IMAGE_ORIGINAL_RETENTION_DAYS:-180}
invoice_days=${INVOICE_ORIGINAL_RETENTION_DAYS:-1830}
for days in "$image_days" "$invoice_days"; do
  [[ $days =~ ^[1-9][0-9]*$ ]] || { echo "install.sh: retention '$days' is not a number of days" >&2; exit 2; }
done
log() { echo "esteira-install: $*"; }

imds() {
  local token
  token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# fill <example> <target> NAME=value...: copies an example settings file, replacing each <Placeholder> named by a
# CamelCase NAME and the value of each UPPER_CASE key; fails on an unknown name or a placeholder left unfilled.
fill() {
  python3 - "$@" <<'PY'
import re, sys
source, target, *pairs = sys.argv[1:]
values = dict(pair.split("=", 1) for pair in pairs)
keys = {k: v for k, v in values.items() if re.fullmatch(r"[A-Z][A-Z0-9_]*", k)}
placeholders = {k: v for k, v in values.items() if k not in keys}
lines, seen = [], set()
for line in open(source):
    key = line.split("=", 1)[0]
    if not line.startswith("#") and "=" in line and key in keys:
        line = f"{key}={keys[key]}\n"
        seen.add(key)
    for name, value in placeholders.items():
        if f"<{name}>" in line:
            line = line.replace(f"<{name}>", value)
            seen.add(name)
    if not line.startswith("#") and re.search(r"<[A-Za-z]+>", line):
        sys.exit(f"fill: {source}: {line.strip()} is left unfilled")
    lines.append(line)
unknown = set(values) - seen
if unknown:
    sys.exit(f"fill: {source} has no {sorted(unknown)}")
with open(target, "w") as out:
    out.writelines(lines)
PY
}

render() {   # render <dir>: the services' settings and the host's, from the examples and stack.env
  local dir=$1 bind=${ESTEIRA_BIND_ADDRESS:-}
  # The APIs listen on this instance's private address only (the load balancer's target; the security group admits
  # the load balancer alone): never on every interface (issue 16).
  [ -n "$bind" ] || bind=$(imds local-ipv4)
  case "$bind" in 0.0.0.0|::|"") echo "install.sh: refusing bind address '$bind'" >&2; exit 2 ;; esac
  fill "$here/esteira.env.example" "$dir/esteira.env" \
    "DatabaseEndpoint=$DATABASE_ENDPOINT" \
    "UploadsBucketName=$UPLOADS_BUCKET" \
    "OutputBucketName=$OUTPUT_BUCKET" \
    "NotificationsTopicArn=$NOTIFICATIONS_TOPIC_ARN" \
    "AWS_REGION=$AWS_REGION" \
    "ESTEIRA_AWS_QUEUES_IMAGES=$ESTEIRA_RESOURCE_PREFIX-images" \
    "ESTEIRA_AWS_QUEUES_INVOICES=$ESTEIRA_RESOURCE_PREFIX-invoices" \
    "ESTEIRA_AWS_QUEUES_IMAGEEVENTS=$ESTEIRA_RESOURCE_PREFIX-image-events" \
    "ESTEIRA_AWS_QUEUES_STATUS=$ESTEIRA_RESOURCE_PREFIX-status" \
    "ESTEIRA_CRM_PUBLICBASEURL=$PUBLIC_BASE_URL" \
    "ESTEIRA_INGEST_SERVERSIDEENCRYPTION=$SERVER_SIDE_ENCRYPTION" \
    "ESTEIRA_INGEST_RETENTION_IMAGEORIGINALS=${image_days}d" \
    "ESTEIRA_INGEST_RETENTION_INVOICEORIGINALS=${invoice_days}d"
  # Bearer tokens only when the stack names an issuer (an empty issuer would still be a setting).
  if [ -n "${JWT_ISSUER_URI:-}" ]; then
    echo "ESTEIRA_SECURITY_JWT_ISSUERURI=$JWT_ISSUER_URI" >> "$dir/esteira.env"
    [ -z "${JWT_AUDIENCES:-}" ] || echo "ESTEIRA_SECURITY_JWT_AUDIENCES=$JWT_AUDIENCES" >> "$dir/esteira.env"
  fi
  fill "$here/compose.env.example" "$dir/compose.env" \
    "ESTEIRA_REGISTRY=$ESTEIRA_REGISTRY" \
    "ESTEIRA_VERSION=$ESTEIRA_VERSION" \
    "AWS_REGION=$AWS_REGION" \
    "ESTEIRA_LOG_GROUP=$LOG_GROUP" \
    "ESTEIRA_RESOURCE_PREFIX=$ESTEIRA_RESOURCE_PREFIX" \
    "ESTEIRA_BIND_ADDRESS=$bind"
}

if $render_only; then
  render "${2:?usage: install.sh --render <stack.env> <dir>}"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 2; }

# 1. The data volume (the launch template's second gp3 volume, encrypted with the stack's key) holds Docker's images
#    and containers: formatted once, mounted at /var/lib/docker before Docker starts.
data_device() {   # the unmounted EBS disk (not the root one, not an instance store disk)
  local root disk
  root=$(lsblk -no PKNAME "$(findmnt -no SOURCE /)")
  for disk in $(lsblk -dpno NAME,TYPE | awk '$2 == "disk" {print $1}'); do
    [ "$(basename "$disk")" = "$root" ] && continue
    case "$(lsblk -dno MODEL "$disk")" in *"Elastic Block Store"*) ;; *) continue ;; esac
    [ -z "$(lsblk -no MOUNTPOINT "$disk" | tr -d '[:space:]')" ] && { echo "$disk"; return; }
  done
}
if ! findmnt -n /var/lib/docker >/dev/null; then
  device=$(data_device)
  if [ -n "$device" ]; then
    blkid "$device" >/dev/null || mkfs.xfs -q -L esteira-data "$device"
    install -d /var/lib/docker
    grep -q 'LABEL=esteira-data' /etc/fstab || echo 'LABEL=esteira-data /var/lib/docker xfs defaults,nofail 0 2' >> /etc/fstab
    mount /var/lib/docker
    log "data volume $device mounted at /var/lib/docker"
  else
    log "no data volume found: Docker stays on the root volume"
  fi
fi

# 2. Packages: Docker, the Compose plugin (Amazon Linux 2023 does not ship it: the bundle carries a pinned one) and
#    the PostgreSQL client (the wait for the database roles below, and esteira-db-roles.sh).
dnf install -y -q docker
dnf install -y -q postgresql17 || dnf install -y -q postgresql16 || dnf install -y -q postgresql15
if ! docker compose version >/dev/null 2>&1; then
  install -D -m 0755 "$here/docker-compose" /usr/libexec/docker/cli-plugins/docker-compose
fi
systemctl enable --now docker

# 3. Files (the former hand step 3).
id esteira >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin esteira
install -d /opt/esteira/bin /opt/esteira/sql /etc/esteira /etc/esteira/rds
install -m 0644 "$here/compose.yaml" /opt/esteira/compose.yaml
install -m 0755 "$here/esteira-secrets.sh" "$here/esteira-health.sh" "$here/esteira-db-roles.sh" \
  "$here/esteira-backup.sh" /opt/esteira/bin/
install -m 0644 "$here/service-roles.sql" "$here/service-role.sql" /opt/esteira/sql/
install -m 0644 "$here/global-bundle.pem" /etc/esteira/rds/global-bundle.pem    # TLS verify-full to RDS
install -m 0644 "$here"/systemd/*.service "$here"/systemd/*.timer /etc/systemd/system/
[ "$(realpath "$stack_env")" = /etc/esteira/stack.env ] || install -m 0644 "$stack_env" /etc/esteira/stack.env
staging=$(mktemp -d)
render "$staging"
install -m 0644 "$staging/esteira.env" /etc/esteira/esteira.env
install -m 0644 "$staging/compose.env" /etc/esteira/compose.env
rm -rf "$staging"
systemctl daemon-reload

# 4. Secrets, then wait for the database roles: deploy/database/service-roles.sql runs once, by hand, after the
#    first deployment (it needs the master password, which no instance may read). Until then the services could only
#    crash-loop; the instance waits instead (its launch lifecycle hook keeps it out of service meanwhile).
systemctl enable --now esteira-secrets
wait_seconds=${ESTEIRA_DATABASE_WAIT_SECONDS:-3000}
deadline=$(( $(date +%s) + wait_seconds ))
setting() { sed -n "s/^$2=//p" "$1" | head -n 1; }    # setting <env file> <KEY>, read as data
can_log_in() {
  PGPASSWORD=$(setting "/run/esteira/$1.env" DATABASE_PASSWORD) psql -w -q -tA -c 'select 1' \
    "host=$DATABASE_ENDPOINT dbname=esteira user=$(setting "/run/esteira/$1.env" DATABASE_USERNAME) sslmode=verify-full sslrootcert=/etc/esteira/rds/global-bundle.pem connect_timeout=5" \
    >/dev/null 2>&1
}
for service in ingest image-processing invoice crm-sync; do
  while ! can_log_in "$service"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "install.sh: $service's database role cannot log in after ${wait_seconds}s: run esteira-db-roles.sh (deploy/README.md)" >&2
      exit 1
    fi
    log "waiting for $service's database role: once, from a Session Manager shell on this instance, run sudo /opt/esteira/bin/esteira-db-roles.sh"
    sleep 30
  done
done

# 5. Start (the former hand step 4): ECR login, pull, up, wait until every container is healthy.
systemctl enable esteira-compose
systemctl restart esteira-compose
# In an Auto Scaling group: report the instance unhealthy when a container stays unhealthy (the ALB sees only two).
if [ -n "${AUTOSCALING_GROUP:-}" ]; then
  systemctl enable --now esteira-health.timer
fi
log "Esteira $ESTEIRA_VERSION is running"
