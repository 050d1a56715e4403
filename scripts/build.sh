#!/bin/sh
# Configures and builds one CMake preset (default: release). Usage: scripts/build.sh [PRESET]
set -eu
cd "$(dirname "$0")/.."
preset="${1:-release}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$(nproc)"
