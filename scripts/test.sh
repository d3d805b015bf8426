#!/usr/bin/env bash
# The test command: installs what the tests need (Maven dependencies; the embedded PostgreSQL
# comes as a Maven artifact) and runs every test, then builds the fat jar. Tests start and stop
# their own PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify "$@"
