#!/usr/bin/env bash
# Headless frame-time benchmark of the built-in test scene (release build), run by hand:
#   tests/bench/frame_time.sh [extra viewer args]
# Reports, from one run: the median frame time over 100 frames at 1920x1080 with the
# default settings (4x MSAA, overlay on), the same without MSAA and overlay, their
# ratio, and the time from process start to the first finished frame. The two
# configurations alternate over three rounds so machine noise hits both alike.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
viewer=build/release/app/viewer/zwilling

median_of() {  # the viewer's "median X ms" over 100 frames
  "$viewer" --headless --size 1920x1080 --frames 100 "$@" 2>&1 | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p'
}
"$viewer" --headless --frames 1 "$@" 2>&1 | grep -E "GPU:|scene:"
default=() plain=()
for round in 1 2 3; do
  default+=("$(median_of "$@")")
  plain+=("$(median_of --msaa 1 --no-ui "$@")")
  echo "round $round: default ${default[-1]} ms, no MSAA/overlay ${plain[-1]} ms"
done
firsts=()
for i in 1 2 3 4 5; do
  firsts+=("$("$viewer" --headless --frames 1 "$@" 2>&1 | sed -n 's/.*first frame after \([0-9.]*\) ms.*/\1/p')")
done
python3 - "${default[*]}" "${plain[*]}" "${firsts[*]}" <<'PY'
import statistics, sys
d, p, f = ([float(x) for x in a.split()] for a in sys.argv[1:4])
md, mp = statistics.median(d), statistics.median(p)
print(f"1920x1080, 100 frames: default (4x MSAA + overlay) {md:.1f} ms, "
      f"no MSAA/overlay {mp:.1f} ms, ratio {md / mp:.2f}")
print(f"process start to first finished frame (1280x720): median {statistics.median(f):.0f} ms "
      f"(min {min(f):.0f}, max {max(f):.0f}) over {len(f)} starts")
PY
