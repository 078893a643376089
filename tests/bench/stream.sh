#!/usr/bin/env bash
# Tile-streaming benchmark (release build), run by hand, never by the test suite:
#   tests/bench/stream.sh [LARGE_TWIN_DIR]
# Flies the scripted path (take-off over the town, low pass down the main street, turn,
# climb; app/viewer/flight.cpp) over the sample town's citizens' twin and over a large
# synthetic town (default out/bench-large/citizen, baked by tests/bench/large_town.sh),
# headless at 1280x720 without MSAA, and prints for each: time to full detail at the
# start, median / 99th percentile / worst CPU time of selection + culling per frame,
# tiles loaded per second, peak tile memory vs the budget, frames over the upload
# budget; then the tile counts and the selection-time ratio large / small, from one run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
large=${1:-out/bench-large/citizen}
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
viewer=build/release/app/viewer/zwilling
bake=build/release/app/bake/zwilling-bake
small=out/bench-town/citizen
[ -f "$small/twin.json" ] || "$bake" --out out/bench-town >/dev/null
[ -f "$large/twin.json" ] || { echo "no large town at $large: run tests/bench/large_town.sh first"; exit 1; }

count_tiles() {  # tiles in every tileset of a twin (external tilesets included)
  python3 - "$1" <<'PY'
import json, os, sys
twin = sys.argv[1]
def count(path):
    t = json.load(open(path))
    n, stack = 0, [t["root"]]
    while stack:
        tile = stack.pop(); n += 1
        stack.extend(tile.get("children", []))
        for c in [tile.get("content")] + tile.get("contents", []):
            if c and c.get("uri", "").endswith(".json"):
                n += count(os.path.join(os.path.dirname(path), c["uri"]))
    return n
layers = json.load(open(os.path.join(twin, "twin.json")))["layers"]
print(sum(count(os.path.join(twin, l["tileset"])) for l in layers))
PY
}

run() {  # name twin
  echo "== $1: $2 ($(count_tiles "$2") tiles)"
  "$viewer" --headless --no-ui --msaa 1 --size 1280x720 --twin "$2" --flight 2>"out/bench-$1.log" | tee "out/bench-$1.txt"
  grep -E "tiles: .* loaded" "out/bench-$1.log" || true
}
mkdir -p out
run small "$small"
run large "$large"
python3 - out/bench-small.txt out/bench-large.txt "$(count_tiles "$small")" "$(count_tiles "$large")" <<'PY'
import json, sys
s, l = (json.loads([x for x in open(p) if x.startswith("{")][-1]) for p in sys.argv[1:3])
ns, nl = int(sys.argv[3]), int(sys.argv[4])
print(f"tiles: small {ns}, large {nl} ({nl / ns:.1f}x)")
print(f"selection + culling median: small {s['selection_ms_median']:.3f} ms, large {l['selection_ms_median']:.3f} ms "
      f"(ratio {l['selection_ms_median'] / max(s['selection_ms_median'], 1e-9):.2f}); "
      f"worst: small {s['selection_ms_worst']:.3f} ms, large {l['selection_ms_worst']:.3f} ms")
for name, r in (("small", s), ("large", l)):
    print(f"{name}: peak memory {r['peak_bytes'] / r['budget_bytes'] * 100:.1f} % of budget, "
          f"{r['tiles_per_s']:.1f} tiles/s, {r['frames_over_upload_budget']} frames over the upload budget, "
          f"full detail at start after {r['time_to_full_detail_ms']:.0f} ms")
PY
