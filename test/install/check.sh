#!/usr/bin/env bash
# Installs the build tree into a scratch prefix and builds + runs a separate
# project against it with find_package(ember CONFIG REQUIRED).
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer"
