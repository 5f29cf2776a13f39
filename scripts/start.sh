#!/usr/bin/env bash
# `npm start` (and `npm run dev`): everything a fresh machine needs, then the
# app. Unregistered (no APP_ID / private key in the environment or .env),
# the app starts Probot's setup flow at http://localhost:${PORT:-3000}.
#
#   IACT_MANAGE_SERVICES=0  use the MySQL in DATABASE_URL as it is (no apt,
#                           no local MariaDB); the default 1 installs and
#                           starts a local MariaDB for development.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/check-node.sh
bash scripts/ensure-node-modules.sh

# .env (written by the setup flow) may hold DATABASE_URL; the shell wins.
if [ -z "${DATABASE_URL:-}" ] && [ -f .env ]; then
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' .env | tail -n 1 | sed 's/^"\(.*\)"$/\1/')
fi
export DATABASE_URL=${DATABASE_URL:-mysql://iact:iact@127.0.0.1:3306/iact}

if [ "${IACT_MANAGE_SERVICES:-1}" = 1 ]; then
  bash scripts/services/mariadb.sh start
fi

npm run --silent build
node dist/cli/main.js migrate
if [ "${1:-}" = "--dev" ]; then
  export NODE_ENV=${NODE_ENV:-development}
  export LOG_LEVEL=${LOG_LEVEL:-debug}
fi
exec node dist/cli/main.js serve
