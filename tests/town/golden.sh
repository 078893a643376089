#!/usr/bin/env bash
# Renders a baked twin with the viewer (headless, validation on) and compares the
# screenshot with a golden image.
# usage: golden.sh ZWILLING IMAGE_COMPARE GOLDEN OUT VIEWER_ARGS...
# ZW_NEED=PATH: skip (exit 77) when PATH (a ../shared sample) is not here.
# ZW_UI=1: with the overlay (panel goldens); ZW_MAX_FRACTION: pixels allowed to differ.
# ZW_UI_TEXT=1: also the overlay's text (--ui-text) must equal GOLDEN with .txt exactly:
# a wrong word or digit fails even where it changes fewer pixels than the tolerance.
set -uo pipefail
zwilling=$1 compare=$2 golden=$3 out=$4
shift 4
if [ -n "${ZW_NEED:-}" ] && [ ! -e "$ZW_NEED" ]; then echo "skipped: $ZW_NEED is not here"; exit 77; fi
mkdir -p "$(dirname "$out")"
rm -f "$out"
ui=(--no-ui)
[ "${ZW_UI:-0}" = 1 ] && ui=()
text=()
[ "${ZW_UI_TEXT:-0}" = 1 ] && text=(--ui-text "${out%.png}.txt")
log=$("$zwilling" --headless --validation "${ui[@]}" "${text[@]}" --screenshot "$out" "$@" 2>&1)
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
if [ "${ZW_UI_TEXT:-0}" = 1 ]; then
  golden_text="${golden%.png}.txt"
  if [ "${ZW_BLESS:-}" = 1 ]; then
    cp "${out%.png}.txt" "$golden_text"
    echo "blessed $golden_text; read it before committing it"
  elif ! diff -u "$golden_text" "${out%.png}.txt"; then
    echo "FAIL: the overlay's text differs from $golden_text (above; ZW_BLESS=1 re-blesses)"
    exit 1
  fi
fi
# Tolerance: a pixel differs when a channel is off by more than 6/255; at most 0.5 %
# of the pixels may differ (lavapipe rasterises deterministically; this absorbs
# rounding differences between LLVM versions), or ZW_MAX_FRACTION. The diff image goes
# next to OUT.
# No 8x8 block may differ in more than half its pixels (ZW_MAX_BLOCK_FRACTION): a small
# object drawn wrong or missing fails though it is far less than 0.5 % of the image.
exec "$compare" "$golden" "$out" --tolerance 6 --max-fraction "${ZW_MAX_FRACTION:-0.005}" \
  --max-block-fraction "${ZW_MAX_BLOCK_FRACTION:-0.5}" --diff "${out%.png}.diff.png"
