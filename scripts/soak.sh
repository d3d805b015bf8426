#!/usr/bin/env bash
# Soak run, not a test (not in CI): a gateway from the fat jar on its defaults (embedded PostgreSQL and
# local anvil under a temp data dir) under a mixed load for DURATION: reads, batch POSTs with
# Idempotency-Keys (a fifth of them retried: must replay), batch polls, verifies of anchored
# credentials, and deliberate 4xx traffic (404, 400, 401), each with the status it must get.
# The load driver is src/test/java/com/learncoin/gateway/bench/SoakDriver.java.
#
# Every minute one line: elapsed, gateway RSS (/proc/PID/status VmRSS), heap used (jcmd GC.heap_info),
# requests in the minute, p99, expected non-2xx and unexpected answers so far, batches created/anchored.
# At the end a summary with the RSS trend (first vs last minute). Exit 1 on any unexpected answer
# (wrong status, 5xx, timeout, replay not byte-identical, anchored credential not verifying) or a
# batch not anchored 2 minutes after the load.
#
# Usage:   scripts/soak.sh
# Options (environment):
#   DURATION=30m     how long the load runs: 90s, 3m, 2h or plain seconds
#   TENANTS=20       industry tenants (6,000 requests/minute each), one test key each
#   RATE=300         requests per second, all clients together (a steady load, not saturation)
#   WORKERS=16       client threads sharing that pace
#   BATCH_RATE=5     batch POSTs per second at most (each batch is 1-5 credentials, one chain tx)
#   JAVA_OPTS=       extra JVM options of the gateway (e.g. -Xmx512m to soak under a small heap)
#   KEEP_WORK=1      keep the temp dir (gateway log) afterwards
set -euo pipefail

DURATION=${DURATION:-30m}
TENANTS=${TENANTS:-20}
WORKERS=${WORKERS:-16}
RATE=${RATE:-300}
BATCH_RATE=${BATCH_RATE:-5}

log() { printf '[soak] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

case $DURATION in
  *[0-9]s) SECONDS_TOTAL=${DURATION%s} ;;
  *[0-9]m) SECONDS_TOTAL=$(( ${DURATION%m} * 60 )) ;;
  *[0-9]h) SECONDS_TOTAL=$(( ${DURATION%h} * 3600 )) ;;
  *) SECONDS_TOTAL=$DURATION ;;
esac
[[ $SECONDS_TOTAL =~ ^[0-9]+$ ]] && [ "$SECONDS_TOTAL" -ge 10 ] || die "DURATION must be like 90s, 3m or 2h, got '$DURATION'"
for var in TENANTS WORKERS BATCH_RATE RATE; do
  [[ ${!var} =~ ^[0-9]+$ ]] && [ "${!var}" -ge 1 ] || die "$var must be a positive integer"
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JAR=target/learncoin-gateway.jar
DRIVER_CLASS=target/test-classes/com/learncoin/gateway/bench/SoakDriver.class
CLASSPATH_FILE=target/bench-classpath.txt
for tool in java jcmd mvn curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH"
done
[ -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || npm ci --no-audit --no-fund --loglevel=error
[ -f "$JAR" ] || { log "building $JAR"; mvn -q -B package -DskipTests; }
if [ ! -f "$DRIVER_CLASS" ] || [ -n "$(find src/test/java/com/learncoin/gateway/bench -newer "$DRIVER_CLASS")" ]; then
  log "compiling the load driver (mvn test-compile)"
  mvn -q -B test-compile
fi
if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE"
fi

# shellcheck source=scripts/lib/gateway.sh
. "$ROOT/scripts/lib/gateway.sh"
gateway_init learncoin-soak
# shellcheck disable=SC2086
gateway_start ${JAVA_OPTS:-}
gateway_admin_token
PORT=$GATEWAY_PORT GW=$GATEWAY_URL

log "creating $TENANTS industry tenants with a test key each"
KEYS_FILE=$WORK/keys.tsv
gateway_tenants "$TENANTS" soak "$KEYS_FILE"

log "load for ${SECONDS_TOTAL}s: $RATE requests/s from $WORKERS workers, at most $BATCH_RATE batch POSTs/s"
set +e
java -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" com.learncoin.gateway.bench.SoakDriver \
  "$GW" "$GATEWAY_PID" "$SECONDS_TOTAL" "$KEYS_FILE" "$WORKERS" "$BATCH_RATE" "$RATE"
rc=$?
set -e
errors=$(grep -cE ' ERROR ' "$WORK/gateway.log" || true)
log "gateway log: $errors ERROR lines"
[ "$errors" -eq 0 ] || grep -E ' ERROR ' "$WORK/gateway.log" | head -n 5 >&2
[ "$rc" -eq 0 ] && [ "$errors" -eq 0 ] || exit 1
