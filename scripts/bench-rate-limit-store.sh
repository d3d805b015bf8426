#!/usr/bin/env bash
# Benchmark, not a test: the cluster rate limiter's store, Bucket4j's PostgreSQL proxy manager (as
# shipped, LEARNCOIN_RATE_LIMIT=postgresql) against its Redis one (Lettuce), doing a node's sync
# (take up to a lease of tokens from a tenant's shared bucket) over 1,000 tenants, with 1 and 8
# callers. Prints syncs/s, p50/p99 of a sync and the store's CPU per sync
# (src/test/java/.../ratelimit/RateLimitStoreBench.java). Redis is Debian's redis-server
# (installed with apt-get when missing), on loopback, no persistence; PostgreSQL is the embedded
# one the gateway uses. Both stop on exit.
#
# Usage: scripts/bench-rate-limit-store.sh      Options (environment): SECONDS_EACH=10
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-10}
log() { printf '[bench-rate-limit-store] %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null; then
  log "installing Redis (apt-get install -y redis-server)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
fi
CLASSPATH_FILE=target/bench-classpath.txt
[ -f target/test-classes/com/learncoin/gateway/ratelimit/RateLimitStoreBench.class ] &&
  [ -f "$CLASSPATH_FILE" ] && grep -q lettuce "$CLASSPATH_FILE" || {
  mvn -q -B test-compile
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE"
}

WORK=$(mktemp -d /tmp/learncoin-rl-store.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$WORK" \
  >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
log "Redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on 127.0.0.1:$PORT (pid $REDIS_PID); load average $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 600 java -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  com.learncoin.gateway.ratelimit.RateLimitStoreBench "redis://127.0.0.1:$PORT" "$REDIS_PID" \
  "$SECONDS_EACH" 2> >(grep -v -E 'INFO|DEBUG' >&2)
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
