#!/bin/sh
# The application's own role (least privilege, see docs/security.md): it logs in, owns nothing.
# The schema belongs to POSTGRES_USER, whose `migrate` service grants this role what it needs.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DATABASE_PASSWORD" <<'SQL'
CREATE ROLE health_support_app LOGIN PASSWORD :'app_password';
SQL
