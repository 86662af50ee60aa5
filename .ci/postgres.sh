#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 only, in a temporary folder.
#
#   eval "$(bash .ci/postgres.sh start)"   # prints the two export lines below on stdout, all else on stderr
#     export BACKOFFICE_TEST_POSTGRES='Host=127.0.0.1;Port=PORT;Username=postgres;Database=postgres;Include Error Detail=true'
#     export BACKOFFICE_PG_DIR=DIR
#   bash .ci/postgres.sh stop              # stops the cluster in $BACKOFFICE_PG_DIR and removes that folder
#   bash .ci/postgres.sh bindir            # prints the PostgreSQL binary folder that start uses
#
# The binaries: $BACKOFFICE_PG_BIN if set, else the highest version under /usr/lib/postgresql/*/bin (Debian's
# `apt-get install -y postgresql`). PostgreSQL refuses to run as root: as root the cluster belongs to the
# `postgres` user (made by the package); as anyone else it belongs to that user. Trust auth, user postgres, UTF8,
# and no fsync: the data is thrown away at the end.
set -euo pipefail

MARKER=".backoffice-test-postgres"   # a folder without it is never stopped or removed by `stop`
READY_SECONDS=15
PORT_TRIES=5

err() { printf 'postgres.sh: %s\n' "$*" >&2; }

# The folder holding initdb, pg_ctl, pg_isready, psql and postgres.
find_bindir() {
  local dir="" d
  if [[ -n "${BACKOFFICE_PG_BIN:-}" ]]; then
    dir="$BACKOFFICE_PG_BIN"
  else
    # The highest version: sort -V puts 9.6 < 10 < 15 < 17, the last one wins.
    local found=()
    shopt -s nullglob
    found=(/usr/lib/postgresql/*/bin/initdb)
    shopt -u nullglob
    if (( ${#found[@]} > 0 )); then
      d="$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)"
      dir="${d%/initdb}"
    fi
  fi
  if [[ -z "$dir" ]]; then
    err "no PostgreSQL binaries: /usr/lib/postgresql/*/bin/initdb does not exist. Install them with 'apt-get install -y postgresql' (or set BACKOFFICE_PG_BIN to the folder holding initdb and pg_ctl)."
    return 1
  fi
  local tool
  for tool in initdb pg_ctl pg_isready psql postgres; do
    if [[ ! -x "$dir/$tool" ]]; then
      err "PostgreSQL binary $dir/$tool is missing or not executable (install 'postgresql', or fix BACKOFFICE_PG_BIN)."
      return 1
    fi
  done
  printf '%s\n' "$dir"
}

# Run a command as the user that owns the cluster: `postgres` when we are root, ourselves otherwise.
# $1 is that user; the command runs with the cluster folder as its working directory (the postgres user may not
# be able to enter the caller's).
as_owner() {
  local owner="$1"; shift
  if (( EUID == 0 )) && [[ "$owner" != root ]]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u "$owner" -- "$@"
    else
      su -s /bin/sh "$owner" -c 'exec "$@"' sh "$@"
    fi
  else
    "$@"
  fi
}

log_tail() {
  local log="$1"
  if [[ -s "$log" ]]; then
    err "last lines of the server log $log:"
    tail -n 30 "$log" | sed 's/^/    /' >&2
  else
    err "(the server log $log is empty or missing)"
  fi
}

port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ]] && return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# A loopback port nothing listens on, below Linux's ephemeral range (32768+) so that outgoing connections do not
# take it meanwhile. Races with another process are handled by start's retry.
pick_port() {
  local port i
  for (( i = 0; i < 200; i++ )); do
    port=$(( 15432 + RANDOM % 17000 ))
    port_in_use "$port" || { printf '%s\n' "$port"; return 0; }
  done
  err "found no free TCP port on 127.0.0.1 between 15432 and 32431."
  return 1
}

# --- start -----------------------------------------------------------------------------------------------------
PG_DIR="" PG_OWNER="" PG_BIN="" STARTED=0

# On any failure of start: stop what was started, remove the folder.
cleanup_failed_start() {
  local rc=$?
  (( rc == 0 )) && return 0
  if [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
    if (( STARTED )) || [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
      (cd "$PG_DIR" && as_owner "$PG_OWNER" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 10 stop) >/dev/null 2>&1 || true
    fi
    rm -rf -- "$PG_DIR"
  fi
  err "PostgreSQL did not start (see above)."
  exit "$rc"
}

cmd_start() {
  PG_BIN="$(find_bindir)" || exit 1
  local base
  if (( EUID == 0 )); then
    getent passwd postgres >/dev/null 2>&1 \
      || { err "running as root, but there is no 'postgres' user to own the cluster (PostgreSQL refuses to run as root): install the 'postgresql' package, which creates it."; exit 1; }
    command -v runuser >/dev/null 2>&1 || command -v su >/dev/null 2>&1 \
      || { err "running as root and neither runuser nor su is there to run PostgreSQL as 'postgres'."; exit 1; }
    PG_OWNER=postgres
    base=/tmp   # world-traversable, so the postgres user can reach the folder (a root TMPDIR may not be)
  else
    PG_OWNER="$(id -un)"
    base="${TMPDIR:-/tmp}"
    # The Unix socket lives in the folder and its path is limited to ~107 bytes.
    (( ${#base} <= 60 )) || base=/tmp
  fi

  trap cleanup_failed_start EXIT
  PG_DIR="$(mktemp -d "$base/backoffice-pg.XXXXXX")" || { err "cannot make a temporary folder under $base."; exit 1; }
  : >"$PG_DIR/$MARKER"
  if [[ "$PG_OWNER" != "$(id -un)" ]]; then
    chown -R "$PG_OWNER:" "$PG_DIR" || { err "cannot give $PG_DIR to the user $PG_OWNER."; exit 1; }
  fi
  local log="$PG_DIR/log" initlog="$PG_DIR/initdb.log"

  local locale=(--no-locale)   # C; C.UTF-8 when the system has it, so that upper()/lower() know non-ASCII letters
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=(--locale=C.UTF-8); fi
  if ! (cd "$PG_DIR" && as_owner "$PG_OWNER" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 "${locale[@]}" --no-sync) \
      >"$initlog" 2>&1; then
    err "initdb failed ($PG_BIN/initdb as $PG_OWNER). Its output:"
    sed 's/^/    /' "$initlog" >&2
    exit 1
  fi

  # Settings in a file of their own, included last by postgresql.conf.
  printf "\ninclude 'backoffice-test.conf'\n" >>"$PG_DIR/data/postgresql.conf"
  local port="" try ok=0
  for (( try = 1; try <= PORT_TRIES; try++ )); do
    port="$(pick_port)" || exit 1
    cat >"$PG_DIR/data/backoffice-test.conf" <<EOF
# Written by .ci/postgres.sh: a throwaway test cluster.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_DIR'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    [[ "$PG_OWNER" == "$(id -un)" ]] || chown "$PG_OWNER:" "$PG_DIR/data/backoffice-test.conf" "$PG_DIR/data/postgresql.conf"
    STARTED=1
    local log_before=0
    [[ -f "$log" ]] && log_before="$(stat -c %s "$log")"
    if (cd "$PG_DIR" && as_owner "$PG_OWNER" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$log" -w -t "$READY_SECONDS" start) >&2 </dev/null; then
      ok=1
      break
    fi
    # Someone took the port between the check and the bind: try another one.
    if [[ -f "$log" ]] && tail -c "+$(( log_before + 1 ))" "$log" | grep -q 'could not bind\|Address already in use' \
        && ! (cd "$PG_DIR" && as_owner "$PG_OWNER" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status) >/dev/null 2>&1; then
      err "port $port was taken meanwhile; trying another."
      STARTED=0
      continue
    fi
    break
  done
  if (( ! ok )); then
    err "pg_ctl start failed or the server was not up within ${READY_SECONDS}s (binaries $PG_BIN, user $PG_OWNER, port $port)."
    log_tail "$log"
    exit 1
  fi

  # pg_ctl -w waited for the postmaster; wait until it answers on TCP as the tests will connect.
  local deadline=$(( SECONDS + READY_SECONDS ))
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 1; do
    if (( SECONDS >= deadline )); then
      err "PostgreSQL on 127.0.0.1:$port did not answer pg_isready within ${READY_SECONDS}s."
      log_tail "$log"
      exit 1
    fi
    sleep 0.2
  done
  local answer
  if ! answer="$(PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' 2>&1)" \
      || [[ "$answer" != 1 ]]; then
    err "PostgreSQL on 127.0.0.1:$port is up but 'select 1' failed: $answer"
    log_tail "$log"
    exit 1
  fi

  trap - EXIT
  err "PostgreSQL $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$port, data in $PG_DIR/data, log $log"
  printf "export BACKOFFICE_TEST_POSTGRES='Host=127.0.0.1;Port=%s;Username=postgres;Database=postgres;Include Error Detail=true'\n" "$port"
  printf 'export BACKOFFICE_PG_DIR=%q\n' "$PG_DIR"
}

# --- stop ------------------------------------------------------------------------------------------------------
cmd_stop() {
  local dir="${BACKOFFICE_PG_DIR:-}"
  if [[ -z "$dir" ]]; then
    err "stop: BACKOFFICE_PG_DIR is not set (eval the output of 'postgres.sh start' first)."
    exit 1
  fi
  if [[ ! -d "$dir" ]]; then
    err "stop: $dir does not exist: nothing to stop."
    exit 0
  fi
  if [[ ! -f "$dir/$MARKER" ]]; then
    err "stop: $dir was not made by postgres.sh start (no $MARKER in it): not touching it."
    exit 1
  fi
  local owner rc=0
  owner="$(stat -c %U "$dir")"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    local bin
    bin="$(find_bindir)" || exit 1
    if ! (cd "$dir" && as_owner "$owner" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop) >&2; then
      err "stop: fast shutdown failed; trying an immediate one."
      if ! (cd "$dir" && as_owner "$owner" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop) >&2 \
          && (cd "$dir" && as_owner "$owner" "$bin/pg_ctl" -D "$dir/data" status) >/dev/null 2>&1; then
        err "stop: the server in $dir/data is still running; leaving $dir in place."
        log_tail "$dir/log"
        exit 1
      fi
      rc=1
    fi
  fi
  rm -rf -- "$dir" || { err "stop: could not remove $dir."; exit 1; }
  exit "$rc"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  bindir) find_bindir ;;
  *) err "usage: $0 start|stop|bindir"; exit 2 ;;
esac
