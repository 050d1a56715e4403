#!/bin/sh
# Installs what evt needs, builds it, and runs the whole test suite: the unit, mock and cli tiers
# on an optimised build, the kafka tier (the cli tests and tests/kafka against one real Apache
# Kafka that scripts/kafka.sh assembles from Maven Central, cached), a formatting check, then the
# unit and mock tiers and the cli tests of produce, consume and replay again under AddressSanitizer
# and UndefinedBehaviorSanitizer, then each fuzz
# target for a bounded time.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh </dev/null

jobs="$(nproc)"
echo "== build (ci preset)"
scripts/build.sh ci
echo "== tests: unit, mock, cli"
ctest --test-dir build/ci -L 'unit|mock|cli' --output-on-failure -j"$jobs"
echo "== tests: kafka (one real Apache Kafka for the tier; its tests run one at a time)"
# A Kafka that cannot be assembled (Maven Central unreachable) fails the tier's fixture, and
# with it this step: no silent skip. The fixture's cleanup stops the broker in any case.
ctest --test-dir build/ci -L '^kafka$' --output-on-failure
echo "== tests: kafka-compat (produce, consume, groups, compression against Apache Kafka 3.9)"
ctest --test-dir build/ci -L '^kafka-compat$' --output-on-failure
echo "== format check"
cmake --build build/ci --target check-format
echo "== build (asan preset: AddressSanitizer + UndefinedBehaviorSanitizer)"
scripts/build.sh asan
echo "== tests under ASan/UBSan: unit, mock"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  ctest --test-dir build/asan -L 'unit|mock' --output-on-failure -j"$jobs"
echo "== tests under ASan/UBSan: cli tests of produce, consume, replay and filters"
# The instrumented evt binary itself, against the local broker, on the paths that move records
# (the memory test measures RSS, which the sanitizers inflate: it runs in the optimised tier).
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  ctest --test-dir build/asan -L cli -R '^cli:(produce|consume|replay|filters): ' --output-on-failure \
  -j"$jobs"
echo "== fuzzing: each libFuzzer target under ASan/UBSan for ${EVT_FUZZ_SECONDS:-60}s"
scripts/fuzz.sh "${EVT_FUZZ_SECONDS:-60}"
echo "== all tests passed"
