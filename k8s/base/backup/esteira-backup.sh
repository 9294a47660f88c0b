#!/bin/sh
# Esteira's schema backups: one pg_dump (custom format) per service schema, uploaded to the output bucket under
# backups/<UTC timestamp>/ with a SHA-256 per dump. The bucket's default encryption (SSE-S3, or the stack's KMS key)
# encrypts them; its lifecycle rule expires backups/ after 35 days. Used by the k8s CronJob (two containers: "dump"
# with the PostgreSQL client, "upload" with the AWS CLI) and on EC2 (esteira-backup.service runs both).
# Reads: DATABASE_URL (JDBC form), DATABASE_USERNAME, DATABASE_PASSWORD, ESTEIRA_AWS_OUTPUTBUCKET, AWS_REGION,
# optional AWS_ENDPOINT_URL and S3_PATH_STYLE (emulators), BACKUP_DIR (default /backup).
set -eu
dir="${BACKUP_DIR:-/backup}"
schemas="${ESTEIRA_BACKUP_SCHEMAS:-ingest image_processing invoice crm_sync}"

case "${1:-}" in
  dump)
    # jdbc:postgresql://host:5432/esteira?sslmode=require -> a libpq URI
    url="${DATABASE_URL#jdbc:}"
    export PGUSER="$DATABASE_USERNAME" PGPASSWORD="${DATABASE_PASSWORD:-}"
    for schema in $schemas; do
      pg_dump --format=custom --schema="$schema" --no-owner --no-privileges --file="$dir/$schema.dump" "$url"
      (cd "$dir" && sha256sum "$schema.dump" > "$schema.dump.sha256")
      echo "dumped schema $schema: $(wc -c < "$dir/$schema.dump") bytes"
    done
    ;;
  upload)
    [ -n "${AWS_ENDPOINT_URL:-}" ] || unset AWS_ENDPOINT_URL
    if [ "${S3_PATH_STYLE:-false}" = true ]; then aws configure set default.s3.addressing_style path; fi
    target="s3://$ESTEIRA_AWS_OUTPUTBUCKET/backups/$(date -u +%Y-%m-%dT%H%M%SZ)/"
    aws s3 cp "$dir" "$target" --recursive --only-show-errors
    echo "uploaded $(ls "$dir" | wc -l) files to $target"
    ;;
  *)
    echo "usage: esteira-backup.sh dump|upload" >&2
    exit 2
    ;;
esac
