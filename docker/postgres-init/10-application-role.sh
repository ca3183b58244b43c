#!/bin/sh
# The application's own role (least privilege, see docs/security.md): it logs in, owns nothing.
# The schema belongs to POSTGRES_USER, whose `migrate` service grants this role what it needs.
# The password comes from a mounted secret file (compose.yml), as POSTGRES_PASSWORD does; the
# variable itself is still taken, as the image takes POSTGRES_PASSWORD, for a set-up without files.
set -eu
if [ -n "${APP_DATABASE_PASSWORD_FILE:-}" ]; then
  if [ -n "${APP_DATABASE_PASSWORD:-}" ]; then
    echo "APP_DATABASE_PASSWORD and APP_DATABASE_PASSWORD_FILE are both set: set one" >&2
    exit 1
  fi
  APP_DATABASE_PASSWORD="$(cat "$APP_DATABASE_PASSWORD_FILE")"
fi
if [ -z "${APP_DATABASE_PASSWORD:-}" ]; then
  echo "APP_DATABASE_PASSWORD_FILE (or APP_DATABASE_PASSWORD) must give the application role's password" >&2
  exit 1
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DATABASE_PASSWORD" <<'SQL'
CREATE ROLE health_support_app LOGIN PASSWORD :'app_password';
SQL
