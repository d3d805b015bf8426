#!/usr/bin/env bash
# Runs one Gatling simulation (src/test/java/com/learncoin/gateway/load) against the real fat jar:
# starts the gateway on its defaults (embedded PostgreSQL, local signer, local anvil) in a fresh
# temporary data directory on a free port, mints an admin token for it, runs the simulation,
# stops the gateway with SIGTERM, and prints the HTML report's path and a one-line summary.
# Exits non-zero when the simulation's assertions fail.
#
# Usage:   scripts/load-test.sh SIMULATION [extra mvn -D options]
#          scripts/load-test.sh ReadSimulation
#          scripts/load-test.sh RateLimitSimulation -Dratelimit.plan=starter -Dload.duration=90
# Simulations: IssuanceSimulation, RateLimitSimulation, ReadSimulation, SmokeSimulation.
# Environment: READY_TIMEOUT=180 (s to wait for /health/ready), KEEP_WORK=1 (keep the temp dir).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JAR=target/learncoin-gateway.jar
LOAD_DIR=src/test/java/com/learncoin/gateway/load
READY_TIMEOUT=${READY_TIMEOUT:-180}

log() { printf '[load-test] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

SIMULATION=${1:-}
if [ -z "$SIMULATION" ] || [ ! -f "$LOAD_DIR/${SIMULATION##*.}.java" ] || [[ $SIMULATION != *Simulation ]]; then
  echo "usage: scripts/load-test.sh SIMULATION [mvn -D options]; one of:" >&2
  (cd "$LOAD_DIR" && ls ./*Simulation.java | sed 's|^\./||; s|\.java$||; s|^|  |') >&2
  exit 2
fi
shift
SIMULATION=${SIMULATION##*.}
CLASS=com.learncoin.gateway.load.$SIMULATION
for tool in java mvn curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH"
done

# --- build --------------------------------------------------------------------------------
if [ ! -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]; then
  log "installing the pinned anvil (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f "$JAR" ] || [ -n "$(find src/main conf pom.xml -newer "$JAR" -print -quit)" ]; then
  log "building $JAR (mvn package -DskipTests)"
  mvn -B -q -ntp package -DskipTests
fi

# --- the gateway (scripts/lib/gateway.sh: started here, stopped on exit) ---------------------
# shellcheck source=scripts/lib/gateway.sh
. "$ROOT/scripts/lib/gateway.sh"
GATEWAY_READY_TIMEOUT=$READY_TIMEOUT
gateway_init learncoin-load
# shellcheck disable=SC2119 # no JVM options: the gateway runs as shipped
gateway_start
gateway_admin_token
URL=$GATEWAY_URL
log "gateway ready; running $CLASS"

# --- the simulation -----------------------------------------------------------------------
# gatling:test compiles what changed (it forks the lifecycle up to test-compile) before running.
touch "$WORK/started"
set +e
mvn -B -o gatling:test -Dgatling.simulationClass="$CLASS" -Dgateway.url="$URL" \
  -Dgateway.adminToken="$ADMIN_TOKEN" "$@" 2>&1 | tee "$WORK/gatling.log"
MVN_RC=${PIPESTATUS[0]}
set -e

# --- report -------------------------------------------------------------------------------
REPORT=$(grep -o 'file://[^ ]*/index.html' "$WORK/gatling.log" | tail -n 1 | sed 's|^file://||' || true)
# A check in after() that failed stops Gatling before its report: write it from the run's log.
RUN_DIR=$(find target/gatling -maxdepth 1 -type d -name "${SIMULATION,,}-*" -newer "$WORK/started" 2>/dev/null \
  | sort | tail -n 1)
if [ -z "$REPORT" ] && [ -n "$RUN_DIR" ] && [ -f "$RUN_DIR/simulation.log" ]; then
  log "writing the report of the stopped run from $RUN_DIR/simulation.log"
  if mvn -B -o -q gatling:test -Dgatling.reportsOnly="$(basename "$RUN_DIR")" >"$WORK/report.log" 2>&1 \
    && [ -f "$RUN_DIR/index.html" ]; then
    REPORT=$(cd "$RUN_DIR" && pwd)/index.html
  fi
fi
cat "$WORK/gatling.log" "$WORK/report.log" >"$WORK/summary.log" 2>/dev/null || true
python3 - "$WORK/summary.log" "$SIMULATION" "${REPORT:-}" "$MVN_RC" <<'PY'
import re, sys
log, simulation, report, rc = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], int(sys.argv[4])
block = log[log.rfind("---- Global Information"):] if "---- Global Information" in log else ""
def total(label):
    m = re.search(r">\s*" + re.escape(label) + r"\s*\|\s*([\d.,]+)\s*\|\s*([\d.,-]+)\s*\|\s*([\d.,-]+)", block)
    return [g.replace(",", "") for g in m.groups()] if m else None
count, throughput, p99 = total("request count"), total("mean throughput (rps)"), total("response time 99th percentile (ms)")
failed = count[2].replace("-", "0") if count else "?"
print()
print("report: " + (report or "none (the run stopped before writing it; see the log above)"))
print(f"{simulation}: {count[0] if count else '?'} requests, {throughput[0] if throughput else '?'} req/s,"
      f" p99 {p99[0] if p99 else '?'} ms, {failed} failed"
      + ("" if rc == 0 else f"; FAILED (mvn exit {rc})"))
for line in log.splitlines():
    if line.startswith("[load] rate limit"):
        print(line[len("[load] "):])
PY
exit "$MVN_RC"
