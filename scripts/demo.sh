#!/bin/sh
# Installs what evt needs, builds it, and shows it working against the local broker:
# start a broker, produce a few events, consume them back, inspect the topic, stop the broker.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release

evt=build/release/cmd/evt
# The broker is published where a new user's would be (XDG_RUNTIME_DIR, else /tmp/evt-UID), so
# the demo fails where the user's own commands would. Only when the user already runs a broker
# there does the demo publish its own in a private file, leaving theirs alone.
private_dir=
if "$evt" broker status >/dev/null 2>&1; then
  private_dir="$(mktemp -d)"
  EVT_BROKER_FILE="$private_dir/broker"
  export EVT_BROKER_FILE
  printf '(a local broker is already running; the demo runs its own, published in %s)\n' \
    "$EVT_BROKER_FILE"
fi
trap '"$evt" broker stop >/dev/null 2>&1 || true; [ -z "$private_dir" ] || rm -rf "$private_dir"' EXIT

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
