#!/usr/bin/env bash
# Benchmark, not a test: a learning platform's traffic, a badge the moment a course ends. TENANTS
# tenants post BATCHES_PER_TENANT batches of ONE credential each, at once, against a gateway whose
# chain mines a block every BLOCK_TIME seconds (anvil --block-time, as Base: 2 s). Prints
# credentials/s from the first POST to the last batch anchored, the anchoring transactions and
# the blocks spanned. Target (issue 12): >= 500 credentials/s, transactions <= blocks spanned.
#
# Usage: scripts/bench-small-batches.sh
# Options (environment): TENANTS=20 BATCHES_PER_TENANT=50 PARALLEL=32 BLOCK_TIME=2 WARMUP=1000 KEEP=1
set -euo pipefail
cd "$(dirname "$0")/.."
TENANTS=${TENANTS:-20}
BATCHES_PER_TENANT=${BATCHES_PER_TENANT:-50}
PARALLEL=${PARALLEL:-32}
BLOCK_TIME=${BLOCK_TIME:-2}
WARMUP=${WARMUP:-1000}
log() { printf '[bench-small-batches] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

ANVIL=node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
[ -x "$ANVIL" ] || npm ci --no-audit --no-fund --loglevel=error
[ -f target/learncoin-gateway.jar ] || mvn -B -q -ntp package -DskipTests

# shellcheck source=scripts/lib/gateway.sh
. scripts/lib/gateway.sh
[ -z "${KEEP:-}" ] || KEEP_WORK=1
ANVIL_PID=''
cleanup() {
  local rc=$?
  [ -z "$ANVIL_PID" ] || stop_pid "$ANVIL_PID" anvil 10
  gateway_cleanup "$rc"
}
gateway_init learncoin-bench-small-batches cleanup

# Our own chain node (the gateway's embedded one mines a block per transaction): Base Sepolia's
# chain id, a block every BLOCK_TIME seconds, on loopback.
ANVIL_PORT=$(free_port)
"$ANVIL" --host 127.0.0.1 --port "$ANVIL_PORT" --chain-id 84532 --block-time "$BLOCK_TIME" \
  >"$WORK/anvil.log" 2>&1 &
ANVIL_PID=$!
RPC=http://127.0.0.1:$ANVIL_PORT
rpc() { curl -fsS -X POST "$RPC" -H 'Content-Type: application/json' \
  -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}"; }
for _ in $(seq 1 50); do rpc eth_chainId '[]' >/dev/null 2>&1 && break; sleep 0.2; done

GATEWAY_EXTRA_ENV=(LEARNCOIN_CHAIN_TEST_RPC="$RPC")
GATEWAY_WAIT_FOR=/health/live  # not ready until its wallet is funded, below
gateway_start ${JAVA_OPTS:-}
WALLET=$("${GATEWAY_ENV[@]}" java -jar "$GATEWAY_JAR" wallet | awk '/^base-sepolia/ {print $5}')
[[ $WALLET =~ ^0x[0-9a-f]{40}$ ]] || die "no wallet address from 'wallet': $WALLET"
rpc anvil_setBalance "[\"$WALLET\", \"0x3635C9ADC5DEA00000\"]" >/dev/null
# Started unfunded, the network is not ready (wallet_underfunded) until the next balance check.
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$GATEWAY_URL/health/ready" 2>/dev/null && break
  sleep 0.5
done
log "gateway ready on $GATEWAY_URL, wallet $WALLET funded, a block every ${BLOCK_TIME}s"

gateway_admin_token
gateway_tenants "$TENANTS" "Course Platform" "$WORK/keys.tsv"
TOTAL=$((TENANTS * BATCHES_PER_TENANT))
# As bench-issuance: a warm gateway (JIT, pools, caches), as clients meet it after start-up.
log "warm-up: $WARMUP batches, not counted"
timeout 900 node interop/small-batches.mjs "$GATEWAY_URL" "$WORK/keys.tsv" "$WARMUP" "$PARALLEL" \
  "$RPC" >/dev/null
nonce() { rpc eth_getTransactionCount "[\"$WALLET\", \"latest\"]" | node -pe \
  'parseInt(JSON.parse(require("fs").readFileSync(0)).result, 16)'; }
BEFORE=$(nonce)
log "posting $TOTAL batches of one credential from $TENANTS tenants ($PARALLEL at a time)"
RESULT=$(timeout 900 node interop/small-batches.mjs "$GATEWAY_URL" "$WORK/keys.tsv" "$TOTAL" \
  "$PARALLEL" "$RPC")
SENT=$(( $(nonce) - BEFORE ))
python3 - "$RESULT" "$SENT" "$TENANTS" "$BLOCK_TIME" <<'PY'
import json, sys
r, sent, tenants, block_time = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
blocks = r["last_block"] - r["first_block"]
print(f"\nLearnCoin small-batch benchmark: {r['batches']} batches of 1 credential, {tenants} tenants,"
      f" a block every {block_time} s, 2 cores")
print(f"POST to last anchored : {r['batches'] / r['seconds']:8.0f} credentials/s ({r['seconds']:.1f} s)"
      f"   target >= 500")
print(f"POSTs (202)           : {r['batches'] / r['post_seconds']:8.0f} batches/s ({r['post_seconds']:.1f} s)")
print(f"chain transactions    : {r['transactions']:8d} (the wallet sent {sent}) over {blocks} blocks"
      f"   target <= blocks spanned")
PY
