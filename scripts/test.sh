#!/usr/bin/env bash
# `npm test`: installs what the suites need when it is missing (npm
# dependencies, MariaDB from apt, Cassandra from Maven Central), starts the
# services idempotently, then runs every suite once. Extra arguments go to
# vitest (e.g. `npm test -- test/inbox`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-node-modules.sh
export DATABASE_URL=${DATABASE_URL:-mysql://iact:iact@127.0.0.1:3306/iact}
bash scripts/services/mariadb.sh start
bash scripts/services/cassandra.sh start
npm run --silent generate
exec npx vitest run "$@"
