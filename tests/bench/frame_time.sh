#!/usr/bin/env bash
# Headless frame-time benchmark (release build): median and 95th percentile over 100
# frames at 1920x1080 of the built-in test scene, and the time from process start to
# the first finished frame. Run by hand: tests/bench/frame_time.sh [extra viewer args]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
viewer=build/release/app/viewer/zwilling
echo "== 100 frames, 1920x1080, overlay on"
"$viewer" --headless --size 1920x1080 --frames 100 "$@" 2>&1 | grep -E "GPU:|scene:|first frame|frames:"
echo "== 100 frames, 1920x1080, overlay off, MSAA 1 (for the ratio)"
"$viewer" --headless --size 1920x1080 --frames 100 --no-ui --msaa 1 "$@" 2>&1 | grep -E "frames:"
echo "== time to first frame, 5 cold starts (1280x720)"
for i in 1 2 3 4 5; do
  "$viewer" --headless --frames 1 2>&1 | grep -E "first frame"
done
