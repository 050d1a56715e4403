#!/bin/sh
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for SECONDS (default 60)
# on its corpus in tests/fuzz/corpus/<target>. New inputs found go to a scratch copy of the
# corpus; a crash stops the run with the crashing input saved in build/fuzz/crashes/.
# Usage: scripts/fuzz.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" --target fuzz_envelope fuzz_layout fuzz_offsets fuzz_config
mkdir -p build/fuzz/crashes
for target in envelope layout offsets config; do
  work="build/fuzz/corpus-$target"
  rm -rf "$work" && mkdir -p "$work"
  cp tests/fuzz/corpus/$target/* "$work/"
  echo "== fuzz_$target for ${seconds}s"
  # The log goes to a file and its end is shown after: piped into tail, the fuzzer's exit
  # status would be lost (no pipefail in sh), and a crash would pass for success.
  log="build/fuzz/fuzz_$target.log"
  status=0
  build/fuzz/tests/fuzz/fuzz_$target -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/crashes/$target- -print_final_stats=1 \
    "$work" tests/fuzz/corpus/$target >"$log" 2>&1 || status=$?
  tail -n 12 "$log"
  if [ "$status" -ne 0 ]; then
    echo "== fuzz_$target failed (exit $status): the input is in build/fuzz/crashes/," \
      "the whole log in $log" >&2
    exit 1
  fi
done
echo "== fuzzing found no crash"
