#!/bin/sh
# Writes the secrets docker/compose.yml mounts, into docker/secrets/ (or the folder given), each
# one only when it is missing: a secret already there is in use, and replacing the personal data
# key would make every name on the register unreadable. Needs openssl.
#
# The folder is readable by this account only. Its files are readable by all, because compose
# mounts them into the containers as they are on the host, and the containers' users (postgres,
# node) are not this account.
set -eu
dir="${1:-$(dirname "$0")/secrets}"
umask 077
mkdir -p "$dir"
chmod 700 "$dir"

# Hex: the database passwords go into connection URLs, where base64's '/' and '+' would need escaping.
put() {
  name="$1"
  value="$2"
  if [ -e "$dir/$name" ]; then
    echo "kept     $dir/$name"
    return
  fi
  printf '%s\n' "$value" > "$dir/$name"
  chmod 444 "$dir/$name"
  echo "written  $dir/$name"
}
# The URLs hold the passwords: read back what is kept, so that a URL written now matches them.
secret() {
  if [ -e "$dir/$1" ]; then head -n 1 "$dir/$1"; else openssl rand -hex 24; fi
}

postgres_password="$(secret postgres_password)"
app_database_password="$(secret app_database_password)"
put postgres_password "$postgres_password"
put app_database_password "$app_database_password"
put database_owner_url "postgres://health_support:$postgres_password@postgres:5432/health_support"
put database_url "postgres://health_support_app:$app_database_password@postgres:5432/health_support"
put admin_password "$(openssl rand -base64 18)"
put auth_token_secret "$(openssl rand -base64 48)"
put personal_data_key "$(openssl rand -base64 32)"
put metrics_token "$(openssl rand -hex 32)"

echo "Back up $dir/personal_data_key apart from the database: without it no name on the register can be read."
echo "The administrator 'admin' signs in with the password in $dir/admin_password."
