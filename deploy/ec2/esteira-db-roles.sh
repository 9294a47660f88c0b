#!/usr/bin/env bash
# Creates or updates the services' PostgreSQL roles (deploy/database/service-roles.sql, installed in /opt/esteira/sql)
# from this instance: once after the first deployment, and after rotating a service's password. The one step of the
# EC2 path that stays by hand: it needs the master user's password, which no instance role may read (the stack keeps
# <prefix>/database from every instance and pod). Run it in a Session Manager shell:
#   sudo /opt/esteira/bin/esteira-db-roles.sh
# and paste the master password when asked; get it on your own machine with
#   aws secretsmanager get-secret-value --secret-id esteira/database --query SecretString --output text
# The services' passwords come from /run/esteira/<service>.env (esteira-secrets.service); nothing is written to disk.
set -euo pipefail
setting() { sed -n "s/^$2=//p" "$1" | head -n 1; }    # setting <env file> <KEY>, read as data
endpoint=$(setting /etc/esteira/stack.env DATABASE_ENDPOINT)
master=${ESTEIRA_DATABASE_MASTER:-esteira}    # the stack's master user (its secret's username)
if [ -z "${PGPASSWORD:-}" ]; then
  read -rsp "master password of $master@$endpoint: " PGPASSWORD && echo
fi
export PGPASSWORD
password() { setting "/run/esteira/$1.env" DATABASE_PASSWORD; }
psql -w -v ON_ERROR_STOP=1 \
  "host=$endpoint dbname=esteira user=$master sslmode=verify-full sslrootcert=/etc/esteira/rds/global-bundle.pem" \
  -v ingest_password="$(password ingest)" -v image_processing_password="$(password image-processing)" \
  -v invoice_password="$(password invoice)" -v crm_sync_password="$(password crm-sync)" \
  -v backup_password="$(password backup)" \
  -f /opt/esteira/sql/service-roles.sql
echo "esteira-db-roles: roles created or updated; instances waiting for them continue within 30 s"
