#!/usr/bin/env bash
# ctest `install`: installs the build tree BUILD into a fresh prefix, then
# compiles each installed header on its own, builds regress/install/cpu.c
# (the CPU backend) with `pkg-config --cflags --libs subpow-cpu`, and
# builds regress/install/seal.c against it twice, with
# `pkg-config --cflags --libs subpow` and with find_package(subpow), runs
# both, and runs the installed command (`subpow --version`, and
# `subpow verify` reading the installed vectors).
#   check_install.sh BUILD_DIR C_COMPILER
set -Eeuo pipefail
trap 'echo "install: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
build=$1 cc=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/subpow-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
test -x "$tmp/prefix/bin/subpow"
test ! -e "$tmp/prefix/bin/bench"
"$tmp/prefix/bin/subpow" --version | grep -q '^subpow '
# Its data come from the prefix (bench/data_dir.h), not the source tree:
# run from a copy of the prefix moved elsewhere.
test -f "$tmp/prefix/share/subpow/vectors/seals.json"
cp -a "$tmp/prefix" "$tmp/moved"
"$tmp/moved/bin/subpow" --version |
  grep -qx "vectors: $tmp/moved/bin/../share/subpow/vectors"
(cd / && "$tmp/moved/bin/subpow" verify --backend reference --random-cases 10 \
  > "$tmp/verify.log" 2>&1) || { cat "$tmp/verify.log"; exit 1; }
export PKG_CONFIG_PATH=$tmp/prefix/lib/pkgconfig:$tmp/prefix/lib64/pkgconfig
flags=$(pkg-config --cflags --libs subpow)
"$cc" -std=c17 -Wall -Wextra -Werror "$here/seal.c" $flags -o "$tmp/seal-pc"
# Every installed header compiles on its own with subpow's flags (the CPU
# backend's with subpow-cpu's), and the CPU backend links and runs from
# `pkg-config --cflags --libs subpow-cpu` when it was installed.
inc=$tmp/prefix/include/subpow
test -d "$inc"
while IFS= read -r h; do
  rel=${h#"$inc"/}
  pc=subpow
  case $rel in optimized/*) pc=subpow-cpu ;; esac
  printf '#include "%s"\nint main(void) { return 0; }\n' "$rel" > "$tmp/one.c"
  "$cc" -std=c17 -Wall -Wextra -Werror "$tmp/one.c" \
    $(pkg-config --cflags --libs "$pc") -o "$tmp/one" ||
    { echo "install: $rel does not build on its own ($pc)" >&2; exit 1; }
done < <(find "$inc" -name '*.h' | sort)
if test -e "$inc/optimized/cpu_backend.h"; then
  pkg-config --exists subpow-cpu
  "$cc" -std=c17 -Wall -Wextra -Werror "$here/cpu.c" \
    $(pkg-config --cflags --libs subpow-cpu) -o "$tmp/cpu-pc"
  "$tmp/cpu-pc"
fi
"$tmp/seal-pc"
cmake -S "$here" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_C_COMPILER="$cc" > "$tmp/consumer.log"
cmake --build "$tmp/consumer" > "$tmp/consumer-build.log"
"$tmp/consumer/seal"
echo "install: ok ($(pkg-config --modversion subpow))"
