#!/bin/sh
# Prints the path of a Python with confluent-kafka's schema-registry serializers, for evt's schema
# tests (tests/cli/schema_peer.py). The venv is made once, from PyPI, with pinned versions, in
# ${XDG_CACHE_HOME:-~/.cache}/evt/schema-peer-<hash of the pins>; a second run downloads nothing.
set -eu
pins="confluent-kafka[avro,protobuf,json,schemaregistry]==2.16.1 fastavro==1.13.1 protobuf==7.36.2 jsonschema==4.26.0 grpcio-tools==1.85.1 grpcio==1.85.3 Authlib==1.9.10 attrs==26.1.0 cachetools==8.0.2 httpx2==2.16.2 referencing==0.37.0"
hash=$(printf '%s' "$pins" | sha256sum | cut -c1-12)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/evt/schema-peer-$hash"
if [ -x "$venv/bin/python" ] && [ -f "$venv/ok" ]; then
  echo "$venv/bin/python"
  exit 0
fi
rm -rf "$venv"
python=/usr/bin/python3
"$python" -m venv "$venv" >&2 || { echo "schema-peer.sh: error: cannot make a venv (apt-get install python3-venv)" >&2; exit 1; }
# shellcheck disable=SC2086
if ! "$venv/bin/pip" install -q --disable-pip-version-check $pins >"$venv/pip.log" 2>&1; then
  echo "schema-peer.sh: error: could not install the schema test client from PyPI ($pins); pip said:" >&2
  tail -n 5 "$venv/pip.log" >&2
  exit 1
fi
touch "$venv/ok"
echo "$venv/bin/python"
