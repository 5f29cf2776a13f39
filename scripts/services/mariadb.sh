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
#
# It also gives the server the settings iact-bot needs (see README "MySQL
# settings"): max_allowed_packet of 64 MiB, because GitHub sends webhook
# payloads of up to 25 MB and each is stored as one row in one statement
# (MariaDB's default, 16 MiB, refuses the larger ones). The setting goes into
# a config file under /etc/mysql/mariadb.conf.d/ for the next start, and into
# the running server with SET GLOBAL (new connections see it at once).
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

# The server settings iact-bot checks at start (src/store/server-settings.ts).
max_allowed_packet_bytes=$((64 * 1024 * 1024))
settings_file=/etc/mysql/mariadb.conf.d/90-iact-bot.cnf

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

write_settings_file() {
  [ -d /etc/mysql/mariadb.conf.d ] || return 0
  local wanted
  wanted=$(printf '# Written by iact-bot scripts/services/mariadb.sh: GitHub webhook payloads reach 25 MB.\n[mysqld]\nmax_allowed_packet = %s\n' "$max_allowed_packet_bytes")
  if [ "$(cat "$settings_file" 2>/dev/null)" != "$wanted" ]; then
    if printf '%s\n' "$wanted" | as_root tee "$settings_file" >/dev/null 2>&1; then
      echo "mariadb: wrote ${settings_file}"
    else
      echo "mariadb: cannot write ${settings_file} (needs root); set max_allowed_packet = ${max_allowed_packet_bytes} yourself" >&2
    fi
  fi
}

# The running server: raise max_allowed_packet when it is smaller (never lower it).
apply_settings() {
  as_root mariadb --protocol=socket -N -e "SET GLOBAL max_allowed_packet = GREATEST(@@GLOBAL.max_allowed_packet, ${max_allowed_packet_bytes})" >/dev/null 2>&1 || {
    echo "mariadb: cannot raise max_allowed_packet to ${max_allowed_packet_bytes} on the running server (needs root); iact-bot will warn at start" >&2
    return 0
  }
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
    if answers; then
      write_settings_file
      apply_settings
      echo "mariadb: ready on ${db_host}:${db_port}"
      exit 0
    fi
    install_if_missing
    write_settings_file
    start_server
    apply_settings
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
