#!/usr/bin/env bash
# Large-town bake for the streaming benchmark, run by hand (never in the test suite):
#   tests/bench/large_town.sh [--build DIR] [--out DIR] [--twins LIST] [--jobs N]
# Bakes assets/bench-large.json (100,000 buildings) with the release build into
# out/bench-large (default: the citizen twin only) and reports, from that one run: wall
# time and seconds per stage, buildings, tiles per layer (every tile object in each
# tileset.json, the root included, and how many have content) and the size on disk.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
build=build/release out=out/bench-large twins=citizen jobs=
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --twins) twins=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "large_town.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
how="build it with: cmake --preset release && cmake --build --preset release --target zwilling-bake
(or pass --build DIR for another release tree)"
cache="$build/CMakeCache.txt"
bake="$build/app/bake/zwilling-bake"
if [[ ! -f $cache || ! -x $bake ]]; then
  echo "large_town.sh: no zwilling-bake in '$build'; $how" >&2
  exit 2
fi
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
sanitize=$(sed -n 's/^ZW_SANITIZE:[A-Z]*=//p' "$cache")
if [[ ${sanitize^^} == ON ]]; then type="$type sanitizer"; fi
if [[ $type != Release && $type != RelWithDebInfo && $type != MinSizeRel ]]; then
  echo "large_town.sh: '$build' is a ${type:-unknown} build;" \
    "its timings would mean nothing and the bake would take very long. $how" >&2
  exit 2
fi
args=(--recipe assets/bench-large.json --out "$out" --twins "$twins")
[[ -n $jobs ]] && args+=(--jobs "$jobs")
echo "baking assets/bench-large.json ($twins) into $out with $bake on $(nproc) cores..."
rss_file=$(mktemp)
trap 'rm -f "$rss_file"' EXIT
t0=$(date +%s.%N)
if [[ -x /usr/bin/time ]]; then  # GNU time: the peak resident memory too
  /usr/bin/time -o "$rss_file" -f %M "$bake" "${args[@]}"
else
  "$bake" "${args[@]}"
fi
t1=$(date +%s.%N)
python3 - "$out" "$t0" "$t1" "$(cat "$rss_file")" <<'PY'
import json, os, sys
out, t0, t1, rss = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
r = json.load(open(os.path.join(out, "bake-report.json")))
print(f"wall time: {t1 - t0:.1f} s; stages (s):", {k: round(v, 1) for k, v in r["seconds"].items()})
if rss.strip():
    print(f"peak memory: {int(rss) / 1024:.0f} MiB")
print(f"buildings: {r['buildings']}, trees: {r['trees']}, road edges: {r['road_edges']}")
def count(tile):
    n, content, stack = 0, 0, [tile]
    while stack:
        t = stack.pop()
        n += 1
        content += "content" in t
        stack += t.get("children", [])
    return n, content
for twin in r["twins"]:
    d = os.path.join(out, twin)
    layers = json.load(open(os.path.join(d, "twin.json")))["layers"]
    print(f"{twin}:")
    for l in layers:
        ts = json.load(open(os.path.join(d, l["tileset"])))
        n, content = count(ts["root"])
        levels = r["layers"][l["id"]]["tiles_per_level"]
        print(f"  {l['id']:10s} {n:6d} tiles ({content} with content), per level {levels}")
total = 0
for dirpath, _, files in os.walk(out):
    total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
print(f"disk: {total / 1e6:.0f} MB in {out}")
PY
