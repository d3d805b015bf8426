#!/usr/bin/env bash
# Runs the gateway on its embedded defaults: PostgreSQL under ./data, port 8080 (override with
# LEARNCOIN_* variables; see `java -jar target/learncoin-gateway.jar help`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/learncoin-gateway.jar ] || [ -n "$(find src conf pom.xml -newer target/learncoin-gateway.jar -print -quit)" ]; then
  mvn -B -q -ntp package -DskipTests
fi
exec java -jar target/learncoin-gateway.jar run
