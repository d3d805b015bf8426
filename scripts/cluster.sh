#!/usr/bin/env bash
# A real multi-node deployment on one machine, everything on loopback: Debian's PostgreSQL server
# (its own data directory), two anvil chain nodes (Base Sepolia's and Base's chain ids, a block
# every 2 s), NODES gateway nodes (the fat jar, LEARNCOIN_RATE_LIMIT=postgresql, one wallet and one
# set of keys shared as an operator copies them) and HAProxy in front, health-checking each node's
# /health/ready. Prints the URL and an admin token; the Gatling simulations run against it
# unchanged: scripts/load-test.sh ... -Dgateway.url=<url> (or mvn gatling:test -Dgateway.url=...).
#
# Usage: scripts/cluster.sh [start]   start it (state under target/cluster)
#        scripts/cluster.sh stop      stop all of it (gateways with SIGTERM first)
# Options (environment): NODES=3 PORT=8080 (HAProxy's port) CLUSTER_DIR=target/cluster
set -euo pipefail
cd "$(dirname "$0")/.."
NODES=${NODES:-3}
PORT=${PORT:-8080}
DIR=${CLUSTER_DIR:-target/cluster}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
ANVIL=node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
log() { printf '[cluster] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop() {
  [ -d "$DIR" ] || { log "nothing to stop ($DIR absent)"; return 0; }
  for pidfile in "$DIR"/haproxy.pid "$DIR"/node-*/gateway.pid "$DIR"/anvil-*.pid; do
    [ -f "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $(basename "$(dirname "$pidfile")")/$(basename "$pidfile" .pid) (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  if [ -f "$DIR/pg/postmaster.pid" ]; then
    log "stopping PostgreSQL"
    as_pg_owner "'$PG_BIN/pg_ctl' -D '$DIR/pg' -m fast -w stop" >/dev/null || true
  fi
  log "stopped (state kept in $DIR; remove it for a fresh start)"
}

# PostgreSQL refuses to run as root; as root, its commands run as Debian's postgres user.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

rpc() {
  curl -fsS -X POST "$1" -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}"
}

await_url() {
  local url=$1 what=$2 seconds=$3 pid=${4:-}
  for _ in $(seq 1 $((seconds * 2))); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || die "$what exited; see its log"
    sleep 0.5
  done
  die "$what not answering at $url within ${seconds}s"
}

start() {
  [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL server binaries (apt-get install -y postgresql)"
  if ! command -v haproxy >/dev/null; then
    log "installing HAProxy (apt-get install -y haproxy)"
    apt-get install -y haproxy >/dev/null 2>&1 || { apt-get update >/dev/null &&
      apt-get install -y haproxy >/dev/null; } || die "could not install haproxy"
  fi
  [ -x "$ANVIL" ] || npm ci --no-audit --no-fund --loglevel=error
  [ -f target/learncoin-gateway.jar ] || mvn -B -q -ntp -Dstyle.color=never package -DskipTests
  [ ! -f "$DIR/haproxy.pid" ] || die "already running? ($DIR/haproxy.pid); scripts/cluster.sh stop"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)

  # PostgreSQL: its own data directory and port, loopback only, password authentication.
  local pg_port; pg_port=$(free_port)
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DIR/pg-password"
    chmod 600 "$DIR/pg-password"
    # initdb refuses to run as root: the server then runs as Debian's postgres user.
    [ "$(id -u)" != 0 ] || chown postgres "$DIR"
    cp "$DIR/pg-password" "$DIR/pg-password.init"
    [ "$(id -u)" != 0 ] || chown postgres "$DIR/pg-password.init"
    as_pg_owner "'$PG_BIN/initdb' -D '$DIR/pg' -U learncoin --pwfile='$DIR/pg-password.init' \
      --auth=scram-sha-256 >'$DIR/initdb.log'"
    rm -f "$DIR/pg-password.init"
  fi
  log "starting PostgreSQL on 127.0.0.1:$pg_port"
  as_pg_owner "'$PG_BIN/pg_ctl' -D '$DIR/pg' -l '$DIR/pg.log' -w start \
    -o \"-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories='$DIR/pg'\"" >/dev/null
  local db_url="postgresql://learncoin:$(cat "$DIR/pg-password")@127.0.0.1:$pg_port/postgres"

  # One shared chain per network, a block every 2 s as Base. Each keeps its state in $DIR across a
  # stop and a start, as the database does: a fresh chain under a database that remembers rounds
  # would leave the wallet's next nonce unused (the gateway numbers a round above every one stored).
  local test_port live_port
  test_port=$(free_port); live_port=$(free_port)
  "$ANVIL" --host 127.0.0.1 --port "$test_port" --chain-id 84532 --block-time 2 \
    --state "$DIR/anvil-test.state.json" >"$DIR/anvil-test.log" 2>&1 &
  echo $! >"$DIR/anvil-test.pid"
  "$ANVIL" --host 127.0.0.1 --port "$live_port" --chain-id 8453 --block-time 2 \
    --state "$DIR/anvil-live.state.json" >"$DIR/anvil-live.log" 2>&1 &
  echo $! >"$DIR/anvil-live.pid"
  for _ in $(seq 1 50); do
    rpc "http://127.0.0.1:$test_port" eth_chainId '[]' >/dev/null 2>&1 &&
      rpc "http://127.0.0.1:$live_port" eth_chainId '[]' >/dev/null 2>&1 && break
    sleep 0.2
  done

  # The nodes: one admin secret, and the keys of node 1 (signing key, key-encryption key, wallet)
  # copied to the others, as an operator distributes them; each node its own data directory.
  [ -f "$DIR/admin-secret" ] || { head -c 48 /dev/urandom | base64 | tr -d '/+=\n' >"$DIR/admin-secret"; chmod 600 "$DIR/admin-secret"; }
  local backends="" i
  for i in $(seq 1 "$NODES"); do
    local node_dir="$DIR/node-$i" node_port
    node_port=$(free_port)
    mkdir -p "$node_dir/data"
    if [ "$i" -gt 1 ]; then
      for key in signing-key.ed25519 key-encryption.key wallet.key; do
        [ -f "$node_dir/data/$key" ] || cp -p "$DIR/node-1/data/$key" "$node_dir/data/$key"
      done
    fi
    log "starting gateway node $i on 127.0.0.1:$node_port"
    env LEARNCOIN_DB_URL="$db_url" LEARNCOIN_HTTP_PORT="$node_port" \
      LEARNCOIN_DATA_DIR="$node_dir/data" LEARNCOIN_ADMIN_JWT_SECRET="$(cat "$DIR/admin-secret")" \
      LEARNCOIN_CHAIN_TEST_RPC="http://127.0.0.1:$test_port" \
      LEARNCOIN_CHAIN_LIVE_RPC="http://127.0.0.1:$live_port" \
      LEARNCOIN_RATE_LIMIT=postgresql LEARNCOIN_PUBLIC_BASE_URL="http://127.0.0.1:$PORT" \
      setsid java ${JAVA_OPTS:--Xms256m -Xmx256m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70} -jar target/learncoin-gateway.jar run \
      >"$node_dir/gateway.log" 2>&1 &
    echo $! >"$node_dir/gateway.pid"
    # Node 1 first: it makes the keys (and migrates the database) the others reuse.
    await_url "http://127.0.0.1:$node_port/health/live" "gateway node $i" 180 "$(cat "$node_dir/gateway.pid")"
    if [ "$i" = 1 ]; then
      local wallet
      wallet=$(LEARNCOIN_DATA_DIR="$node_dir/data" java -jar target/learncoin-gateway.jar wallet \
        | awk '/^base-sepolia/ {print $5}')
      [[ $wallet =~ ^0x[0-9a-f]{40}$ ]] || die "no wallet address from 'wallet': $wallet"
      rpc "http://127.0.0.1:$test_port" anvil_setBalance "[\"$wallet\", \"0x3635C9ADC5DEA00000\"]" >/dev/null
      rpc "http://127.0.0.1:$live_port" anvil_setBalance "[\"$wallet\", \"0x3635C9ADC5DEA00000\"]" >/dev/null
      log "wallet $wallet funded on both chains"
    fi
    backends+="    server node$i 127.0.0.1:$node_port check"$'\n'
  done
  for i in $(seq 1 "$NODES"); do
    local port_i; port_i=$(sed -n "${i}p" <<<"$backends" | sed -E 's/.*:([0-9]+) check/\1/')
    await_url "http://127.0.0.1:$port_i/health/ready" "gateway node $i (ready)" 60
  done

  # HAProxy: round robin, a node out of rotation while /health/ready is not 200.
  cat >"$DIR/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    # Above 70 s: a retry of a request a dead node had claimed waits up to 60 s for the claim.
    timeout client 90s
    timeout server 90s
    option redispatch
    retries 2
frontend learncoin
    bind 127.0.0.1:$PORT
    default_backend gateways
backend gateways
    balance roundrobin
    option httpchk GET /health/ready
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
$backends
CFG
  haproxy -f "$DIR/haproxy.cfg" -D -p "$DIR/haproxy.pid"
  await_url "http://127.0.0.1:$PORT/health/ready" "HAProxy" 30
  local token
  token=$(LEARNCOIN_ADMIN_JWT_SECRET="$(cat "$DIR/admin-secret")" \
    java -jar target/learncoin-gateway.jar admin-token 2>/dev/null | grep -E '^eyJ' | tail -n 1)
  echo "LearnCoin cluster: $NODES nodes behind HAProxy at http://127.0.0.1:$PORT"
  echo "  PostgreSQL 127.0.0.1:$pg_port, chains 127.0.0.1:$test_port (84532) and :$live_port (8453)"
  echo "  admin token: $token"
  echo "  logs: $DIR/node-*/gateway.log; stop: scripts/cluster.sh stop"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: scripts/cluster.sh [start|stop]" ;;
esac
