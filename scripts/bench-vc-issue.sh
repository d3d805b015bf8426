#!/usr/bin/env bash
# Benchmark, not a test: issuance through the W3C VC API, as the interoperability suites and VC API
# clients use it: POST /credentials/issue, ONE credential per call (answered once signed), CLIENTS
# calls at a time over TENANTS tenants, against the gateway on its embedded defaults. Prints
# credentials/s and the latency of a call (p50, p99), after a warm-up.
#
# Usage: scripts/bench-vc-issue.sh
# Options (environment): CALLS=2000 CLIENTS=16 TENANTS=10 WARMUP=500 JAVA_OPTS= KEEP=1
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${CALLS:-2000}
CLIENTS=${CLIENTS:-16}
TENANTS=${TENANTS:-10}
WARMUP=${WARMUP:-500}
log() { printf '[bench-vc-issue] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || npm ci --no-audit --no-fund --loglevel=error
[ -f target/learncoin-gateway.jar ] || mvn -B -q -ntp package -DskipTests

# shellcheck source=scripts/lib/gateway.sh
. scripts/lib/gateway.sh
[ -z "${KEEP:-}" ] || KEEP_WORK=1
gateway_init learncoin-bench-vc-issue
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
gateway_start ${JAVA_OPTS:-}
gateway_admin_token
gateway_tenants "$TENANTS" "VC API client" "$WORK/keys.tsv"
log "warm-up: $WARMUP calls, not counted"
timeout 900 node interop/vc-issue-load.mjs "$GATEWAY_URL" "$WORK/keys.tsv" "$WARMUP" "$CLIENTS" >/dev/null
log "$CALLS calls of POST /credentials/issue, $CLIENTS at a time, $TENANTS tenants"
RESULT=$(timeout 900 node interop/vc-issue-load.mjs "$GATEWAY_URL" "$WORK/keys.tsv" "$CALLS" "$CLIENTS")
python3 - "$RESULT" "$CLIENTS" <<'PY'
import json, sys
r, clients = json.loads(sys.argv[1]), sys.argv[2]
print(f"\nLearnCoin VC API issuance: {r['calls']} calls of one credential, {clients} clients, 2 cores")
print(f"POST /credentials/issue : {r['per_second']:8.0f} credentials/s ({r['seconds']:.1f} s), "
      f"latency p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms")
PY
