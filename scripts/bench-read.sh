#!/usr/bin/env bash
# Benchmark, not a test: authenticated GET /v1/tenants/{id} through the whole gateway chain
# (request id, API-key auth with the key cache, IP allowlist, Bucket4j rate limit, tenant + usage
# from the tenant cache, audit record), rotated across many tenants, against a bare
# Vert.x router (src/test/java/.../bench/BareRouterServer.java) on the same machine with the same
# wrk settings and the same requests. Prints requests/s, p50, p99 and non-2xx counts for both,
# the ratio gateway/bare, and the gateway JVM's resident memory (now, peak) and live heap. Target: gateway >= 45 % of the bare router (the per-request audit row is the contract's).
#
# Usage:   scripts/bench-read.sh
# Options (environment):
#   TENANTS=1000       tenants (industry plan, 6000 req/min each), one test key each, 1..100000;
#                      made with bulk SQL (bench/BenchTenants: 100,000 in seconds, no signing keys
#                      yet), and wrk's Lua script reads their keys from a file
#   DURATION=30        seconds of each measured wrk run
#   WARMUP=10          seconds of wrk warm-up before each measured run
#   CONNECTIONS=64     wrk connections
#   THREADS=2          wrk threads
#   JAVA_OPTS=         extra JVM options, given to both the gateway and the bare router
#   GATEWAY_HEAP_OPTS="-Xms256m -Xmx256m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70"
#                      the gateway's heap and collector settings, as scripts/run.sh and the
#                      systemd unit ship them (docs/operations.md "Many tenants"); empty: the JVM's
#                      defaults
#   GATEWAY_JAVA_OPTS= extra JVM options for the gateway only (e.g. a JFR recording)
#   KEEP_WORK=1        keep the temp dir (gateway log, wrk outputs, Lua script) after the run
#
# It builds the jar / test classes if missing, installs wrk with apt-get if it is not on PATH,
# starts a gateway with a fresh temp data dir (embedded PostgreSQL), and stops everything it
# started on exit. All traffic goes to 127.0.0.1. Every wait is bounded.
set -euo pipefail

TENANTS=${TENANTS:-1000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
JAVA_OPTS=${JAVA_OPTS:-}
GATEWAY_HEAP_OPTS=${GATEWAY_HEAP_OPTS-"-Xms256m -Xmx256m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70"}
TARGET_PERCENT=45

for var in TENANTS DURATION WARMUP CONNECTIONS THREADS; do
  value=${!var}
  if ! [[ $value =~ ^[0-9]+$ ]] || [ "$value" -lt 1 ]; then
    echo "bench-read: $var must be a positive integer, got '$value'" >&2
    exit 2
  fi
done
if [ "$DURATION" -gt 3600 ] || [ "$WARMUP" -gt 600 ] || [ "$TENANTS" -gt 100000 ]; then
  echo "bench-read: DURATION <= 3600, WARMUP <= 600 and TENANTS <= 100000, please" >&2
  exit 2
fi
if [ "$CONNECTIONS" -lt "$THREADS" ]; then
  echo "bench-read: CONNECTIONS ($CONNECTIONS) must be >= THREADS ($THREADS)" >&2
  exit 2
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JAR=target/learncoin-gateway.jar
BARE_CLASS=target/test-classes/com/learncoin/gateway/bench/BareRouterServer.class
BARE_SOURCE=src/test/java/com/learncoin/gateway/bench/BareRouterServer.java
SETUP_CLASS=target/test-classes/com/learncoin/gateway/bench/BenchTenants.class
SETUP_SOURCE=src/test/java/com/learncoin/gateway/bench/BenchTenants.java
CLASSPATH_FILE=target/bench-classpath.txt

log() { printf '[bench-read] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in java mvn curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH"
done

# --- build ----------------------------------------------------------------------------------
if [ ! -f "$JAR" ]; then
  log "building $JAR (mvn -q -B package -DskipTests)"
  mvn -q -B package -DskipTests
fi
if [ ! -f "$BARE_CLASS" ] || [ "$BARE_SOURCE" -nt "$BARE_CLASS" ] || [ ! -f "$SETUP_CLASS" ] \
  || [ "$SETUP_SOURCE" -nt "$SETUP_CLASS" ]; then
  log "compiling the bare router and the tenant set-up (mvn -q -B test-compile)"
  mvn -q -B test-compile
fi
if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
  log "writing $CLASSPATH_FILE (mvn dependency:build-classpath)"
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE"
fi

# --- wrk ------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk (apt-get install -y wrk)"
  if ! apt-get install -y wrk >/dev/null 2>&1; then
    apt-get update >/dev/null || die "apt-get update failed (root needed?); install wrk yourself"
    apt-get install -y wrk >/dev/null || die "apt-get install -y wrk failed; install wrk yourself"
  fi
  command -v wrk >/dev/null || die "wrk could not be installed"
fi

# --- processes we start, and how they go (scripts/lib/gateway.sh) ----------------------------
# shellcheck source=scripts/lib/gateway.sh
. "$ROOT/scripts/lib/gateway.sh"
BARE_PID=
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_pid "$BARE_PID" "the bare router" 15
  gateway_cleanup "$rc"
}
gateway_init learncoin-bench cleanup

# --- gateway ----------------------------------------------------------------------------------
# shellcheck disable=SC2086
gateway_start $JAVA_OPTS $GATEWAY_HEAP_OPTS ${GATEWAY_JAVA_OPTS:-}
GW_PORT=$GATEWAY_PORT GW=$GATEWAY_URL
log "gateway ready"
gateway_admin_token

# --- tenants and keys -------------------------------------------------------------------------
# Bulk SQL into the gateway's embedded PostgreSQL (its port from postmaster.pid, its generated
# password from the data dir), with the gateway's own id and key code: the admin API would take
# minutes for 100,000 (each tenant gets two sealed signing keys there).
log "creating $TENANTS tenants (industry plan), one test key each, with bulk SQL"
TENANTS_FILE=$WORK/tenants.tsv
PG_PORT=$(sed -n 4p "$DATA_DIR/postgres/postmaster.pid" 2>/dev/null || true)
[[ $PG_PORT =~ ^[0-9]+$ ]] || die "no port in $DATA_DIR/postgres/postmaster.pid"
setup_started=$(date +%s.%N)
timeout 600 java -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  com.learncoin.gateway.bench.BenchTenants "$PG_PORT" "$DATA_DIR/postgres-password" "$TENANTS" \
  bench "$TENANTS_FILE" >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log" >&2; die "tenant set-up failed"; }
[ "$(wc -l <"$TENANTS_FILE")" -eq "$TENANTS" ] || die "tenant set-up incomplete"
SETUP_SECONDS=$(awk -v a="$setup_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
log "$TENANTS tenants and keys created in ${SETUP_SECONDS}s"

# One request string per (key, tenant), read from the file and built once per wrk thread (a
# literal table of 100,000 entries exceeds Lua's constant limit, and wrk then silently sends
# GET /); thread t of T starts at key t*n/T and rotates through all of them, so a warm-up of
# n requests has asked for every key. The bare router gets exactly the same requests.
LUA=$WORK/rotate.lua
{
  printf 'local keys_file = "%s"\nlocal thread_total = %d\n' "$TENANTS_FILE" "$THREADS"
  cat <<'LUA'
local thread_count = 0
function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end
local requests = {}
local n = 0
local i = 0
function init(args)
  local file = assert(io.open(keys_file, "r"))
  for line in file:lines() do
    local key, tenant = line:match("^(%S+)\t(%S+)$")
    if key then
      n = n + 1
      requests[n] = wrk.format("GET", "/v1/tenants/" .. tenant,
        { ["Authorization"] = "Bearer " .. key, ["Accept"] = "application/json" })
    end
  end
  file:close()
  if n == 0 then error("no key<TAB>tenant lines in " .. keys_file) end
  i = math.floor((thread_index or 0) * n / thread_total) % n
end
function request()
  i = i % n + 1
  return requests[i]
end
LUA
} >"$LUA"

first_key=$(head -n 1 "$TENANTS_FILE" | cut -f1)
first_tenant=$(head -n 1 "$TENANTS_FILE" | cut -f2)
status=$(curl -sS -o "$WORK/sample.json" -w '%{http_code}' -H "Authorization: Bearer $first_key" \
  "$GW/v1/tenants/$first_tenant")
[ "$status" = 200 ] || die "GET /v1/tenants/$first_tenant answered $status: $(cat "$WORK/sample.json")"
log "sample gateway answer: HTTP 200, $(wc -c <"$WORK/sample.json") bytes"

WRK_ARGS=(-t "$THREADS" -c "$CONNECTIONS" --latency -s "$LUA")

# CPU time (clock ticks, user + system) used so far by one process: tells where the server side
# of a request spends its CPU (JVM vs. PostgreSQL), whatever else runs on the machine meanwhile.
cpu_ticks() {
  local ticks
  ticks=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}')
  echo "${ticks:-0}"
}
# The postmaster and its live children (backends, writer processes).
cpu_ticks_tree() {
  local total=0 pid
  for pid in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    total=$((total + $(cpu_ticks "$pid")))
  done
  echo "$total"
}
postmaster_pid() {
  local pg
  pg=$(head -n 1 "$DATA_DIR/postgres/postmaster.pid" 2>/dev/null || true)
  [[ $pg =~ ^[0-9]+$ ]] && echo "$pg"
}

# Requests the gateway has answered so far (its Prometheus request timers' counts, all routes).
served() {
  curl -fsS --max-time 2 -H "Authorization: Bearer $ADMIN_TOKEN" "$GW/metrics" 2>/dev/null \
    | awk '/^learncoin_http_requests_seconds_count/ { n += $NF } END { printf "%d", n }'
}
# Every 5 s: the time and the gateway's count, into FILE, so a dip (a refresh or an expiry wave,
# a collector's pause) shows as a slow 5-s window, which wrk's totals hide. Runs until killed.
sample_served() {
  while :; do echo "$(date +%s.%N) $(served)" >>"$1"; sleep 5; done
}

# run_wrk NAME BASE_URL JVM_PID [POSTMASTER_PID]: warm-up, then the measured run into
# $WORK/NAME.wrk, with the CPU ticks the server used during it in $WORK/NAME.cpu (JVM, PostgreSQL).
run_wrk() {
  local name=$1 url=$2 load
  shift 2
  log "$name: warm-up ${WARMUP}s"
  timeout $((WARMUP + 60)) wrk "${WRK_ARGS[@]}" -d "${WARMUP}s" "$url/" >"$WORK/$name-warmup.wrk" 2>&1 \
    || die "$name warm-up failed: $(cat "$WORK/$name-warmup.wrk")"
  load=$(cut -d ' ' -f 1 /proc/loadavg)
  log "$name: measuring ${DURATION}s: wrk -t $THREADS -c $CONNECTIONS -d ${DURATION}s --latency (load average before: $load)"
  local before=() after=() sampler=
  before+=("$(cpu_ticks "$1")")
  [ $# -lt 2 ] || before+=("$(cpu_ticks_tree "$2")")
  if [ "$name" = gateway ]; then
    sample_served "$WORK/$name.served" &
    sampler=$!
  fi
  timeout $((DURATION + 60)) wrk "${WRK_ARGS[@]}" -d "${DURATION}s" "$url/" >"$WORK/$name.wrk" 2>&1 \
    || die "$name run failed: $(cat "$WORK/$name.wrk")"
  [ -z "$sampler" ] || { kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; }
  after+=("$(cpu_ticks "$1")")
  [ $# -lt 2 ] || after+=("$(cpu_ticks_tree "$2")")
  : >"$WORK/$name.cpu"
  for i in "${!before[@]}"; do echo $((after[i] - before[i])) >>"$WORK/$name.cpu"; done
  echo "$load" >"$WORK/$name.load"
  sed 's/^/    /' "$WORK/$name.wrk" >&2
}

PG_PID=$(postmaster_pid || true)
run_wrk gateway "$GW" "$GATEWAY_PID" ${PG_PID:+"$PG_PID"}

# The gateway JVM's memory after the run: resident now and at its peak (VmHWM), then the live
# heap (what a full GC leaves; jcmd GC.run, after the RSS is read since a full GC may shrink it).
status_mb() { awk -v f="$2:" '$1 == f { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
GW_RSS=$(status_mb "$GATEWAY_PID" VmRSS)
GW_PEAK=$(status_mb "$GATEWAY_PID" VmHWM)
GW_LIVE='?'
if command -v jcmd >/dev/null && timeout 60 jcmd "$GATEWAY_PID" GC.run >/dev/null 2>&1; then
  GW_LIVE=$(timeout 60 jcmd "$GATEWAY_PID" GC.heap_info 2>/dev/null \
    | awk '/ heap .*used/ { for (f = 1; f <= NF; f++) if ($f == "used") { v = $(f + 1); sub(/K.*/, "", v); printf "%.0f", v / 1024; exit } }')
fi

# Tell rate limiting apart from other failures: one more request per tenant after the run.
gw_non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WORK/gateway.wrk")
if [ -n "$gw_non2xx" ] && [ "$gw_non2xx" != 0 ]; then
  probe=$(while IFS=$'\t' read -r key tenant; do
    curl -sS -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $key" "$GW/v1/tenants/$tenant"
  done < <(head -n 200 "$TENANTS_FILE") | sort | uniq -c | awk '{printf "%s%s x HTTP %s", sep, $1, $2; sep=", "}')
  log "gateway had non-2xx answers; one request per tenant (first 200) after the run: $probe"
  log "(429s mean the tenants' buckets ran dry: raise TENANTS)"
fi

# The gateway is done: stop it (and its PostgreSQL) so the bare router has the machine to itself.
gateway_stop

# --- bare router ------------------------------------------------------------------------------
BARE_PORT=$(free_port)
BARE=http://127.0.0.1:$BARE_PORT
log "starting the bare Vert.x router on port $BARE_PORT"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  com.learncoin.gateway.bench.BareRouterServer "$BARE_PORT" 127.0.0.1 >"$WORK/bare.log" 2>&1 &
BARE_PID=$!
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null --max-time 2 "$BARE/v1/tenants/$first_tenant" 2>/dev/null; do
  kill -0 "$BARE_PID" 2>/dev/null || { cat "$WORK/bare.log" >&2; die "the bare router exited"; }
  [ "$SECONDS" -lt "$deadline" ] || die "the bare router did not answer within 60s"
  sleep 0.2
done

run_wrk bare "$BARE" "$BARE_PID"
stop_pid "$BARE_PID" "the bare router" 15
BARE_PID=

# --- report -----------------------------------------------------------------------------------
# wrk prints latencies as 812.00us, 1.23ms, 1.02s, 1.50m: all in ms here.
field() { # field FILE WHAT
  awk -v what="$2" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    what == "rps"    && /^Requests\/sec:/              { printf "%.0f", $2; found = 1 }
    what == "p50"    && $1 == "50%"                    { printf "%.2f", ms($2); found = 1 }
    what == "p99"    && $1 == "99%"                    { printf "%.2f", ms($2); found = 1 }
    what == "non2xx" && /Non-2xx or 3xx responses:/    { printf "%d", $NF; found = 1 }
    what == "errors" && /Socket errors:/ {
      gsub(/,/, ""); printf "%d", $4 + $6 + $8 + $10; found = 1 }
    what == "total"  && /requests in/                  { printf "%d", $1; found = 1 }
    END { if (!found) printf (what == "non2xx" || what == "errors" ? "0" : "?") }
  ' "$1"
}

gw_rps=$(field "$WORK/gateway.wrk" rps)
bare_rps=$(field "$WORK/bare.wrk" rps)
ratio=$(awk -v g="$gw_rps" -v b="$bare_rps" 'BEGIN { if (b > 0) printf "%.1f", 100 * g / b; else print "?" }')
verdict=$(awk -v r="$ratio" -v t="$TARGET_PERCENT" 'BEGIN { print (r != "?" && r + 0 >= t) ? "meets" : "misses" }')

echo
echo "LearnCoin read benchmark: GET /v1/tenants/{id} rotated over $TENANTS tenants' keys"
echo "wrk -t $THREADS -c $CONNECTIONS -d ${DURATION}s --latency -s rotate.lua (after ${WARMUP}s warm-up), $(nproc) cores, same requests for both"
printf '%-14s %12s %10s %10s %12s %10s %14s\n' "" "requests/s" "p50 ms" "p99 ms" "requests" "non-2xx" "socket errors"
for name in gateway bare; do
  label=$([ "$name" = gateway ] && echo "gateway" || echo "bare router")
  f=$WORK/$name.wrk
  printf '%-14s %12s %10s %10s %12s %10s %14s\n' "$label" "$(field "$f" rps)" "$(field "$f" p50)" \
    "$(field "$f" p99)" "$(field "$f" total)" "$(field "$f" non2xx)" "$(field "$f" errors)"
done
# The 5-s windows wholly inside the measured run (the first and last samples bracket it).
awk '$2 + 0 == 0 { next } prev != "" && $2 > prev { r = ($2 - prev) / ($1 - t); n++; s += r
       if (min == "" || r < min) min = r; if (r > max) max = r }
     { t = $1; prev = $2 }
     END { if (n > 2) printf "gateway requests/s in %d windows of 5 s: lowest %.0f, highest %.0f, mean %.0f (lowest / mean %.0f %%)\n", n, min, max, s / n, 100 * min / (s / n) }' \
  "$WORK/gateway.served" 2>/dev/null || true
echo "gateway / bare: ${ratio} % of the bare router's requests/s ($verdict the ${TARGET_PERCENT} % target)"
echo "gateway JVM (${GATEWAY_HEAP_OPTS:-default heap}${JAVA_OPTS:+ $JAVA_OPTS}): RSS ${GW_RSS:-?} MB after the run, peak ${GW_PEAK:-?} MB; live heap ${GW_LIVE:-?} MB; $TENANTS tenants made in ${SETUP_SECONDS}s"
# Server CPU per request: µs = ticks / CLK_TCK * 1e6 / requests.
per_request() { # per_request TICKS REQUESTS
  awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "?" }'
}
mapfile -t gw_cpu <"$WORK/gateway.cpu"
mapfile -t bare_cpu <"$WORK/bare.cpu"
gw_total=$(field "$WORK/gateway.wrk" total)
bare_total=$(field "$WORK/bare.wrk" total)
printf 'server CPU per request: gateway JVM %s us' "$(per_request "${gw_cpu[0]}" "$gw_total")"
if [ "${#gw_cpu[@]}" -gt 1 ]; then
  printf ' + embedded PostgreSQL %s us' "$(per_request "${gw_cpu[1]}" "$gw_total")"
fi
printf '; bare router JVM %s us\n' "$(per_request "${bare_cpu[0]}" "$bare_total")"
echo "load average (1 min) before the runs: gateway $(cat "$WORK/gateway.load"), bare $(cat "$WORK/bare.load") on $(nproc) cores; other work on the machine skews the figures"
