#!/usr/bin/env bash
# Configures and builds the fuzz targets with clang: tests/fuzz/build.sh BUILD_DIR
# The fuzz.build test runs it into <build>/fuzz; ZW_FUZZ_JOBS sets the parallelism
# (default 2).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build=$1

for tool in clang clang++; do
  command -v "$tool" >/dev/null || {
    echo "fuzz.build: $tool not found. The fuzz targets need clang and libFuzzer:" >&2
    echo "fuzz.build: run scripts/dev test (it installs them) or apt-get install clang libclang-rt-14-dev" >&2
    exit 1
  }
done

# Configured once; later builds re-run CMake by themselves when a CMakeLists.txt changed.
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo || {
    rm -rf "$build"  # a failed configure (no libFuzzer) is retried next time, not cached
    exit 1
  }
fi
cmake --build "$build" --parallel "${ZW_FUZZ_JOBS:-2}"
