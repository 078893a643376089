#!/usr/bin/env bash
# fullscreen.sh ZWILLING TWIN: --fullscreen in a window (under xvfb-run: the X screen)
# opens on the monitor at its size; the frames are drawn at that size (the swapchain
# followed), not at --size; no validation messages.
set -u
zwilling=$1 twin=$2
[ -n "${DISPLAY:-}" ] || { echo "skipped: no X display (run under xvfb-run)"; exit 77; }
out=$("$zwilling" --validation --fullscreen --size 320x240 --frames 30 --no-vsync --twin "$twin" 2>&1)
code=$?
printf '%s\n' "$out"
[ $code -eq 0 ] || { echo "FAIL: exit code $code"; exit 1; }
if grep -q "validation:" <<<"$out"; then echo "FAIL: Vulkan validation messages"; exit 1; fi
monitor=$(grep -Eo 'fullscreen on monitor [0-9]+ \([0-9]+x[0-9]+\)' <<<"$out" | grep -Eo '[0-9]+x[0-9]+' | head -1)
[ -n "$monitor" ] || { echo "FAIL: no 'fullscreen on monitor N (WxH)' line"; exit 1; }
last=$(grep -Eo 'presented 30 frames at [0-9]+x[0-9]+' <<<"$out" | grep -Eo '[0-9]+x[0-9]+$')
[ "$last" = "$monitor" ] || { echo "FAIL: frames drawn at '$last', the monitor is $monitor"; exit 1; }
[ "$monitor" != "320x240" ] || { echo "FAIL: the monitor is as small as the window; the test proves nothing"; exit 1; }
echo "fullscreen at $monitor"
