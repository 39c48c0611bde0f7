#!/usr/bin/env bash
# The README's test command: check the sources' format, configure, build and
# run the whole suite, then
# the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, a
# time-bounded subset under valgrind memcheck (scripts/valgrind.sh says
# which and why), and every fuzz target for a bounded time. Between the first
# pass and the sanitizers, the command and its libraries are built (not
# tested) with gcc and clang in every build type (scripts/build-matrix.sh).
# After the first pass, the same pass runs again while two bounded busy
# processes compete for the cores (the suite must not flake on a loaded
# machine). Warnings are errors throughout (SUBPOW_WERROR).
# SUBPOW_QUICK=1 runs only the first pass.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
export SUBPOW_WERROR=ON

# Every C, header and CUDA source is as the repository's .clang-format
# writes it (clang-format -i on a file fixes it).
echo "== clang-format"
bash scripts/check-format.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUBPOW_WERROR=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
[ "${SUBPOW_QUICK:-0}" = 1 ] && exit 0

# The first pass again while two busy processes compete for the cores, as
# other jobs do on a shared CI machine: a test that asserts a wall-clock
# window or sleeps instead of waiting for an event fails here. The spinners
# stop by themselves (timeout) and are stopped as soon as the pass ends.
echo "== the first pass again, with two busy processes competing for the cores"
busy=()
for _ in 1 2; do
  timeout "${SUBPOW_BUSY_SECONDS:-900}" sh -c 'while :; do :; done' &
  busy+=("$!")
done
busy_status=0
# The real-runtime suites (realchain*) are left out here: they test the
# protocol against the chain, which the first pass did, and Chopsticks'
# start-up on a loaded 2-core machine would add minutes for nothing new.
ctest --test-dir build --output-on-failure -j"$jobs" -E '^realchain' || busy_status=$?
kill "${busy[@]}" 2>/dev/null || true
wait "${busy[@]}" 2>/dev/null || true
[ "$busy_status" -eq 0 ] || { echo "the busy-machine pass failed" >&2; exit 1; }

# gcc RelWithDebInfo is the first pass, gcc Debug the sanitizer pass below,
# clang Debug the fuzz build: the matrix builds the three left.
echo "== gcc and clang, Debug, RelWithDebInfo and Release: build only"
bash scripts/build-matrix.sh gcc:Release clang:RelWithDebInfo clang:Release

echo "== the suite under ASan + UBSan"
cmake -S . -B build-asan -DSUBPOW_SANITIZE=ON -DSUBPOW_WITH_CUDA=OFF -DSUBPOW_WERROR=ON \
  -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== valgrind memcheck"
bash scripts/valgrind.sh build

echo "== fuzzing, ${SUBPOW_FUZZ_SECONDS:-8} s a target"
bash scripts/fuzz.sh "${SUBPOW_FUZZ_SECONDS:-8}"
