#!/bin/sh
# Installs every Debian package that building, testing and benchmarking evt needs (Java and
# Maven run the real Apache Kafka of the kafka test tier: scripts/kafka.sh).
# Idempotent and non-interactive: packages already present are skipped.
set -eu

packages="
  build-essential cmake g++ pkg-config git dpkg-dev file
  librdkafka-dev libcli11-dev libfmt-dev libyaml-cpp-dev catch2
  libssl-dev zlib1g-dev liblz4-dev libzstd-dev libsasl2-dev libmimalloc-dev
  rapidjson-dev libsodium-dev libjq-dev
  libavro-dev libjansson-dev libprotobuf-dev libprotoc-dev libcurl4-openssl-dev libvalijson-dev
  kcat python3 python3-confluent-kafka python3-kafka python3-venv
  openjdk-17-jre-headless maven
  bash-completion zsh fish mandoc groff-base man-db
  time util-linux procps openssl clang-format clang libclang-rt-14-dev
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "setup: installing:$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing </dev/null
