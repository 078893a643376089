#!/usr/bin/env bash
# Traffic benchmarks (release build), run by hand, never by the test suite:
#   tests/bench/traffic.sh [UNTIL]
# UNTIL (seconds of the day, e.g. 25200 for 7:00) cuts every SUMO run short; default: the
# scenarios' whole window. ZW_BENCH_PRESET=debug reuses a debug build instead (slower and
# not comparable with a release run's figures; the ratios within one run still are).
# From one run on the sample town (out/bench-town, baked as tests/bench/bake.sh does, its
# council twin, which holds every traffic scenario), it prints:
#   a. per traffic scenario, zwilling-traffic's wall time, vehicles, vehicle-hours and
#      simulated seconds per wall second (with --fcd: the FCD writing is in the time);
#   b. bytes per vehicle-hour of trajectories.zwt and of SUMO's FCD XML, and their ratio;
#   c. state_at after a seek (cold and warm chunk) and while playing at 1x/10x/60x at
#      60 fps, the plain reader against the prefetching stream (zw_traffic_bench seek);
#   d. CPU time per frame of the vehicle update (all vehicles, or the cells in view only)
#      with 1k/10k/50k synthetic vehicles
#      (zw_traffic_bench frame), and the headless viewer's median frame time (1280x720,
#      no MSAA, no overlay) on the twin with 0/1k/10k/50k synthetic vehicles in view.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
until_s=${1:-}
preset=${ZW_BENCH_PRESET:-release}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target zwilling-traffic zwilling-bake zw_traffic_bench zwilling >/dev/null
bin=build/$preset
traffic=$bin/app/traffic/zwilling-traffic
bench=$bin/tests/bench/zw_traffic_bench
viewer=$bin/app/viewer/zwilling
town=out/bench-town
twin=$town/council
[ -f "$twin/twin.json" ] || "$bin/app/bake/zwilling-bake" --out "$town" >/dev/null
work=out/bench-traffic
rm -rf "$work"
mkdir -p "$work"

echo "cores: $(nproc), preset: $preset"
echo "== a, b: SUMO runs (zwilling-traffic --fcd${until_s:+ --until $until_s}) and bundle sizes"
printf '%-22s %8s %9s %9s %10s %12s %12s %7s\n' scenario "wall s" vehicles "veh-h" "sim s/s" \
  "zwt B/veh-h" "FCD B/veh-h" "FCD/zwt"
largest="" largest_bytes=0
for id in $(python3 -c 'import json,sys; [print(s["id"]) for s in json.load(open(sys.argv[1]))["scenarios"] if s["kind"] == "traffic"]' "$twin/twin.json"); do
  json="$twin/$(python3 -c 'import json,sys; print([s["uri"] for s in json.load(open(sys.argv[1]))["scenarios"] if s["id"] == sys.argv[2]][0])' "$twin/twin.json" "$id")"
  out="$work/$id"
  t0=$(date +%s.%N)
  "$traffic" "$json" --out "$out" --fcd --quiet ${until_s:+--until "$until_s"} >"$work/$id.log" 2>&1 ||
    { echo "$id: zwilling-traffic failed (see $work/$id.log)"; continue; }
  t1=$(date +%s.%N)
  info=$("$bench" info "$out/trajectories.zwt")
  python3 - "$id" "$t0" "$t1" "$info" "$out" <<'PY'
import json, os, sys
id, t0, t1, info, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5]
run = json.load(open(os.path.join(out, "summary.json")))["run"]
wall, vh = t1 - t0, max(info["vehicle_hours"], 1e-9)
sim = (run.get("end_s", info["end_s"]) - run.get("begin_s", info["begin_s"]))
zwt, fcd = info["bytes"] / vh, os.path.getsize(os.path.join(out, "fcd.xml")) / vh
print(f"{id:22s} {wall:8.1f} {run.get('inserted', info['vehicles']):9d} {vh:9.1f} {sim / wall:10.1f} "
      f"{zwt:12.0f} {fcd:12.0f} {fcd / zwt:6.1f}x")
PY
  bytes=$(stat -c %s "$out/trajectories.zwt")
  if ((bytes > largest_bytes)); then largest="$out/trajectories.zwt" largest_bytes=$bytes; fi
  rm -f "$out/fcd.xml"
done

echo
echo "== c: seeking and playing, plain reader vs prefetching stream"
[ -n "$largest" ] && "$bench" seek "$largest" 200

echo
echo "== d: synthetic vehicles, CPU time per frame of the vehicle update (all / cells in view)"
"$bench" frame 1000 10000 50000

echo
echo "== d: headless viewer, median frame time over 100 frames (1280x720, no MSAA, no overlay)"
# Copies of the twin (its folders linked) whose only traffic scenario is N synthetic vehicles
# on a street grid around the twin's origin, shown paused 2 minutes in. The counts alternate
# over three rounds so machine noise hits them alike; the median of the rounds is reported.
like=$largest
[ -n "$like" ] || like=$(ls "$twin"/scenarios/traffic/*/trajectories.zwt | head -1)
counts=(0 1000 10000 50000)
for n in "${counts[@]}"; do
  copy=$work/twin-$n
  mkdir -p "$copy/scenarios/traffic/bench/results"
  for entry in "$twin"/*; do
    [ "$(basename "$entry")" = twin.json ] || [ "$(basename "$entry")" = scenarios ] || ln -s "$(realpath "$entry")" "$copy/"
  done
  for entry in "$twin"/scenarios/*; do
    [ "$(basename "$entry")" = traffic ] || ln -s "$(realpath "$entry")" "$copy/scenarios/"
  done
  "$bench" synth "$n" "$copy/scenarios/traffic/bench/results/trajectories.zwt" --like "$like" --minutes 3
  python3 - "$twin/twin.json" "$copy" <<'PY'
import json, sys
twin, copy = json.load(open(sys.argv[1])), sys.argv[2]
twin["scenarios"] = [s for s in twin["scenarios"] if s["kind"] != "traffic"] + [{
    "id": "bench", "kind": "traffic", "title_de": "Benchmark", "title_en": "Benchmark", "public": True,
    "uri": "scenarios/traffic/bench/scenario.json", "results": "scenarios/traffic/bench/results"}]
json.dump(twin, open(f"{copy}/twin.json", "w"), indent=1)
json.dump({"title_en": "Benchmark"}, open(f"{copy}/scenarios/traffic/bench/scenario.json", "w"))
PY
done
declare -A rounds
for round in 1 2 3; do
  for n in "${counts[@]}"; do
    "$viewer" --headless --no-ui --msaa 1 --size 1280x720 --frames 100 --twin "$work/twin-$n" --traffic bench \
      --traffic-time 120 >"$work/viewer-$n-$round.log" 2>&1 || true
    rounds[$n]+="$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' "$work/viewer-$n-$round.log" | tail -1) "
  done
done
for n in "${counts[@]}"; do
  python3 - "$n" "${rounds[$n]}" "${rounds[0]}" <<'PY'
import statistics, sys
n, v, base = int(sys.argv[1]), [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
m, b = statistics.median(v), statistics.median(base)
print(f"{n:6d} vehicles: median {m:7.1f} ms/frame (rounds {', '.join(f'{x:.1f}' for x in v)}), "
      f"{m / b:.2f}x the frame without vehicles")
PY
done
