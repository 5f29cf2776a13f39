#!/usr/bin/env bash
# `npm test`: installs what the suites need when it is missing (npm
# dependencies, MariaDB from apt, Cassandra from Maven Central), starts the
# services idempotently, then runs every suite once. Extra arguments go to
# vitest (e.g. `npm test -- test/inbox`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/check-node.sh
bash scripts/ensure-node-modules.sh
export DATABASE_URL=${DATABASE_URL:-mysql://iact:iact@127.0.0.1:3306/iact}
bash scripts/services/mariadb.sh start
bash scripts/services/cassandra.sh start
npm run --silent generate
# The JSON report feeds one plain closing line ("N passed, N failed") that
# any CI can read, whatever it knows of vitest.
results=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$results" "$@" || status=$?
node -e '
  const fs = require("node:fs");
  const text = fs.existsSync(process.argv[1]) ? fs.readFileSync(process.argv[1], "utf8") : "";
  if (!text) process.exit(0);
  const report = JSON.parse(text);
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" || true
rm -f "$results"
exit "$status"
