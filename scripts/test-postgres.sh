#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server for the test run: initdb into a temporary directory, listening only on
# a Unix socket there (no TCP port). Prints the socket directory. As root it runs as the `postgres` system user,
# since PostgreSQL refuses to run as root. Stop it with: scripts/test-postgres.sh stop <dir>
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "stop" ]; then
  as_pg "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$2"
  exit 0
fi

dir=$(mktemp -d /tmp/senderd-pg-run-XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
chmod 700 "$dir"
as_pg "$bin/initdb" -D "$dir/data" -U senderd --auth=trust -E UTF8 --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-k $dir -c listen_addresses= -c fsync=off -c max_connections=200" start >/dev/null
echo "$dir"
