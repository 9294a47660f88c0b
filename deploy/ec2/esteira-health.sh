#!/usr/bin/env bash
# Reports this instance unhealthy to its Auto Scaling group when a service container has been unhealthy, stopped or
# missing for ESTEIRA_HEALTH_STRIKES (5) checks in a row, so the group replaces it. Docker restarts a container that
# exits, not one whose health check fails; the load balancer checks only ingest and invoice. esteira-health.timer runs
# it every minute once install.sh has the services up (only in an Auto Scaling group).
set -euo pipefail
setting() { sed -n "s/^$2=//p" "$1" | head -n 1; }
region=$(setting /etc/esteira/compose.env AWS_REGION)
strikes_file=/run/esteira/health-strikes
limit=${ESTEIRA_HEALTH_STRIKES:-5}
bad=()
for service in ingest image-processing invoice crm-sync; do
  state=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' \
    "esteira-$service-1" 2>/dev/null || echo missing)
  [ "$state" = healthy ] || bad+=("$service=$state")
done
if [ ${#bad[@]} -eq 0 ]; then
  echo 0 > "$strikes_file"
  exit 0
fi
strikes=$(( $(cat "$strikes_file" 2>/dev/null || echo 0) + 1 ))
echo "$strikes" > "$strikes_file"
echo "esteira-health: ${bad[*]} (check $strikes of $limit)"
if [ "$strikes" -ge "$limit" ]; then
  token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  instance=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id)
  aws autoscaling set-instance-health --region "$region" --instance-id "$instance" --health-status Unhealthy
  echo "esteira-health: reported $instance unhealthy: the Auto Scaling group replaces it"
fi
