#!/usr/bin/env bash
# Runs a single-node Apache Cassandra 5.0 for development and CI, from the
# cassandra-all jar and its dependencies on Maven Central: Debian has no
# Cassandra package and the machines have no container engine.
#
#   scripts/services/cassandra.sh [start|stop|status]
#
# start   installs java 17 and maven from apt when missing, resolves the jars
#         once into ${IACT_SERVICES_DIR:-/var/cache/iact-bot}/cassandra/lib,
#         writes cassandra.yaml and logback.xml, starts the server in the
#         background and waits (up to CASSANDRA_START_TIMEOUT, 180 s) until
#         the CQL port answers. Exits 0 at once when the port already answers.
# stop    stops the server this script started (pid file), waiting for it.
# status  exit 0 when the CQL port answers, 3 when it does not.
#
# Environment: CASSANDRA_PORT (CQL, default 9042), CASSANDRA_STORAGE_PORT
# (internode, default 7000), CASSANDRA_VERSION (default 5.0.9, the newest 5.0
# patch on Maven Central when this was written), CASSANDRA_HEAP (default 1g).
set -euo pipefail

command_name=${1:-start}

cassandra_version=${CASSANDRA_VERSION:-5.0.9}
cql_port=${CASSANDRA_PORT:-9042}
storage_port=${CASSANDRA_STORAGE_PORT:-7000}
heap_size=${CASSANDRA_HEAP:-1g}
start_timeout_seconds=${CASSANDRA_START_TIMEOUT:-180}

services_dir=${IACT_SERVICES_DIR:-/var/cache/iact-bot}
# Cassandra wants its config as a file:// URL, which needs an absolute path.
case "$services_dir" in /*) ;; *) services_dir=${PWD}/${services_dir} ;; esac
base_dir=${services_dir}/cassandra
lib_dir=${base_dir}/lib
lib_marker=${lib_dir}/.resolved
data_dir=${base_dir}/data
log_dir=${data_dir}/logs
log_file=${log_dir}/system.log
stdout_file=${log_dir}/stdout.log
pid_file=${base_dir}/cassandra.pid
config_file=${base_dir}/cassandra.yaml
logback_file=${base_dir}/logback.xml

log() { echo "cassandra: $*"; }
fail() { echo "cassandra: $*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Bash's /dev/tcp avoids depending on nc; timeout bounds a connect that hangs.
port_answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/${cql_port}" >/dev/null 2>&1; }

# The pid file alone is not proof: after a reboot the pid may belong to
# something else, so check the command line too.
running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid
  pid=$(cat "$pid_file" 2>/dev/null || true)
  [ -n "$pid" ] && [ -r "/proc/${pid}/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q 'org.apache.cassandra.service.CassandraDaemon' || return 1
  echo "$pid"
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# Cassandra 5.0 runs on JDK 11 or 17; the flags below are the JDK 17 set, and
# newer JDKs fail (Cassandra calls System.setSecurityManager), so insist on 17.
find_java() {
  local candidate
  for candidate in "${JAVA_HOME:+${JAVA_HOME}/bin/java}" "$(command -v java || true)" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(java_major "$candidate")" = 17 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

install_tools() {
  if ! java_bin=$(find_java); then
    log "installing openjdk-17-jre-headless from apt"
    apt_install openjdk-17-jre-headless
    java_bin=$(find_java) || fail "no java 17 found even after installing openjdk-17-jre-headless"
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    log "installing maven from apt"
    apt_install maven
  fi
}

resolve_jars() {
  if [ -f "$lib_marker" ] && [ "$(cat "$lib_marker")" = "$cassandra_version" ]; then return 0; fi
  log "resolving cassandra-all ${cassandra_version} and its runtime dependencies from Maven Central"
  local work_dir=${base_dir}/resolve
  rm -rf "$work_dir" "${lib_dir}.partial"
  mkdir -p "$work_dir"
  cat >"${work_dir}/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>iact-bot.services</groupId>
  <artifactId>cassandra-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.cassandra</groupId>
      <artifactId>cassandra-all</artifactId>
      <version>${cassandra_version}</version>
    </dependency>
  </dependencies>
</project>
POM
  local started_at=$SECONDS
  # Copy into a side directory and rename at the end, so an interrupted
  # download never leaves a lib dir that looks complete.
  if ! mvn -B -q -f "${work_dir}/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DoutputDirectory="${lib_dir}.partial" -DincludeScope=runtime >"${work_dir}/mvn.log" 2>&1; then
    tail -n 40 "${work_dir}/mvn.log" >&2
    fail "maven could not resolve cassandra-all ${cassandra_version} (full log: ${work_dir}/mvn.log)"
  fi
  compgen -G "${lib_dir}.partial/cassandra-all-${cassandra_version}.jar" >/dev/null \
    || fail "maven finished but cassandra-all-${cassandra_version}.jar is missing (log: ${work_dir}/mvn.log)"
  rm -rf "$lib_dir"
  mv "${lib_dir}.partial" "$lib_dir"
  echo "$cassandra_version" >"$lib_marker"
  log "resolved $(find "$lib_dir" -name '*.jar' | wc -l) jars ($(du -sh "$lib_dir" | cut -f1)) in $((SECONDS - started_at)) s"
}

write_config() {
  mkdir -p "$data_dir" "$log_dir" "${base_dir}/triggers"
  # Unknown keys are fatal to Cassandra, so this stays minimal.
  # allocate_tokens_for_local_replication_factor is left out on purpose: with
  # it, a single node sleeps for the ring delay (~30 s) before serving.
  cat >"$config_file" <<YAML
cluster_name: iact-dev
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:${storage_port}"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: ${storage_port}
native_transport_port: ${cql_port}
start_native_transport: true
auto_snapshot: false
YAML
  # Cassandra's own logback.xml expects its conf dir layout; this one keeps a
  # bounded file log and only warnings on the console (which nohup captures).
  cat >"$logback_file" <<XML
<configuration scan="false">
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
    <file>${log_file}</file>
    <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
      <fileNamePattern>${log_file}.%i</fileNamePattern>
      <minIndex>1</minIndex>
      <maxIndex>3</maxIndex>
    </rollingPolicy>
    <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
      <maxFileSize>50MB</maxFileSize>
    </triggeringPolicy>
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
      <level>WARN</level>
    </filter>
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <root level="INFO">
    <appender-ref ref="FILE" />
    <appender-ref ref="STDOUT" />
  </root>
</configuration>
XML
}

launch() {
  local jamm_jars=("${lib_dir}"/jamm-*.jar)
  [ -f "${jamm_jars[0]}" ] || fail "no jamm jar in ${lib_dir}; delete ${lib_marker} to resolve again"
  # Flags from Cassandra 5.0's conf/jvm-server.options and jvm17-server.options;
  # jamm as an agent lets Cassandra measure object sizes for memtables.
  local jvm_flags=(
    "-Xms${heap_size}" "-Xmx${heap_size}" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError
    "-javaagent:${jamm_jars[0]}" -Djava.net.preferIPv4Stack=true
    -Djdk.attach.allowAttachSelf=true
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
    --add-exports java.sql/java.sql=ALL-UNNAMED
    --add-exports java.base/java.lang.ref=ALL-UNNAMED
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
    --add-opens java.base/java.lang.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.io=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.util=ALL-UNNAMED
    --add-opens java.base/java.nio=ALL-UNNAMED
    --add-opens java.base/java.nio.charset=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    # Without it the daemon closes stdout/stderr once started.
    -Dcassandra-foreground=yes
    "-Dcassandra.config=file://${config_file}"
    "-Dcassandra.storagedir=${data_dir}"
    "-Dcassandra.logdir=${log_dir}"
    "-Dcassandra.triggers_dir=${base_dir}/triggers"
    "-Dlogback.configurationFile=${logback_file}"
    # A single node has no peers to wait for or remember.
    -Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.load_ring_state=false
    # Skips fsync of system tables: throwaway development data.
    -Dcassandra.unsafesystem=true
  )
  # Logback appends; moving the last run's log aside means a failure report
  # below shows this run's lines, not the previous run's.
  if [ -f "$log_file" ]; then mv -f "$log_file" "${log_file}.previous"; fi
  log "starting Cassandra ${cassandra_version} on 127.0.0.1:${cql_port} (log: ${log_file})"
  # setsid + nohup: the server outlives the shell (and CI step) that started
  # it. 9>&- keeps the start lock from being inherited by the JVM, which
  # would otherwise hold it for as long as the server runs.
  setsid nohup "$java_bin" "${jvm_flags[@]}" -cp "${lib_dir}/*" \
    org.apache.cassandra.service.CassandraDaemon >"$stdout_file" 2>&1 </dev/null 9>&- &
  echo $! >"$pid_file"
}

show_logs() {
  echo "---- tail of ${log_file}" >&2
  tail -n 60 "$log_file" >&2 2>/dev/null || true
  echo "---- tail of ${stdout_file}" >&2
  tail -n 30 "$stdout_file" >&2 2>/dev/null || true
}

wait_until_ready() {
  local pid=$1 started_at=$SECONDS
  while ! port_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_logs
      rm -f "$pid_file"
      fail "the server (pid ${pid}) exited before port ${cql_port} answered"
    fi
    if [ $((SECONDS - started_at)) -ge "$start_timeout_seconds" ]; then
      show_logs
      # Leave nothing half-started behind: the next start begins clean.
      stop_server
      fail "port ${cql_port} did not answer within ${start_timeout_seconds} s"
    fi
    sleep 0.5
  done
  log "ready on 127.0.0.1:${cql_port} after $((SECONDS - started_at)) s (pid ${pid})"
}

stop_server() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pid_file"
    if port_answers; then log "port ${cql_port} answers but not from a server this script started; left alone"; else log "not running"; fi
    return 0
  fi
  kill -TERM "$pid"
  # Cassandra drains and flushes on SIGTERM; give it a minute before forcing.
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid ${pid} still running after 60 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  log "stopped (pid ${pid})"
}

start() {
  if port_answers; then log "already answering on 127.0.0.1:${cql_port}"; return 0; fi
  mkdir -p "$base_dir"
  # Two concurrent starts (two test runs, CI steps) must not resolve into the
  # same dir or launch two servers on one data dir: take a lock, then look again.
  exec 9>"${base_dir}/.start.lock"
  flock 9
  if port_answers; then log "already answering on 127.0.0.1:${cql_port}"; return 0; fi
  install_tools
  resolve_jars
  write_config
  local pid
  if pid=$(running_pid); then
    log "pid ${pid} is still starting; waiting for it"
  else
    launch
    pid=$(cat "$pid_file")
  fi
  wait_until_ready "$pid"
}

case "$command_name" in
  start) start ;;
  stop) stop_server ;;
  status)
    if port_answers; then
      log "answering on 127.0.0.1:${cql_port}$(pid=$(running_pid) && echo " (pid ${pid})")"
    else
      log "not answering on 127.0.0.1:${cql_port}"
      exit 3
    fi
    ;;
  *)
    echo "usage: $0 [start|stop|status]" >&2
    exit 2
    ;;
esac
