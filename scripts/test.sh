#!/usr/bin/env bash
# The README's test command: configure, build and run the whole suite, then
# the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, a
# time-bounded subset under valgrind memcheck (scripts/valgrind.sh says
# which and why), and every fuzz target for a bounded time. Between the first
# pass and the sanitizers, the command and its libraries are built (not
# tested) with gcc and clang in every build type (scripts/build-matrix.sh).
# Warnings are errors throughout (SUBPOW_WERROR).
# SUBPOW_QUICK=1 runs only the first pass.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
export SUBPOW_WERROR=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUBPOW_WERROR=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
[ "${SUBPOW_QUICK:-0}" = 1 ] && exit 0

echo "== gcc and clang, Debug, RelWithDebInfo and Release: build only"
bash scripts/build-matrix.sh

echo "== the suite under ASan + UBSan"
cmake -S . -B build-asan -DSUBPOW_SANITIZE=ON -DSUBPOW_WITH_CUDA=OFF -DSUBPOW_WERROR=ON \
  -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== valgrind memcheck"
bash scripts/valgrind.sh build

echo "== fuzzing, ${SUBPOW_FUZZ_SECONDS:-8} s a target"
bash scripts/fuzz.sh "${SUBPOW_FUZZ_SECONDS:-8}"
