#!/usr/bin/env bash
# The test command: installs what the tests need (Maven dependencies, the pinned Node tooling:
# the anvil chain node and the independent credential verifiers) and runs every test, then builds
# the fat jar. Tests start and stop their own PostgreSQL and chain node, on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
mvn -B -ntp verify "$@"
