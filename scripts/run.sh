#!/usr/bin/env bash
# Runs the gateway on its embedded defaults: PostgreSQL under ./data, a local signing key, local
# anvil chain nodes on loopback (the pinned npm package), port 8080. Override with LEARNCOIN_*
# variables; see `java -jar target/learncoin-gateway.jar help`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f target/learncoin-gateway.jar ] || [ -n "$(find src conf pom.xml -newer target/learncoin-gateway.jar -print -quit)" ]; then
  mvn -B -q -ntp package -DskipTests
fi
exec java -jar target/learncoin-gateway.jar run
