#!/usr/bin/env bash
# Renders a baked twin with the viewer (headless, validation on) and compares the
# screenshot with a golden image.
# usage: golden.sh ZWILLING IMAGE_COMPARE GOLDEN OUT VIEWER_ARGS...
set -uo pipefail
zwilling=$1 compare=$2 golden=$3 out=$4
shift 4
mkdir -p "$(dirname "$out")"
rm -f "$out"
log=$("$zwilling" --headless --validation --no-ui --screenshot "$out" "$@" 2>&1)
code=$?
printf '%s\n' "$log"
if [ $code -ne 0 ] || [ ! -s "$out" ]; then echo "FAIL: the viewer exited with $code"; exit 1; fi
if grep -q "validation:" <<<"$log"; then echo "FAIL: Vulkan validation messages"; exit 1; fi
# Tolerance: a pixel differs when a channel is off by more than 6/255; at most 0.5 %
# of the pixels may differ (lavapipe rasterises deterministically; this absorbs
# rounding differences between LLVM versions). The diff image goes next to OUT.
exec "$compare" "$golden" "$out" --tolerance 6 --max-fraction 0.005 --diff "${out%.png}.diff.png"
