#!/usr/bin/env bash
# The README's test command: configure, build and run the whole suite, then
# the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, a
# time-bounded subset under valgrind memcheck (scripts/valgrind.sh says
# which and why), and every fuzz target for a bounded time.
# SUBPOW_QUICK=1 runs only the first pass.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
[ "${SUBPOW_QUICK:-0}" = 1 ] && exit 0

echo "== the suite under ASan + UBSan"
cmake -S . -B build-asan -DSUBPOW_SANITIZE=ON -DSUBPOW_WITH_CUDA=OFF \
  -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== valgrind memcheck"
bash scripts/valgrind.sh build

echo "== fuzzing, ${SUBPOW_FUZZ_SECONDS:-8} s a target"
bash scripts/fuzz.sh "${SUBPOW_FUZZ_SECONDS:-8}"
