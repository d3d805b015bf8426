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
  # Maven's own progress (a cold cache downloads for a few minutes), without colour codes.
  echo "run.sh: building target/learncoin-gateway.jar (mvn package -DskipTests)"
  # Debian's Maven 3.8 prints ANSI resets even with colour off, unless jansi is told not to.
  MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -Dstyle.color=never package -DskipTests
fi
# Ctrl-C signals the terminal's whole foreground process group, so the embedded PostgreSQL would
# stop before the gateway flushed its audit log. The gateway runs in its own session instead and
# gets SIGTERM from here, the signal its graceful shutdown is built for.
# A fixed heap: the JVM's default grows it to a quarter of the machine's memory under load. 256 MB
# holds 100,000 tenants' cached keys and tenants and keeps the JVM's resident memory under 512 MB
# (docs/operations.md "Many tenants"). G1 marks the old generation (the caches) from 70 % full,
# not from its adaptive ~50 %: at 100,000 tenants the caches are half the heap, and it marked
# without pause, a sixth of the CPU. JAVA_OPTS replaces all of it.
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70}
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
setsid java $JAVA_OPTS -jar target/learncoin-gateway.jar run "$@" &
GATEWAY=$!
trap 'kill -TERM "$GATEWAY" 2>/dev/null' INT TERM
set +e
wait "$GATEWAY"; status=$?
while kill -0 "$GATEWAY" 2>/dev/null; do wait "$GATEWAY"; status=$?; done
exit "$status"
