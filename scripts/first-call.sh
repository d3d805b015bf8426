#!/usr/bin/env bash
# A first session against a running gateway: a tenant and a test key through the admin API, an
# authenticated call with its request id, an idempotent replay, the batch followed until it is
# anchored on chain, and the rate limiter's 429.
# Usage: scripts/first-call.sh [BASE_URL]   (run from the repository root, next to ./data)
set -euo pipefail
BASE=${1:-http://localhost:${LEARNCOIN_HTTP_PORT:-8080}}
JAR=${JAR:-target/learncoin-gateway.jar}
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];console.log(v)})' "$1"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# admin-token reads the secret of the gateway whose ./data this is; it says so if there is none.
ADMIN=$(java -jar "$JAR" admin-token | tail -n 1)

say "Create a tenant (admin API)"
TENANT=$(curl -sS -X POST "$BASE/admin/v1/tenants" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -d '{"name": "Example School", "plan": "starter"}')
echo "$TENANT"
TENANT_ID=$(echo "$TENANT" | json id)

say "Create a test key (the plaintext is shown only here)"
KEY_JSON=$(curl -sS -X POST "$BASE/admin/v1/tenants/$TENANT_ID/keys" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -d '{"environment": "test"}')
echo "$KEY_JSON"
KEY=$(echo "$KEY_JSON" | json key)

say "GET /v1/tenants/$TENANT_ID: every response carries X-Request-Id and the rate-limit headers"
curl -sS -i "$BASE/v1/tenants/$TENANT_ID" -H "Authorization: Bearer $KEY"; echo

BATCH='{"credentials":[{"recipient":{"id":"urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21","name":"Ada Lovelace"},"issuanceDate":"2026-11-27T10:00:00Z","achievement":{"name":"Welding Level 1","description":"Safe MIG welding.","criteria":{"narrative":"Passed the practical exam."}}}]}'
IDEM="first-call-$(date +%s)"
say "POST /v1/batches with Idempotency-Key: $IDEM"
curl -sS -i -X POST "$BASE/v1/batches" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: $IDEM" -d "$BATCH"; echo
say "The same request again: replayed, not run twice (Idempotent-Replayed: true)"
curl -sS -i -X POST "$BASE/v1/batches" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: $IDEM" -d "$BATCH"; echo

BATCH_ID=$(curl -sS -X POST "$BASE/v1/batches" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: $IDEM" -d "$BATCH" | json id)
say "Follow $BATCH_ID until it is anchored (signed, Merkle root on chain)"
for _ in $(seq 1 60); do
  STATUS=$(curl -sS "$BASE/v1/batches/$BATCH_ID" -H "Authorization: Bearer $KEY" | json status)
  echo "status: $STATUS"
  [ "$STATUS" = anchored ] && break
  sleep 1
done
curl -sS "$BASE/v1/batches/$BATCH_ID" -H "Authorization: Bearer $KEY"; echo
say "Its credential: the signed Open Badge and the anchor receipt (leaf, Merkle path)"
curl -sS "$BASE/v1/batches/$BATCH_ID/credentials?limit=1" -H "Authorization: Bearer $KEY"; echo

say "Past the starter plan's 120 requests a minute: 429 rate_limited with Retry-After"
for _ in $(seq 1 125); do
  code=$(curl -sS -o /tmp/learncoin-last.json -D /tmp/learncoin-last.headers -w '%{http_code}' \
    "$BASE/v1/tenants/$TENANT_ID" -H "Authorization: Bearer $KEY")
  if [ "$code" = 429 ]; then
    grep -iE '^(x-request-id|retry-after|ratelimit)' /tmp/learncoin-last.headers
    cat /tmp/learncoin-last.json; echo
    break
  fi
done
