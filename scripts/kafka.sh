#!/bin/bash
# A real Apache Kafka (KRaft, one node that is broker and controller) for evt's `kafka` test tier
# and for anyone who wants one on loopback, without Docker.
#
#   scripts/kafka.sh start [DIR]   assemble (first run only), format and start; prints the bootstrap
#   scripts/kafka.sh stop [DIR]    stop it and remove DIR
#   scripts/kafka.sh status [DIR]  says whether it runs, and where
#   scripts/kafka.sh fetch         only assemble the jars and the Python test client (start does too)
#   scripts/kafka.sh java CLASS ARGS...  run a Kafka main class with its jars (kafka-dump-log, ...)
#
# DIR defaults to $EVT_KAFKA_DIR, else /tmp/evt-kafka-$UID. The version is $EVT_KAFKA_VERSION
# (default 4.4.0; 3.9.2 for the 3.x compatibility run). Jars come from Maven Central through
# scripts/kafka/pom.xml and are cached in ${XDG_CACHE_HOME:-~/.cache}/evt/kafka-VERSION/ with a
# stamp: a second run neither downloads nor starts Maven.
#
# Listeners, all on 127.0.0.1 with free ports:
#   PLAINTEXT       no authentication (principal ANONYMOUS, a super user)
#   SASL_PLAINTEXT  PLAIN and SCRAM-SHA-512; users admin (super user) and alice (no ACLs but the
#                   ones below), passwords in DIR/state
#   SSL             server certificate signed by DIR/tls/ca.pem (made by openssl at start)
# The StandardAuthorizer denies alice everything except topics and groups whose names start with
# "acl-ok-". auto.create.topics.enable=false: a missing topic stays missing. Timestamps any distance
# in the future are accepted, and no record is deleted for its age (log.retention.ms=-1) unless
# its topic says so. DIR/state holds KEY=VALUE lines (shell-sourceable) for tests.
# EVT_KAFKA_REGISTRY=1 also starts scripts/registry.sh's schema registries in DIR/registry.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
version="${EVT_KAFKA_VERSION:-4.4.0}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/evt/kafka-$version"
heap="${EVT_KAFKA_HEAP:-512m}"
ready_seconds="${EVT_KAFKA_READY_SECONDS:-120}"

die() {
  echo "kafka.sh: error: $*" >&2
  exit 1
}

log4j_version_for() {
  # The log4j 2 that each Kafka line ships; 3.x uses reload4j (log4j 1) and needs no binding.
  case "$1" in
    4.*) echo 2.25.5 ;;
    *) echo "" ;;
  esac
}

fetch() {
  local stamp="$cache/stamp" want
  want="$version $(cat "$here/kafka/pom.xml" "$here/kafka/pom-3.xml" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found: run scripts/setup.sh (installs maven and openjdk-17-jre-headless)"
  command -v java >/dev/null || die "java not found: run scripts/setup.sh"
  local log4j pom
  log4j="$(log4j_version_for "$version")"
  pom="$here/kafka/pom.xml"
  if [ -z "$log4j" ]; then
    pom="$here/kafka/pom-3.xml"
  fi
  rm -rf "$cache.tmp"
  mkdir -p "$cache.tmp"
  echo "kafka.sh: fetching Apache Kafka $version and its runtime dependencies from Maven Central" >&2
  local props=(-Dkafka.version="$version")
  [ -n "$log4j" ] && props+=(-Dlog4j.version="$log4j")
  # The pom's directory stays clean: Maven writes nothing but the copied jars (and its own ~/.m2).
  if ! mvn -B -q -f "$pom" "${props[@]}" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$cache.tmp/libs" >"$cache.tmp/mvn.log" 2>&1; then
    # Offline, Maven cannot even load its dependency plugin ("No plugin found for prefix").
    if grep -qiE 'could not transfer|unknownhost|unknown host|connect timed out|connection refused|network is unreachable|could not resolve|no plugin found for prefix' "$cache.tmp/mvn.log"; then
      die "could not reach Maven Central to fetch Apache Kafka $version (needed by the kafka test tier); Maven said:
$(grep -iE 'error' "$cache.tmp/mvn.log" | head -5)
full log: $cache.tmp/mvn.log"
    fi
    die "Maven could not assemble Apache Kafka $version from Maven Central:
$(grep -iE 'error' "$cache.tmp/mvn.log" | head -5)
full log: $cache.tmp/mvn.log"
  fi
  ls "$cache.tmp/libs"/kafka_2.13-"$version".jar >/dev/null 2>&1 || die "Maven finished but kafka_2.13-$version.jar is missing (see $cache.tmp/mvn.log)"
  rm -rf "$cache"
  mv "$cache.tmp" "$cache"
  echo "$want" >"$stamp"
}

# An independent client that speaks Kafka 4's protocol floor and has the admin calls tests need
# (ACLs, DeleteRecords, ListOffsets, DescribeConsumerGroups, transactions, KIP-848 groups):
# confluent-kafka from PyPI (it bundles its own librdkafka, not evt's 2.0.2), in a cached venv.
# Debian's python3-confluent-kafka 1.7.0 lacks most of these, and Debian's kafka-python 2.0.2
# sends request versions Kafka 4 removed.
pyclient_version=2.16.1
pyclient_dir="${XDG_CACHE_HOME:-$HOME/.cache}/evt/pyclient-confluent-kafka-$pyclient_version"

pyclient() {
  if [ -f "$pyclient_dir/stamp" ]; then
    return 0
  fi
  rm -rf "$pyclient_dir"
  echo "kafka.sh: installing confluent-kafka $pyclient_version from PyPI into $pyclient_dir" >&2
  /usr/bin/python3 -m venv "$pyclient_dir" || die "python3 -m venv failed: run scripts/setup.sh (installs python3-venv)"
  if ! "$pyclient_dir/bin/pip" install -q --disable-pip-version-check \
    "confluent-kafka==$pyclient_version" >"$pyclient_dir/pip.log" 2>&1; then
    cat "$pyclient_dir/pip.log" >&2
    rm -rf "$pyclient_dir"
    die "could not install confluent-kafka $pyclient_version from PyPI (is PyPI reachable?)"
  fi
  echo "$pyclient_version" >"$pyclient_dir/stamp"
}

run_java() {
  fetch
  local class="$1"
  shift
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Dlog4j2.configurationFile="$here/kafka/tools-log4j2.properties" \
    -Dlog4j.configuration="file:$here/kafka/tools-log4j.properties" \
    -cp "$cache/libs/*" "$class" "$@"
}

free_ports() {
  "$here/free-ports" "$1"
}

make_tls() {
  local d="$1/tls" pass="$2"
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=evt test CA" \
      -keyout ca.key -out ca.pem 2>/dev/null
    # A second CA that signed nothing of this broker's: for "wrong CA" tests.
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=evt other CA" \
      -keyout other-ca.key -out other-ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
      -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
      -extfile san.ext -out server.pem 2>/dev/null
    openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name server \
      -passout "pass:$pass" -out server.p12
  ) || die "openssl could not make the test certificates in $d"
}

is_running() {
  local dir="$1"
  [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null
}

metadata_answers() {
  # A metadata request through an independent client (Debian's python3-confluent-kafka).
  /usr/bin/python3 - "$1" <<'EOF' >/dev/null 2>&1
import sys
from confluent_kafka.admin import AdminClient
md = AdminClient({"bootstrap.servers": sys.argv[1]}).list_topics(timeout=5)
sys.exit(0 if md.brokers else 1)
EOF
}

start() {
  local dir="$1"
  if is_running "$dir"; then
    echo "kafka.sh: already running in $dir" >&2
    cat "$dir/state"
    return 0
  fi
  fetch
  pyclient
  rm -rf "$dir"
  mkdir -p "$dir/data"
  dir="$(cd "$dir" && pwd)"

  local ports plain sasl ssl ctrl
  ports="$(free_ports 4)"
  read -r plain sasl ssl ctrl <<<"$ports"

  local tls_pass=evt-tls-secret admin_pass=admin-secret alice_pass=alice-secret
  make_tls "$dir" "$tls_pass"

  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctrl
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$plain,SASL_PLAINTEXT://127.0.0.1:$sasl,SSL://127.0.0.1:$ssl,CONTROLLER://127.0.0.1:$ctrl
advertised.listeners=PLAINTEXT://127.0.0.1:$plain,SASL_PLAINTEXT://127.0.0.1:$sasl,SSL://127.0.0.1:$ssl
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Tests use short consumer sessions (4 s) to see rebalances quickly.
group.min.session.timeout.ms=1000
# Tests need a missing topic to stay missing (evt must say "not found", exit 5).
auto.create.topics.enable=false
# Tests produce records with timestamps far in the future (Kafka 4 refuses > 1 h by default).
log.message.timestamp.after.max.ms=9223372036854775807
# Records are kept whatever their timestamps (tests write 2020's and epoch 42): no time or size
# retention unless a topic asks for it. Retention and compaction a topic asks for act within
# seconds, for the tests that wait for them.
log.retention.ms=-1
log.retention.check.interval.ms=1000
log.cleaner.backoff.ms=500
log.initial.task.delay.ms=1000
# Small footprint: CI has two cores for everything.
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
background.threads=2
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="$admin_pass" user_alice="$alice_pass";
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$dir/tls/server.p12
ssl.keystore.password=$tls_pass
ssl.key.password=$tls_pass
ssl.client.auth=none
EOF

  cat >"$dir/log4j2.properties" <<EOF
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.apache.name=org.apache.kafka
logger.apache.level=INFO
EOF
  cat >"$dir/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF

  local cluster_id
  # Kafka's Uuid in base64url; one starting with '-' would read as an option of StorageTool.
  cluster_id="$(python3 -c '
import base64, os
while True:
    u = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if u[0].isalnum():
        print(u)
        break')"
  local jvm=(java "-Xmx$heap" "-Xms128m" -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$dir/log4j2.properties"
    -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$cache/libs/*")
  if ! "${jvm[@]}" kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$dir/server.properties" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$admin_pass]" \
    --add-scram "SCRAM-SHA-512=[name=alice,password=$alice_pass]" >"$dir/format.log" 2>&1; then
    cat "$dir/format.log" >&2
    die "formatting the KRaft storage in $dir/data failed"
  fi

  # setsid: the broker outlives this script and a ctest fixture; `stop` ends it by its pid.
  setsid "${jvm[@]}" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"

  local deadline=$((SECONDS + ready_seconds))
  until grep -q "Kafka Server started" "$dir/server.log" 2>/dev/null &&
    metadata_answers "127.0.0.1:$plain"; do
    if ! is_running "$dir"; then
      tail -n 30 "$dir/server.log" "$dir/stdout.log" >&2 2>/dev/null || true
      die "Apache Kafka $version exited while starting (logs in $dir)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$dir/server.log" >&2 2>/dev/null || true
      stop "$dir" >/dev/null 2>&1 || true
      die "Apache Kafka $version was not ready within ${ready_seconds}s"
    fi
    sleep 0.5
  done

  # alice may use topics and groups named acl-ok-*; everything else is denied her.
  local acl_command=org.apache.kafka.tools.AclCommand
  case "$version" in 3.*) acl_command=kafka.admin.AclCommand ;; esac
  if ! run_java "$acl_command" --bootstrap-server "127.0.0.1:$plain" --add \
    --allow-principal User:alice --operation All --resource-pattern-type prefixed \
    --topic acl-ok- --group acl-ok- >"$dir/acls.log" 2>&1; then
    cat "$dir/acls.log" >&2
    stop "$dir" >/dev/null 2>&1 || true
    die "could not create the test ACLs"
  fi

  # The schema tests' registry (scripts/registry.sh) runs beside the tier's Kafka when asked:
  # its REGISTRY_* lines join this state.
  local registry_state=""
  if [ "${EVT_KAFKA_REGISTRY:-0}" = 1 ]; then
    if ! registry_state="$("$here/registry.sh" start "$dir/registry")"; then
      stop "$dir" >/dev/null 2>&1 || true
      die "could not start the schema registry (scripts/registry.sh)"
    fi
  fi

  cat >"$dir/state.tmp" <<EOF
$registry_state
KAFKA_VERSION=$version
KAFKA_DIR=$dir
KAFKA_PID=$(cat "$dir/pid")
KAFKA_LIBS=$cache/libs
KAFKA_PYTHON=$pyclient_dir/bin/python
KAFKA_PLAINTEXT=127.0.0.1:$plain
KAFKA_SASL_PLAINTEXT=127.0.0.1:$sasl
KAFKA_SSL=127.0.0.1:$ssl
KAFKA_CA=$dir/tls/ca.pem
KAFKA_OTHER_CA=$dir/tls/other-ca.pem
KAFKA_ADMIN_USER=admin
KAFKA_ADMIN_PASSWORD=$admin_pass
KAFKA_USER=alice
KAFKA_USER_PASSWORD=$alice_pass
KAFKA_ACL_PREFIX=acl-ok-
EOF
  mv "$dir/state.tmp" "$dir/state"
  echo "kafka.sh: Apache Kafka $version is running (pid $(cat "$dir/pid"), logs and state in $dir)" >&2
  echo "  PLAINTEXT       evt -b 127.0.0.1:$plain ..." >&2
  echo "  SASL_PLAINTEXT  127.0.0.1:$sasl (users admin/$admin_pass, alice/$alice_pass; PLAIN, SCRAM-SHA-512)" >&2
  echo "  SSL             127.0.0.1:$ssl (CA $dir/tls/ca.pem)" >&2
  echo "  stop with: scripts/kafka.sh stop $dir" >&2
  echo "127.0.0.1:$plain"
}

stop() {
  local dir="$1"
  if [ ! -d "$dir" ]; then
    echo "kafka.sh: nothing in $dir" >&2
    return 0
  fi
  if [ -d "$dir/registry" ]; then
    "$here/registry.sh" stop "$dir/registry" || true
  fi
  if is_running "$dir"; then
    local pid
    pid="$(cat "$dir/pid")"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "kafka.sh: broker $pid did not stop within 20s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # Only a directory this script made (it has server.properties) is removed.
  if [ -f "$dir/server.properties" ] || [ -f "$dir/pid" ]; then
    rm -rf "$dir"
  fi
  echo "kafka.sh: stopped" >&2
}

status() {
  local dir="$1"
  if is_running "$dir"; then
    echo "running (pid $(cat "$dir/pid")) in $dir"
    [ -f "$dir/state" ] && cat "$dir/state"
    return 0
  fi
  echo "not running ($dir)"
  return 3
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
dir="${1:-${EVT_KAFKA_DIR:-/tmp/evt-kafka-$(id -u)}}"
case "$cmd" in
  start) start "$dir" ;;
  stop) stop "$dir" ;;
  status) status "$dir" ;;
  fetch) fetch && pyclient && echo "$cache/libs" ;;
  java) run_java "$@" ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
