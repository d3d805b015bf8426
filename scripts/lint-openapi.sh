#!/usr/bin/env bash
# Lints src/main/resources/openapi.yaml with the pinned Redocly CLI (package.json) and its
# recommended ruleset (redocly.yaml). `redocly lint` exits 0 when there are only warnings, so
# this reads its JSON report and fails on any error, warning or ignored problem.
set -euo pipefail
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
cd "$(dirname "$0")/.."
doc=src/main/resources/openapi.yaml
report=$(node_modules/.bin/redocly lint "$doc" --config redocly.yaml --format=json 2>/dev/null) || true
printf '%s' "$report" | node -e '
  let text = "";
  process.stdin.on("data", d => text += d).on("end", () => {
    let report;
    try { report = JSON.parse(text); } catch (e) {
      console.error("redocly lint gave no JSON report: " + text.slice(0, 500)); process.exit(2);
    }
    for (const p of report.problems) {
      const at = (p.location[0] || {}).start || {};
      console.error(`${process.argv[1]}:${at.line}:${at.col} ${p.severity} ${p.ruleId}: ${p.message}`);
    }
    const t = report.totals;
    if (t.errors + t.warnings + t.ignored > 0) {
      console.error(`openapi lint: ${t.errors} errors, ${t.warnings} warnings, ${t.ignored} ignored`);
      process.exit(1);
    }
    console.log(`openapi lint: ${process.argv[1]} is clean (redocly ${report.version}, recommended)`);
  });' "$doc"
