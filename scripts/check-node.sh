#!/usr/bin/env bash
# Stops `npm start` and `npm test` at once, with the way out, when the `node`
# on PATH is older than package.json's engines (>=24). Without it an old Node
# fails later and obscurely (npm ci warns EBADENGINE, then a dependency
# breaks at run time).
set -euo pipefail

REQUIRED_MAJOR=24
version=$(node -p 'process.versions.node' 2>/dev/null || echo none)
if [ "${version%%.*}" = none ] || [ "${version%%.*}" -lt "$REQUIRED_MAJOR" ]; then
  cat >&2 <<MESSAGE
iact-bot needs Node.js $REQUIRED_MAJOR or later; the node on PATH is ${version}.
Install Node $REQUIRED_MAJOR from the npm registry (into /opt/node24; run as root)
and put it first on PATH, then run the command again:

    export PATH="\$(bash scripts/ensure-node.sh):\$PATH"
MESSAGE
  exit 1
fi
