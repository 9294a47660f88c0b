#!/usr/bin/env bash
# Writes each service's secrets from AWS Secrets Manager to /run/esteira/<service>.env (tmpfs, root:esteira 0640),
# so they never touch the disk and each service gets only its own: its database role's name and password (the
# read-only backup role for the backup), the HubSpot token and webhook key for crm-sync, the API key hashes for
# ingest and invoice, each client's callback signing key and the foreign objects' id key for ingest.
# Credentials: the instance profile.
# Usage: esteira-secrets.sh [prefix]   (the stack's ResourcePrefix, default esteira)
#        esteira-secrets.sh --callback-env < callback-secrets.json   prints what ingest gets from that JSON (no AWS)
set -euo pipefail

# Callback signing keys, one per client (the API key's name): {"chatbot": "...", "local-demo": "..."} ->
# ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_CHATBOT=..., ..._LOCALDEMO=...: upper case, punctuation left out (ingest
# compares client names ignoring case and punctuation; Spring would read a "_" inside the name as a nesting level and
# bind the key to no client). An entry that cannot be written is left out with a warning (that client's callbacks are
# refused at registration), never the whole file: a name without ASCII letters or digits or with other letters, a key
# that is not a one-line string, two names that end up the same; a secret that is no JSON object gives no keys.
callback_env() {
  python3 -c 'import json, re, sys
try:
    clients = json.load(sys.stdin)
except ValueError as error:
    clients = f"not JSON ({error})"
if not isinstance(clients, dict):
    print(f"esteira-secrets: callback-secrets is not a JSON object of client -> key, no callback keys: {clients!r:.80}", file=sys.stderr)
    clients = {}
names = {}
for client, key in clients.items():
    name = re.sub(r"[^A-Z0-9]", "", client.upper())
    if not name or not client.isascii():
        print(f"esteira-secrets: callback client {client!r}: not a name of ASCII letters and digits, left out", file=sys.stderr)
    elif not isinstance(key, str) or not key.strip() or len(key.splitlines()) != 1:
        print(f"esteira-secrets: callback client {client!r}: its key is not a one-line string, left out", file=sys.stderr)
    else:
        names.setdefault(name, []).append((client, key))
for name, entries in sorted(names.items()):
    if len(entries) > 1:
        print(f"esteira-secrets: callback clients {[c for c, _ in entries]} are the same to ingest, all left out", file=sys.stderr)
    else:
        print(f"ESTEIRA_INGEST_NOTIFICATIONS_CLIENTSECRETS_{name}={entries[0][1]}")'
}
if [ "${1:-}" = --callback-env ]; then callback_env; exit; fi

prefix="${1:-esteira}"
region="${AWS_REGION:-$(TOKEN=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token \
  -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') && curl -fsS -H "X-aws-ec2-metadata-token: $TOKEN" \
  http://169.254.169.254/latest/meta-data/placement/region)}"
secret() {
  aws secretsmanager get-secret-value --region "$region" --secret-id "$prefix/$1" --query SecretString --output text
}
# JSON object -> KEY=value lines (values are single-line; systemd and compose read them verbatim).
to_env() { python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.load(sys.stdin).items()]'; }

# Each service's own PostgreSQL role (deploy/database/service-roles.sql), never the master user.
database() {
  secret "database/$1" | python3 -c 'import json,sys; s = json.load(sys.stdin)
print("DATABASE_USERNAME=" + s["username"]); print("DATABASE_PASSWORD=" + s["password"])'
}
db_ingest=$(database ingest)
db_image_processing=$(database image-processing)
db_invoice=$(database invoice)
db_crm_sync=$(database crm-sync)
db_backup=$(database backup)
hubspot=$(secret hubspot | python3 -c 'import json,sys; print("HUBSPOT_TOKEN=" + json.load(sys.stdin)["token"])')
api_keys=$(secret api-keys | to_env)
webhook=$(secret crm-webhook | python3 -c 'import json,sys; print("CRM_WEBHOOK_SECRET=" + json.load(sys.stdin)["secret"])')
callback_secrets=$(secret callback-secrets | callback_env)
foreign_objects=$(secret foreign-objects | python3 -c 'import json,sys; print("ESTEIRA_FOREIGN_OBJECT_ID_SECRET=" + json.load(sys.stdin)["secret"])')

umask 027
install -d -m 0750 -o root -g esteira /run/esteira
write() {
  local file="/run/esteira/$1.env"
  printf '%s\n' "${@:2}" > "$file.tmp"
  chgrp esteira "$file.tmp" && chmod 0640 "$file.tmp" && mv "$file.tmp" "$file"
}
write ingest "$db_ingest" "$api_keys" "$callback_secrets" "$foreign_objects"
write image-processing "$db_image_processing"
write invoice "$db_invoice" "$api_keys"
write crm-sync "$db_crm_sync" "$hubspot" "$webhook"
write backup "$db_backup"
echo "esteira-secrets: wrote /run/esteira/{ingest,image-processing,invoice,crm-sync,backup}.env"
