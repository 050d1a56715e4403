#!/bin/sh
# Installs what evt needs, builds it, and shows it working against the local broker:
# start a broker, produce a few events, consume them back, inspect the topic, stop the broker.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release

evt=build/release/cmd/evt
# A private broker address file, so the demo never touches a broker the user is running.
EVT_BROKER_FILE="$(mktemp -d)/broker"
export EVT_BROKER_FILE
trap '"$evt" broker stop >/dev/null 2>&1 || true; rm -rf "$(dirname "$EVT_BROKER_FILE")"' EXIT

run() {
  printf '\n$ %s\n' "$*"
  "$@"
}

run "$evt" --version
run "$evt" broker --topic orders:3 --detach
printf '\n$ printf ... | %s produce orders -K : -H source=demo\n' "$evt"
printf 'user-1:{"id":1}\nuser-2:{"id":2}\nuser-1:{"id":3}\n' | "$evt" produce orders -K : -H source=demo
run "$evt" consume orders -e -f '%p/%o %k %v (%h)\n'
run "$evt" consume orders -e -f json -c 1
run "$evt" inspect topic orders
run "$evt" broker stop
printf '\ndemo finished\n'
