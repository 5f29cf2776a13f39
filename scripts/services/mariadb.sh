#!/usr/bin/env bash
# Installs (from apt, when missing), starts (idempotently) and prepares the
# MariaDB server that iact-bot stores its data in, then waits until it answers.
#
#   scripts/services/mariadb.sh [start|stop|status]
#
# The database and application user come from DATABASE_URL
# (default mysql://iact:iact@127.0.0.1:3306/iact). The test database
# (<db>_test) is created too. Root authenticates by unix socket on Debian, so
# the script must run as root or with sudo when it has to create anything.
set -euo pipefail

command_name=${1:-start}
database_url=${DATABASE_URL:-mysql://iact:iact@127.0.0.1:3306/iact}

# mysql://user:pass@host:port/db -> parts (no URL-encoded characters expected
# in the development defaults; a real deployment manages its own server).
url_rest=${database_url#*://}
credentials=${url_rest%%@*}
db_user=${credentials%%:*}
db_password=${credentials#*:}
host_port_db=${url_rest#*@}
host_port=${host_port_db%%/*}
db_name=${host_port_db#*/}
db_name=${db_name%%\?*}
db_host=${host_port%%:*}
db_port=${host_port##*:}
[ "$db_port" = "$host_port" ] && db_port=3306

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

answers() { mariadb-admin --protocol=tcp -h "$db_host" -P "$db_port" -u"$db_user" -p"$db_password" ping >/dev/null 2>&1; }

install_if_missing() {
  if ! command -v mariadbd >/dev/null 2>&1 && ! [ -x /usr/sbin/mariadbd ]; then
    echo "mariadb: installing mariadb-server from apt"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq mariadb-server mariadb-client >/dev/null
  fi
}

start_server() {
  if as_root mariadb-admin ping >/dev/null 2>&1; then return 0; fi
  echo "mariadb: starting server"
  as_root mkdir -p /run/mysqld
  as_root chown mysql:mysql /run/mysqld
  if command -v service >/dev/null 2>&1 && as_root service mariadb start >/dev/null 2>&1; then :; else
    # Containers without an init system: run mysqld_safe in the background.
    as_root sh -c 'nohup mysqld_safe >/var/log/iact-mariadb.log 2>&1 &'
  fi
  for _ in $(seq 1 120); do
    as_root mariadb-admin ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "mariadb: server did not answer within 60 s" >&2
  tail -n 50 /var/log/iact-mariadb.log /var/log/mysql/error.log 2>/dev/null >&2 || true
  return 1
}

prepare_database() {
  # The application user gets every privilege on its database and on the test
  # databases the test suite creates (<db>_test...).
  as_root mariadb --protocol=socket <<SQL
CREATE DATABASE IF NOT EXISTS \`${db_name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`${db_name}_test\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${db_user}'@'localhost' IDENTIFIED BY '${db_password}';
CREATE USER IF NOT EXISTS '${db_user}'@'127.0.0.1' IDENTIFIED BY '${db_password}';
CREATE USER IF NOT EXISTS '${db_user}'@'%' IDENTIFIED BY '${db_password}';
GRANT ALL PRIVILEGES ON \`${db_name}\`.* TO '${db_user}'@'localhost', '${db_user}'@'127.0.0.1', '${db_user}'@'%';
GRANT ALL PRIVILEGES ON \`${db_name}\\_test%\`.* TO '${db_user}'@'localhost', '${db_user}'@'127.0.0.1', '${db_user}'@'%';
FLUSH PRIVILEGES;
SQL
}

case "$command_name" in
  start)
    if answers; then echo "mariadb: ready on ${db_host}:${db_port}"; exit 0; fi
    install_if_missing
    start_server
    prepare_database
    for _ in $(seq 1 60); do
      if answers; then echo "mariadb: ready on ${db_host}:${db_port} (database ${db_name})"; exit 0; fi
      sleep 0.5
    done
    echo "mariadb: server runs but ${db_user}@${db_host}:${db_port} cannot connect" >&2
    exit 1
    ;;
  stop)
    as_root mariadb-admin shutdown >/dev/null 2>&1 || true
    echo "mariadb: stopped"
    ;;
  status)
    if answers; then echo "mariadb: ready"; else echo "mariadb: not answering"; exit 1; fi
    ;;
  *)
    echo "usage: $0 [start|stop|status]" >&2
    exit 2
    ;;
esac
