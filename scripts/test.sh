#!/usr/bin/env bash
# The test command: installs what the tests need (Maven dependencies, the pinned Node tooling:
# the anvil chain node, the independent credential verifiers, playwright-core, Redocly CLI;
# Debian's Chromium for the admin console's browser test, Debian's HAProxy for ClusterFailoverIT),
# lints openapi.yaml, and runs every test, then builds the fat jar.
# Tests start and stop their own PostgreSQL and chain node, on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
# openapi.yaml as tools read it: Redocly's recommended ruleset, no error and no warning.
scripts/lint-openapi.sh
# The admin console's browser test (ConsoleBrowserTest) drives Debian's Chromium.
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# ClusterFailoverIT puts Debian's HAProxy in front of three gateway processes.
if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi
# No colour codes in the log (Debian's Maven 3.8 prints ANSI resets unless jansi is told not to).
MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -ntp -Dstyle.color=never verify "$@"
