#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the `integration-pg` test project (Debian's postgresql
# package, never a container or a download): initdb into its own directory, its own unix socket
# directory, port 55432 on 127.0.0.1 only, a test role with a password (scram-sha-256 over TCP)
# that may create databases (each test file gets one of its own).
#
#   bash scripts/pg-test.sh up      start it (idempotent; quick when already running); prints the URL
#   bash scripts/pg-test.sh env     the same, as `export KSC_TEST_PG_URL=…` for eval
#   bash scripts/pg-test.sh down    stop it and delete its directory
#   bash scripts/pg-test.sh status
#
# KSC_PG_DIR (default /tmp/ksc-pg-test) and KSC_PG_PORT (default 55432) move it. Nothing in it is
# meant to last: fsync is off.
set -euo pipefail
DIR=${KSC_PG_DIR:-/tmp/ksc-pg-test}
PORT=${KSC_PG_PORT:-55432}
ROLE=ksc_test
PASS=ksc_test
URL="postgres://$ROLE:$PASS@127.0.0.1:$PORT/ksc_test"
DATA=$DIR/data
SOCK=$DIR/run

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "PostgreSQL is not installed: run scripts/install-deps.sh (Debian's postgresql)" >&2; exit 1; }

# initdb and postgres refuse to run as root: as root, run them as the package's `postgres` user.
if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER=$(id -un)
  as_owner() { "$@"; }
fi

psql_admin() { as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d postgres "$@"; }
running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

up() {
  mkdir -p "$DIR"
  exec 9>"$DIR.lock"
  flock 9
  if ! running; then
    if [ ! -f "$DATA/PG_VERSION" ]; then
      rm -rf "$DATA"
      mkdir -p "$DATA" "$SOCK"
      chown -R "$OWNER" "$DIR"
      chmod 700 "$DATA"
      as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
      cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    mkdir -p "$SOCK"
    chown "$OWNER" "$SOCK"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >/dev/null 9>&- \
      || { tail -n 20 "$DIR/server.log" >&2; exit 1; }
  fi
  if ! psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'" | grep -q 1; then
    psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASS'"
  fi
  if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'ksc_test'" | grep -q 1; then
    psql_admin -c "CREATE DATABASE ksc_test OWNER $ROLE"
  fi
}

case "${1:-up}" in
  up) up; echo "$URL" ;;
  env) up; echo "export KSC_TEST_PG_URL='$URL'" ;;
  url) echo "$URL" ;;
  status) if running; then echo "running: $URL"; else echo "stopped"; exit 3; fi ;;
  down)
    if running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null; fi
    rm -rf "$DIR" "$DIR.lock"
    ;;
  *) echo "usage: $0 up|env|url|status|down" >&2; exit 2 ;;
esac
