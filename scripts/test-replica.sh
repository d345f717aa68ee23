#!/usr/bin/env bash
# A streaming replica of the local test cluster, for test/replica.e2e-spec.ts (and .ci/run).
#
#   scripts/test-replica.sh start   start it (a no-op when it runs already); prints its server URL
#   scripts/test-replica.sh stop    stop it (its data stay, so the next start only catches up)
#   scripts/test-replica.sh remove  stop it and delete its data
#
# The primary is the cluster at TEST_REPLICA_PRIMARY (default postgres://postgres@127.0.0.1:5432); it needs
# wal_level=replica (the default) and a free WAL sender, and a pg_hba.conf line that lets 127.0.0.1 connect
# for replication, which this script adds (trust, like the test cluster's other lines) and reloads when it may
# write that file. The replica is a `pg_basebackup -R` of the whole cluster in TEST_REPLICA_DIR (default
# /tmp/xkld-test-replica-<port>), served on TEST_REPLICA_PORT (default 5433) by the primary's own binaries,
# run as the user that owns the primary's data (postgres) when this script runs as root.
set -euo pipefail

PRIMARY="${TEST_REPLICA_PRIMARY:-postgres://postgres@127.0.0.1:5432}"
PORT="${TEST_REPLICA_PORT:-5433}"
DIR="${TEST_REPLICA_DIR:-/tmp/xkld-test-replica-$PORT}"
HOST=127.0.0.1
URL="postgres://postgres@$HOST:$PORT"

log() { echo "[test-replica] $*" >&2; }
primary_sql() { psql "$PRIMARY/postgres" -XAtqc "$1"; }
replica_sql() { psql "$URL/postgres" -XAtqc "$1" 2>/dev/null; }

# The server's binaries, of the primary's major version (Debian keeps them out of PATH).
major=$(($(primary_sql 'SHOW server_version_num') / 10000))
BIN="/usr/lib/postgresql/$major/bin"
[ -x "$BIN/pg_ctl" ] || BIN="$(pg_config --bindir 2>/dev/null || dirname "$(command -v pg_ctl)")"
[ -x "$BIN/pg_ctl" ] || { log "no pg_ctl of PostgreSQL $major found"; exit 1; }

# Root runs the server as the owner of the primary's data; anyone else runs it as themselves.
OWNER=$(id -un)
if [ "$(id -u)" = 0 ]; then
  OWNER=$(stat -c %U "$(primary_sql 'SHOW data_directory' 2>/dev/null || echo /var/lib/postgresql)" 2>/dev/null || echo postgres)
  [ "$OWNER" = root ] && OWNER=postgres
fi
as_owner() { if [ "$(id -un)" = "$OWNER" ]; then "$@"; else runuser -u "$OWNER" -- "$@"; fi; }

running() { [ "$(replica_sql 'SELECT pg_is_in_recovery()')" = t ]; }
streaming() { [ "$(replica_sql "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")" = 1 ]; }
wait_streaming() {
  for _ in $(seq 1 "$1"); do streaming && return 0; sleep 0.5; done
  return 1
}
pg_ctl_() { as_owner "$BIN/pg_ctl" -D "$DIR" "$@"; }

allow_replication() {
  local level hba
  level=$(primary_sql 'SHOW wal_level')
  [ "$level" != minimal ] || { log "the primary has wal_level=minimal: set it to replica and restart it"; exit 1; }
  hba=$(primary_sql 'SHOW hba_file')
  if grep -Eq "^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+$HOST/32[[:space:]]+trust" "$hba" 2>/dev/null; then
    return
  fi
  if [ -w "$hba" ]; then
    log "allowing replication connections from $HOST in $hba"
    printf '# Added by xkld scripts/test-replica.sh: the test replica streams from here.\nhost replication all %s/32 trust\n' "$HOST" >>"$hba"
    primary_sql 'SELECT pg_reload_conf()' >/dev/null
    sleep 0.5
  else
    log "cannot write $hba: add 'host replication all $HOST/32 trust' and reload PostgreSQL"
  fi
}

fresh_copy() {
  pg_ctl_ -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chown "$OWNER" "$DIR"
  chmod 700 "$DIR"
  log "copying the cluster at $PRIMARY into $DIR (pg_basebackup -R)"
  as_owner "$BIN/pg_basebackup" -d "$PRIMARY/postgres" -D "$DIR" -R -X stream -c fast --no-sync
  # The copy holds the primary's data directory only: Debian keeps the configuration in /etc. Settings the
  # copy may carry (the primary's port) are overridden in postgresql.auto.conf, read last. A hot standby
  # needs at least the primary's connection and lock limits.
  [ -f "$DIR/postgresql.conf" ] || as_owner touch "$DIR/postgresql.conf"
  as_owner touch "$DIR/pg_ident.conf"
  printf 'local all all trust\nhost all all %s/32 trust\n' "$HOST" | as_owner tee "$DIR/pg_hba.conf" >/dev/null
  {
    echo "# scripts/test-replica.sh"
    echo "port = $PORT"
    echo "listen_addresses = '$HOST'"
    echo "unix_socket_directories = '$DIR'"
    echo "hba_file = '$DIR/pg_hba.conf'"
    echo "ident_file = '$DIR/pg_ident.conf'"
    echo "hot_standby = on"
    echo "hot_standby_feedback = on"
    echo "shared_buffers = 64MB"
    echo "fsync = off"
    echo "ssl = off"
    for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
      max_locks_per_transaction; do
      echo "$setting = $(primary_sql "SHOW $setting")"
    done
  } | as_owner tee -a "$DIR/postgresql.auto.conf" >/dev/null
}

start() {
  if running; then
    echo "$URL"
    return
  fi
  if pg_isready -q -h "$HOST" -p "$PORT"; then
    log "something that is not a standby listens on $HOST:$PORT: set TEST_REPLICA_PORT"
    exit 1
  fi
  allow_replication
  # Data kept by `stop` catch up by streaming when the primary still has the WAL since; otherwise a new copy.
  if [ -f "$DIR/standby.signal" ]; then
    rm -f "$DIR/postmaster.pid"
    if pg_ctl_ -l "$DIR/server.log" -w -t 60 start >/dev/null && wait_streaming 20; then
      log "started again from $DIR"
      echo "$URL"
      return
    fi
    log "the kept copy does not catch up (see $DIR/server.log): copying again"
  fi
  fresh_copy
  pg_ctl_ -l "$DIR/server.log" -w -t 120 start >/dev/null || {
    tail -n 20 "$DIR/server.log" >&2
    exit 1
  }
  wait_streaming 60 || { log "the replica does not stream (see $DIR/server.log)"; exit 1; }
  log "streaming replica of $PRIMARY on $HOST:$PORT"
  echo "$URL"
}

stop() {
  [ -f "$DIR/postmaster.pid" ] || return 0
  pg_ctl_ -m fast -w stop >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  remove)
    stop
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop|remove" >&2
    exit 2
    ;;
esac
