#!/usr/bin/env bash
# Offline checks of the deployment files (no cluster, no Docker, no AWS account): renders every kustomize overlay,
# holds every container to the hardening policy, checks deploy/cloudformation/*.yaml and the EC2 path as code with
# its mutation self-test (see deploy/check.py). `deploy/check.sh --ec2 -v` runs the EC2 part alone, verbosely.
# Needs kubectl (with kustomize v5) and python3 with PyYAML; installs Debian's python3-yaml when it is missing.
# Exits non-zero on any violation; the last line is "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# --ec2 [-v]: only the EC2-as-code checks and their mutation self-test (no kubectl needed); see check.py.
ec2_only=false
[ "${1:-}" = --ec2 ] && ec2_only=true

if ! $ec2_only && ! command -v kubectl >/dev/null 2>&1; then
  # Debian's own kubernetes-client (1.20) is far too old for kustomize v5 features: only the "kubectl" package
  # (Kubernetes' or Google's apt repository) will do, where a repository for it is configured.
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq kubectl >/dev/null 2>&1 || true
fi
if ! $ec2_only && ! kubectl version --client 2>/dev/null | grep -Eq 'Kustomize Version: v[5-9]'; then
  echo "deploy/check.sh: needs kubectl with kustomize v5 or later (kubectl 1.27+); found: $(command -v kubectl || echo none)" >&2
  exit 2
fi

# A python3 that can import yaml: the one on PATH, else Debian's (installing python3-yaml when missing).
python=python3
if ! "$python" -c 'import yaml' 2>/dev/null; then
  if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq python3-yaml >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && apt-get install -y -qq python3-yaml >/dev/null; }
  fi
  python=/usr/bin/python3
fi

exec "$python" deploy/check.py "$@"
