#!/usr/bin/env bash
# The one test command: installs or checks what the tests need, builds once, runs every test project (and the
# till's node tests when package.json has them), and ends with the line `Tests: N passed, N failed`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/artifacts/test-results"
START=$SECONDS
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export BACKOFFICE_E2E_ARTIFACTS="$RESULTS/e2e-screenshots"
# Each project's default run has no provider; providers.txt beside a project adds runs with one (see below).
unset BACKOFFICE_TEST_PROVIDER

passed=0 failed=0 skipped=0
problems=()

step() { printf '\n==> %s\n' "$*"; }
problem() { problems+=("$1"); printf 'FAILED: %s\n' "$1" >&2; }

# The throwaway PostgreSQL cluster (.ci/postgres.sh): stopped before the summary, so that the summary line stays
# the last one printed, and by the EXIT trap on any other way out. Its server log is kept with the results.
pg_started=0
stop_postgres() {
  (( pg_started )) || return 0
  pg_started=0
  if [[ -d "$RESULTS" && -f "${BACKOFFICE_PG_DIR:-}/log" ]]; then cp "$BACKOFFICE_PG_DIR/log" "$RESULTS/postgres.log" || true; fi
  bash "$ROOT/.ci/postgres.sh" stop || problem "could not stop the test PostgreSQL cluster in ${BACKOFFICE_PG_DIR:-?}"
}
trap stop_postgres EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

summary() {
  stop_postgres
  local line="Tests: $passed passed, $failed failed"
  (( skipped > 0 )) && line+=", $skipped skipped"
  printf '\n'
  if (( ${#problems[@]} > 0 )); then
    printf 'Problems:\n'
    printf '  - %s\n' "${problems[@]}"
  fi
  printf 'Took %ss. Results in %s\n' "$((SECONDS - START))" "${RESULTS#"$ROOT"/}"
  printf '%s\n' "$line"
}

# A step that cannot go on: say why, still end with the summary line, fail.
die() { problem "$*"; summary; exit 1; }

# --- What the tests need on the machine -------------------------------------------------------------------
step "Checking tools"
command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH: install the .NET SDK $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json) (see global.json) and run again."
dotnet --version

# PostgreSQL: the highest version under /usr/lib/postgresql/*/bin (Debian's package), found by .ci/postgres.sh.
pg_bindir() { bash "$ROOT/.ci/postgres.sh" bindir 2>/dev/null; }

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
pg_bindir >/dev/null || missing+=(postgresql)
if (( ${#missing[@]} > 0 )); then
  step "Installing ${missing[*]} (Debian packages)"
  SUDO=""
  if (( EUID != 0 )); then
    command -v sudo >/dev/null 2>&1 || die "${missing[*]} missing and not root (no sudo): run 'apt-get update && apt-get install -y ${missing[*]}' as root."
    SUDO="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || die "${missing[*]} missing and apt-get is not available: install ${missing[*]} (Chromium at /usr/bin/chromium) by hand."
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q || die "apt-get update failed: cannot install ${missing[*]}."
  $SUDO apt-get install -y -q "${missing[@]}" || die "apt-get install ${missing[*]} failed."
  [[ -x /usr/bin/chromium ]] || die "chromium was installed but /usr/bin/chromium is missing."
  command -v redis-server >/dev/null 2>&1 || die "redis-server was installed but is not on PATH."
fi
PG_BIN="$(pg_bindir)" \
  || die "PostgreSQL is needed by the tests but its binaries are missing (no /usr/lib/postgresql/*/bin/initdb, pg_ctl, pg_isready, psql, postgres): run 'apt-get install -y postgresql' as root."
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
echo "redis-server: $(redis-server --version | head -1)"
echo "postgres: $("$PG_BIN/postgres" --version) ($PG_BIN)"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# --- The till's front-end packages and tests (package.json at the root, when there is one) ----------------
has_script() { node -e 'const s=require(process.argv[1]).scripts||{}; process.exit(s[process.argv[2]]?0:1)' "$ROOT/package.json" "$1"; }

if [[ -f package.json ]]; then
  command -v npm >/dev/null 2>&1 || die "package.json needs npm (Node.js), which is not on PATH: apt-get install -y nodejs npm."
  if [[ -f package-lock.json ]]; then
    step "npm ci"
    npm ci --no-audit --no-fund || die "npm ci failed."
  else
    step "npm install (no package-lock.json yet)"
    npm install --no-audit --no-fund || die "npm install failed."
  fi
  if has_script typecheck; then
    step "npm run typecheck"
    npm run --silent typecheck || problem "npm run typecheck failed"
  fi
  if has_script test:till; then
    step "npm run test:till"
    node_log="$RESULTS/till-node-tests.txt"
    node_rc=0
    npm run --silent test:till 2>&1 | tee "$node_log" || node_rc=$?
    # node --test prints its totals at the end: '# pass N' (TAP) or 'ℹ pass N' (spec reporter).
    count() { sed -n -E "s/^(#|ℹ) $1 ([0-9]+)\s*$/\2/p" "$node_log" | tail -1; }
    n_tests=$(count tests) n_pass=$(count pass) n_fail=$(count fail)
    n_cancelled=$(count cancelled) n_skipped=$(count skipped) n_todo=$(count todo)
    if [[ -z "$n_tests" || -z "$n_pass" ]]; then
      problem "test:till printed no node test totals (exit code $node_rc)"
    else
      passed=$((passed + n_pass))
      failed=$((failed + ${n_fail:-0} + ${n_cancelled:-0}))
      skipped=$((skipped + ${n_skipped:-0} + ${n_todo:-0}))
      echo "till (node): $n_pass passed, $(( ${n_fail:-0} + ${n_cancelled:-0} )) failed, $(( ${n_skipped:-0} + ${n_todo:-0} )) skipped"
      (( n_tests > 0 )) || problem "test:till ran no tests"
      (( node_rc == 0 || ${n_fail:-0} + ${n_cancelled:-0} > 0 )) || problem "test:till exited with $node_rc"
    fi
  fi
else
  echo "No package.json: no front-end packages or node tests."
fi

# --- Build once, then every test project one after another ------------------------------------------------
step "dotnet tool restore"
dotnet tool restore || die "dotnet tool restore failed."

step "dotnet build BackOffice.sln -c Release"
if ! dotnet build BackOffice.sln -c Release -nologo; then
  problem "dotnet build failed"
  summary
  exit 1
fi

step "dotnet format --verify-no-changes (.editorconfig)"
dotnet format BackOffice.sln --verify-no-changes --no-restore \
  || problem "dotnet format: code not in the style of .editorconfig (run 'dotnet format BackOffice.sln' and commit)"

# Test projects: those of the solution under tests/ and e2e/ that reference the test SDK.
mapfile -t projects < <(dotnet sln BackOffice.sln list | tr '\\' '/' | grep -E '^(tests|e2e)/.*\.csproj$' \
  | while read -r p; do if grep -q 'Microsoft.NET.Test.Sdk' "$p"; then echo "$p"; fi; done \
  | awk '{ print (/^e2e\//) "\t" $0 }' | sort | cut -f2)   # unit and component tests first, browser tests last
(( ${#projects[@]} > 0 )) || problem "no test projects found in BackOffice.sln"

# A throwaway PostgreSQL cluster on 127.0.0.1 for the whole test run: BACKOFFICE_TEST_POSTGRES holds its
# connection string. (Captured before eval: `eval "$(cmd)"` succeeds even when cmd fails.)
step "Starting a throwaway PostgreSQL cluster"
pg_env="$(bash "$ROOT/.ci/postgres.sh" start)" || die "could not start the test PostgreSQL cluster (.ci/postgres.sh start, see above)."
eval "$pg_env"
pg_started=1
echo "BACKOFFICE_TEST_POSTGRES=$BACKOFFICE_TEST_POSTGRES"

attr() { local v; v=$(sed -n -E "s/.* $1=\"([0-9]+)\".*/\1/p" <<<"$2"); echo "${v:-0}"; }

# Extra providers of a test project: providers.txt in the project's folder, one name a line (e.g. PostgreSql),
# '#' starts a comment. Each adds a run of the project with BACKOFFICE_TEST_PROVIDER=<name>.
providers_of() {
  local file
  file="$(dirname "$1")/providers.txt"
  [[ -f "$file" ]] || return 0
  sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$file" | awk 'NF && !seen[$0]++'
}

# One run of a test project: $1 the .csproj, $2 the provider ('' for the default run, without the variable).
run_tests() {
  local project="$1" provider="$2" name label trx rc=0 counters total p f s
  name="$(basename "$project" .csproj)"
  label="$name" trx="$name.trx"
  if [[ -n "$provider" ]]; then
    label="$name [$provider]" trx="$name.$provider.trx"
  fi
  local args=(test "$project" --no-build -c Release --logger "trx;LogFileName=$trx" --results-directory "$RESULTS")
  if [[ -n "$provider" ]]; then
    step "dotnet test $project with BACKOFFICE_TEST_PROVIDER=$provider"
    BACKOFFICE_TEST_PROVIDER="$provider" dotnet "${args[@]}" || rc=$?
  else
    step "dotnet test $project"
    dotnet "${args[@]}" || rc=$?
  fi
  trx="$RESULTS/$trx"
  if [[ ! -f "$trx" ]]; then
    problem "$label produced no TRX (dotnet test exit code $rc)"
    return 0
  fi
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1 || true)"
  if [[ -z "$counters" ]]; then
    problem "$label: no result counters in $trx"
    return 0
  fi
  total=$(attr total "$counters")
  p=$(attr passed "$counters")
  f=$(( $(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters") ))
  # xunit's TRX leaves skipped tests out of "executed" (its notExecuted stays 0): what did not run is skipped.
  s=$(( total - $(attr executed "$counters") ))
  (( s >= 0 )) || s=0
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  echo "$label: $p passed, $f failed, $s skipped (of $total)"
  (( total > 0 )) || problem "$label ran no tests"
  (( rc == 0 || f > 0 )) || problem "$label: dotnet test exited with $rc although no test failed"
}

# SQL Server is not started here (no Debian package): BACKOFFICE_TEST_SQLSERVER=<connection string> asks for one more run
# of every project with a providers.txt, on that server.
if [[ -n "${BACKOFFICE_TEST_SQLSERVER:-}" ]]; then
  echo "SQL Server: asked for (BACKOFFICE_TEST_SQLSERVER set): the projects with a providers.txt run on it too."
else
  echo "SQL Server: not asked for; set BACKOFFICE_TEST_SQLSERVER=<connection string> to run those projects on a SQL Server too."
fi

for project in "${projects[@]}"; do
  run_tests "$project" ""
  mapfile -t providers < <(providers_of "$project")
  if [[ -n "${BACKOFFICE_TEST_SQLSERVER:-}" && ${#providers[@]} -gt 0 ]]; then providers+=(SqlServer); fi
  for provider in "${providers[@]}"; do
    if [[ ! "$provider" =~ ^[A-Za-z0-9_.-]+$ ]]; then
      problem "$(dirname "$project")/providers.txt: '$provider' is not a provider name (letters, digits, _ . - only)"
      continue
    fi
    run_tests "$project" "$provider"
  done
done

summary
(( failed == 0 && ${#problems[@]} == 0 ))
