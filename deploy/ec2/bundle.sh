#!/usr/bin/env bash
# Builds the EC2 release bundle that the stack's launch template fetches at boot, and uploads it where the user data
# looks for it: s3://<Ec2BundleBucket>/esteira-ec2/<version>.tar.gz (stack parameters Ec2BundleBucket, EsteiraVersion).
#   deploy/ec2/bundle.sh <version> [s3://<bucket>]      -> ./esteira-ec2-<version>.tar.gz, uploaded when a bucket is given
# Run it at release time, beside pushing the four images to ECR with the same tag. The bundle holds install.sh and
# everything it installs: deploy/ec2 (compose file, units, scripts, settings examples), the schema backup script,
# the database role scripts, the RDS CA bundle and a pinned Docker Compose plugin (Amazon Linux 2023 ships neither),
# so at boot an instance reaches only S3, ECR, Secrets Manager and the Amazon Linux repositories.
# Environment: COMPOSE_VERSION (v2.29.7), ARCH (x86_64; aarch64 for Graviton, with the arm64 AMI parameter),
# BUNDLE_OFFLINE=1 leaves the two downloads out (deploy/check.sh builds such a bundle to check its contents).
set -euo pipefail
version=${1:?usage: bundle.sh <version> [s3://bucket]}
destination=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
compose_version=${COMPOSE_VERSION:-v2.29.7}
arch=${ARCH:-x86_64}
out=$PWD/esteira-ec2-$version.tar.gz

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ec2=$root/deploy/ec2
install -m 0755 "$ec2/install.sh" "$ec2/esteira-secrets.sh" "$ec2/esteira-health.sh" "$ec2/esteira-db-roles.sh" \
  "$root/k8s/base/backup/esteira-backup.sh" "$staging/"
install -m 0644 "$ec2/compose.yaml" "$ec2/compose.env.example" "$ec2/esteira.env.example" "$ec2/cloudwatch-agent.json" \
  "$ec2/logrotate-esteira" "$root/deploy/database/service-roles.sql" "$root/deploy/database/service-role.sql" \
  "$staging/"
install -d "$staging/systemd"
install -m 0644 "$ec2"/systemd/*.service "$ec2"/systemd/*.timer "$staging/systemd/"

if [ "${BUNDLE_OFFLINE:-0}" != 1 ]; then
  base=https://github.com/docker/compose/releases/download/$compose_version
  curl -fsSLo "$staging/docker-compose" "$base/docker-compose-linux-$arch"
  expected=$(curl -fsSL "$base/docker-compose-linux-$arch.sha256" | cut -d' ' -f1)
  echo "$expected  $staging/docker-compose" | sha256sum -c --quiet
  chmod 0755 "$staging/docker-compose"
  curl -fsSLo "$staging/global-bundle.pem" https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
  grep -q 'BEGIN CERTIFICATE' "$staging/global-bundle.pem"
fi

(cd "$staging" && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum > SHA256SUMS)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -czf "$out" -C "$staging" .
echo "bundle.sh: $out ($(du -h "$out" | cut -f1))"
if [ -n "$destination" ]; then
  aws s3 cp "$out" "${destination%/}/esteira-ec2/$version.tar.gz"
fi
