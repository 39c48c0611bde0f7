#!/usr/bin/env bash
# Packs a build for a GPU machine that has the NVIDIA driver but not our
# build dependencies: bench, test_cuda, the vectors and every shared library
# they load except the C runtime (the GPU machine's newer glibc and libstdc++
# run binaries built here), into DEST; then scripts/device-cuda.sh DEST runs
# there.
#
# usage: scripts/device-cuda-pack.sh BUILD_DIR DEST
set -euo pipefail
build=${1:?usage: scripts/device-cuda-pack.sh BUILD_DIR DEST}
dest=${2:?usage: scripts/device-cuda-pack.sh BUILD_DIR DEST}
src=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$dest"
mkdir -p "$dest/lib" "$dest/scripts"
cp "$build/bench" "$build/regress/test_cuda" "$dest/"
cp -r "$src/vectors" "$dest/vectors"
cp "$src/scripts/device-cuda.sh" "$dest/scripts/"
ldd "$build/bench" "$build/regress/test_cuda" | awk '$3 ~ /^\// {print $3}' | sort -u |
  grep -v -E '/(libc|libm|libdl|librt|libpthread|libresolv|libgcc_s|libstdc\+\+|ld-linux[^/]*)\.so' |
  while read -r lib; do cp -L "$lib" "$dest/lib/"; done
du -sh "$dest"
