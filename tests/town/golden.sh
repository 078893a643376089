#!/usr/bin/env bash
# Renders a baked twin with the viewer (headless, validation on) and compares the
# screenshot with a golden image.
# usage: golden.sh ZWILLING IMAGE_COMPARE GOLDEN OUT VIEWER_ARGS...
# ZW_NEED=PATH: skip (exit 77) when PATH (a ../shared sample) is not here.
# ZW_UI=1: with the overlay (panel goldens); ZW_MAX_FRACTION: pixels allowed to differ.
set -uo pipefail
zwilling=$1 compare=$2 golden=$3 out=$4
shift 4
if [ -n "${ZW_NEED:-}" ] && [ ! -e "$ZW_NEED" ]; then echo "skipped: $ZW_NEED is not here"; exit 77; fi
mkdir -p "$(dirname "$out")"
rm -f "$out"
ui=(--no-ui)
[ "${ZW_UI:-0}" = 1 ] && ui=()
log=$("$zwilling" --headless --validation "${ui[@]}" --screenshot "$out" "$@" 2>&1)
code=$?
printf '%s\n' "$log"
if [ $code -ne 0 ] || [ ! -s "$out" ]; then echo "FAIL: the viewer exited with $code"; exit 1; fi
if grep -q "validation:" <<<"$log"; then echo "FAIL: Vulkan validation messages"; exit 1; fi
# ZW_EXPECT_ONCE=REGEX: the log must hold exactly one line matching REGEX (a failure
# that must be reported once, not once per frame).
if [ -n "${ZW_EXPECT_ONCE:-}" ]; then
  n=$(grep -Ec -- "$ZW_EXPECT_ONCE" <<<"$log")
  if [ "$n" -ne 1 ]; then echo "FAIL: $n lines match '$ZW_EXPECT_ONCE', expected exactly 1"; exit 1; fi
fi
# Tolerance: a pixel differs when a channel is off by more than 6/255; at most 0.5 %
# of the pixels may differ (lavapipe rasterises deterministically; this absorbs
# rounding differences between LLVM versions), or ZW_MAX_FRACTION. The diff image goes
# next to OUT.
exec "$compare" "$golden" "$out" --tolerance 6 --max-fraction "${ZW_MAX_FRACTION:-0.005}" --diff "${out%.png}.diff.png"
