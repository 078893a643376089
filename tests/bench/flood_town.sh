#!/usr/bin/env bash
# The sample town's HQ100 scenarios (zwilling-bake --flood-export): bakes them with the
# release build, runs the baseline and the retention basin on the CPU solver, and prints
# wall time, cell updates per second and the impacts of both (buildings over 10 cm and
# 50 cm, residents, critical sites) side by side. Run by hand; never part of the tests.
# usage: tests/bench/flood_town.sh [CELL_M (default 10)] [THREADS (default: every core)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cell=${1:-10}
threads=${2:-$(nproc)}
cmake --preset release >/dev/null
cmake --build --preset release --target zwilling-bake zwilling-flood
out="$root/out/flood-town"
"$root/build/release/app/bake/zwilling-bake" --flood-export "$out" --flood-cell "$cell"
for s in baseline measures; do
  "$root/build/release/app/flood/zwilling-flood" "$out/hq100-$s.json" --out "$out/$s" --threads "$threads"
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
rows = []
for s in ("baseline", "measures"):
    d = json.load(open(f"{out}/{s}/summary.json"))
    im = d["impacts"]
    rows.append((s, d, im))
print(f"{'':28}{'baseline':>14}{'measures':>14}")
def line(name, f):
    print(f"{name:28}" + "".join(f"{f(d, im):>14}" for _, d, im in rows))
line("cells", lambda d, im: f"{d['grid']['ncols']}x{d['grid']['nrows']}")
line("simulated (s)", lambda d, im: f"{d['simulated_s']:.0f}")
line("steps", lambda d, im: d["steps"])
line("wall (s)", lambda d, im: f"{d['wall_s']:.1f}")
line("cell updates / s (M)", lambda d, im: f"{d['cell_updates_per_s'] / 1e6:.1f}")
line("volume error", lambda d, im: f"{d['volume_m3']['max_relative_error']:.1e}")
line("buildings > 10 cm", lambda d, im: im["over_10cm"])
line("buildings > 50 cm", lambda d, im: im["over_50cm"])
line("residents affected", lambda d, im: im["residents_affected"])
line("critical sites wet", lambda d, im: len(im["critical"]))
for s, d, im in rows:
    for c in im["critical"]:
        t = "never" if c["first_wet_s"] is None else f"{c['first_wet_s'] / 60:.0f} min"
        print(f"  {s}: {c['name']}: max {c['max_depth_m']:.2f} m, 10 cm reached after {t}")
PY
