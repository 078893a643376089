#!/usr/bin/env bash
# Bake benchmark (release build), run by hand:  tests/bench/bake.sh [rounds]
# Bakes the sample town `rounds` times (default 3) with all cores and once with one
# thread, and reports from that one run: wall times (median), the parallel speed-up
# (ratio), bundle sizes per twin and per layer, tiles per level and triangles at the
# finest vs the coarsest level, from out/bench-town/bake-report.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
rounds=${1:-3}
cmake --preset release >/dev/null
cmake --build --preset release --target zwilling-bake >/dev/null
bake=build/release/app/bake/zwilling-bake
out=out/bench-town
wall() {  # seconds of one bake
  local t0 t1
  t0=$(date +%s.%N)
  "$bake" --out "$out" "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" "BEGIN { printf \"%.2f\", b - a }"
}
all=() one=()
for ((i = 0; i < rounds; i++)); do
  all+=("$(wall)")
  one+=("$(wall --jobs 1)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_all=$(median "${all[@]}") m_one=$(median "${one[@]}")
echo "cores: $(nproc)"
echo "bake wall time, all cores: median ${m_all} s of ${all[*]}"
echo "bake wall time, 1 thread:  median ${m_one} s of ${one[*]}"
echo "speed-up: $(awk -v a="$m_one" -v b="$m_all" "BEGIN { printf \"%.2f\", a / b }")x"
"$bake" --out "$out" >/dev/null 2>&1
python3 - "$out/bake-report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("stages (s):", {k: round(v, 2) for k, v in r["seconds"].items()})
print("twin sizes (MB):", {t: round(v["bytes"] / 1e6, 2) for t, v in r["twins"].items()})
for twin, v in r["twins"].items():
    print(f"  {twin}:", {l: round(x["bytes"] / 1e6, 2) for l, x in v["layers"].items()})
for layer, v in r["layers"].items():
    print(f"{layer:10s} tiles per level {v['tiles_per_level']}, triangles finest {v['triangles_finest']}, "
          f"coarsest {v['triangles_coarsest']}, root error {v['root_geometric_error']:.2f} m")
PY
