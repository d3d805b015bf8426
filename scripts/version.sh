#!/usr/bin/env bash
# Prints the gateway's version, the commit it was built from and when (building the jar if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/learncoin-gateway.jar ] || [ -n "$(find src conf pom.xml -newer target/learncoin-gateway.jar -print -quit)" ]; then
  mvn -B -q -ntp package -DskipTests
fi
exec java -jar target/learncoin-gateway.jar version
