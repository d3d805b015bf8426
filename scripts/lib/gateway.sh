# shellcheck shell=bash
# Sourced, not executed, by the scripts that run their own throwaway gateway (bench-read.sh,
# bench-issuance.sh, load-test.sh, soak.sh), so that starting it and, above all, stopping it and
# everything it started is written (and fixed) once.
#
# The sourcing script runs under `set -euo pipefail` and defines `log MESSAGE` and `die MESSAGE`
# (die exits with the script's own error status): these functions report through them, so each
# script keeps its log prefix and its exit codes. Every function here is safe under set -eu.
#
#   gateway_init PREFIX [EXIT_HANDLER]  WORK=fresh temp dir, DATA_DIR=$WORK/data; EXIT/INT/TERM traps
#   gateway_start [JVM_OPTION...]       start the jar, wait (bounded) for /health/ready; sets
#                                       GATEWAY_PORT, GATEWAY_URL, GATEWAY_PID
#   gateway_admin_token                 sets ADMIN_TOKEN (an admin JWT for that gateway)
#   gateway_tenants COUNT NAME OUT      COUNT industry tenants named NAME-00000..., a test key
#                                       each, through the admin API; OUT gets "key<TAB>tenant" lines
#   gateway_stop                        SIGTERM, bounded wait, SIGKILL; then its leftover children
#   gateway_cleanup [RC]                the default EXIT handler: gateway_stop, remove WORK (kept
#                                       with KEEP_WORK=1), exit RC
#   stop_pid PID NAME GRACE_SECONDS     TERM, wait, KILL, for any process the script started

GATEWAY_JAR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/learncoin-gateway.jar
GATEWAY_READY_TIMEOUT=${GATEWAY_READY_TIMEOUT:-180}
GATEWAY_PID='' GATEWAY_PORT='' GATEWAY_URL='' GATEWAY_ENV=() WORK='' DATA_DIR='' ADMIN_TOKEN=''
[ -n "${GATEWAY_EXTRA_ENV+x}" ] || GATEWAY_EXTRA_ENV=()

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

gateway_init() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  DATA_DIR=$WORK/data
  # Traps before anything is started: a failure from here on still stops it and removes WORK.
  # shellcheck disable=SC2064 # the handler's name is fixed now, on purpose
  trap "${2:-gateway_cleanup}" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

gateway_start() {
  GATEWAY_PORT=$(free_port)
  GATEWAY_URL=http://127.0.0.1:$GATEWAY_PORT
  # Embedded defaults (PostgreSQL under DATA_DIR, local anvil) whatever the caller's environment
  # points at: a shared database or a real chain would be measured, and written to, instead.
  # An array, not a function: `env ... java &` then execs into java, so GATEWAY_PID is the JVM.
  # GATEWAY_EXTRA_ENV (an array of NAME=value) is the one way a script points it elsewhere.
  GATEWAY_ENV=(env -u LEARNCOIN_DB_URL -u LEARNCOIN_CHAIN_TEST_RPC -u LEARNCOIN_CHAIN_LIVE_RPC
    LEARNCOIN_HTTP_PORT="$GATEWAY_PORT" LEARNCOIN_DATA_DIR="$DATA_DIR" "${GATEWAY_EXTRA_ENV[@]}")
  log "starting the gateway on port $GATEWAY_PORT, data in $DATA_DIR (log: $WORK/gateway.log)"
  "${GATEWAY_ENV[@]}" java "$@" -jar "$GATEWAY_JAR" run >"$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  local deadline=$((SECONDS + GATEWAY_READY_TIMEOUT))
  # GATEWAY_WAIT_FOR=/health/live: up is enough (a caller that funds the wallet itself, after).
  until curl -fsS -o /dev/null --max-time 2 "$GATEWAY_URL${GATEWAY_WAIT_FOR:-/health/ready}" \
      2>/dev/null; do
    if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then
      tail -n 40 "$WORK/gateway.log" >&2
      die "the gateway exited during start-up"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$WORK/gateway.log" >&2
      die "the gateway was not ready within ${GATEWAY_READY_TIMEOUT}s"
    fi
    sleep 0.5
  done
}

# Same environment as the gateway: admin-token signs with the secret under DATA_DIR.
gateway_admin_token() {
  ADMIN_TOKEN=$("${GATEWAY_ENV[@]}" timeout 60 java -jar "$GATEWAY_JAR" admin-token \
    2>>"$WORK/admin-token.log" | grep -E '^eyJ' | tail -n 1 || true)
  if [ -z "$ADMIN_TOKEN" ]; then
    tail -n 20 "$WORK/admin-token.log" >&2
    die "could not mint an admin token"
  fi
}

stop_pid() {
  local pid=$1 name=$2 grace=$3 waited=0 started=$SECONDS
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  log "stopping $name (SIGTERM, pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((grace * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not exit within ${grace}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  [ $((SECONDS - started)) -lt 5 ] || log "$name took $((SECONDS - started))s to exit"
}

# A gateway stopped by SIGTERM stops its embedded PostgreSQL and anvil nodes itself; one that was
# killed (or died) leaves them running on a data dir about to be deleted. Stop them as the
# gateway's next start would (LeftoverProcess): by the pid files under DATA_DIR, and only if the
# pid still belongs to that program, not to an unrelated process that reused it.
gateway_stop_leftovers() {
  local file pid name sig waited
  for file in "$DATA_DIR"/postgres/postmaster.pid "$DATA_DIR"/anvil-*.pid; do
    pid=$(head -n 1 "$file" 2>/dev/null) || continue
    [[ $pid =~ ^[0-9]+$ ]] || continue
    name=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    case $name in
      postgres) sig=INT ;;  # fast shutdown
      anvil) sig=TERM ;;
      *) continue ;;
    esac
    log "stopping the $name left behind (pid $pid)"
    kill -"$sig" "$pid" 2>/dev/null || true
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
}

gateway_tenants() {
  local count=$1 name=$2 out=$3
  timeout 600 python3 - "$GATEWAY_PORT" "$ADMIN_TOKEN" "$count" "$name" "$out" <<'PY'
import http.client, json, sys
port, token, count, name, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
def post(path, body):
    conn.request("POST", path, json.dumps(body), headers)
    reply = conn.getresponse()
    data = reply.read()
    if reply.status != 201:
        sys.exit(f"POST {path}: HTTP {reply.status} {data[:300]!r}")
    return json.loads(data)
with open(out, "w") as f:
    for i in range(count):
        tenant = post("/admin/v1/tenants", {"name": f"{name}-{i:05d}", "plan": "industry"})["id"]
        key = post(f"/admin/v1/tenants/{tenant}/keys", {"environment": "test"})["key"]
        f.write(f"{key}\t{tenant}\n")
PY
  [ "$(wc -l <"$out")" -eq "$count" ] || die "tenant set-up incomplete"
}

gateway_stop() {
  [ -n "$GATEWAY_PID" ] || return 0
  stop_pid "$GATEWAY_PID" "the gateway" 90
  GATEWAY_PID=
  gateway_stop_leftovers
}

gateway_cleanup() {
  local rc=${1:-$?}
  set +e
  trap - EXIT INT TERM
  gateway_stop
  if [ -n "$WORK" ]; then
    if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  fi
  exit "$rc"
}
