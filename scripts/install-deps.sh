#!/usr/bin/env bash
# Installs every Debian package subpow needs to build, test and plot.
# This list is the one place where the project's dependencies are named.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config clang libclang-rt-14-dev clang-format
  libssl-dev nettle-dev libcurl4-openssl-dev libjansson-dev libsodium-dev
  libhwloc-dev libcriterion-dev libmicrohttpd-dev libxxhash-dev
  libwebsockets-dev libyaml-dev libxml2-dev
  gnuplot-nox python3 python3-pycryptodome python3-mnemonic curl
  python3-junitparser python3-yaml
  valgrind tmux iproute2 procps
  libopenmpi-dev openmpi-bin
)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
# Node.js and npm run the interoperability tests against polkadot.js (they
# skip without them). Machines that already have Node.js from elsewhere (for
# example NodeSource's nodejs, which bundles npm and conflicts with Debian's
# npm package) keep theirs; only a machine without node gets Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -q --no-install-recommends nodejs npm ||
    echo "install-deps: nodejs/npm not installed; interop tests will skip" >&2
fi
