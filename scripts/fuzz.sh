#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time (default 20 s each):
#   bash scripts/fuzz.sh [SECONDS]
# Builds with clang, ASan and UBSan in build-fuzz/. New inputs that libFuzzer
# finds go to build-fuzz/corpus/<target>/ (the committed seed corpus in
# regress/corpus/ is only read); a crash stops the run with its input saved
# as build-fuzz/crash-<target>-*: copy it into regress/corpus/<target>/ so it
# becomes a regression test, then fix the bug.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
CC=clang cmake -S . -B build-fuzz -DSUBPOW_FUZZ=ON -DSUBPOW_WITH_CUDA=OFF \
  -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
status=0
for src in regress/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  target=${name#fuzz_}
  mkdir -p "build-fuzz/corpus/$target"
  echo "fuzzing $target for ${seconds}s"
  if ! "build-fuzz/regress/$name" -max_total_time="$seconds" -max_len=65536 \
      -artifact_prefix="build-fuzz/crash-$target-" \
      "build-fuzz/corpus/$target" "regress/corpus/$target" \
      > "build-fuzz/fuzz-$target.log" 2>&1; then
    echo "fuzz $target: FAILED (see build-fuzz/fuzz-$target.log)"
    tail -20 "build-fuzz/fuzz-$target.log"
    status=1
  fi
done
exit $status
