#!/bin/sh
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for SECONDS (default 60)
# on its corpus in tests/fuzz/corpus/<target>. New inputs found go to a scratch copy of the
# corpus; a crash stops the run with the crashing input saved in build/fuzz/crashes/.
# Usage: scripts/fuzz.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" --target fuzz_envelope fuzz_layout fuzz_offsets fuzz_config fuzz_schema
mkdir -p build/fuzz/crashes
for target in envelope layout offsets config schema; do
  # libavro 1.11.1 (bookworm) does not free a half-read bytes or array value when a record is cut
  # short (fixed upstream in 1.11.3): a leak of at most the bad record's size, inside the library,
  # that LeakSanitizer would stop the schema target on.
  leaks=1
  if [ "$target" = schema ]; then leaks=0; fi
  work="build/fuzz/corpus-$target"
  rm -rf "$work" && mkdir -p "$work"
  cp tests/fuzz/corpus/$target/* "$work/"
  echo "== fuzz_$target for ${seconds}s"
  build/fuzz/tests/fuzz/fuzz_$target -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -detect_leaks=$leaks \
    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/crashes/$target- -print_final_stats=1 \
    "$work" tests/fuzz/corpus/$target 2>&1 | tail -n 12
done
echo "== fuzzing found no crash"
