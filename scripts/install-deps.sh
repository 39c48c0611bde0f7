#!/usr/bin/env bash
# Installs every Debian package subpow needs to build, test and plot.
# This list is the one place where the project's dependencies are named.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config clang
  libssl-dev nettle-dev libcurl4-openssl-dev libjansson-dev libsodium-dev
  libhwloc-dev libcriterion-dev libmicrohttpd-dev libxxhash-dev
  gnuplot-nox python3 python3-pycryptodome
  valgrind
  nodejs npm
)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
