#!/usr/bin/env python3
"""The HQ100 flood scenarios inside the baked sample town's twins (app/bake/flood_bundle.h).

Checks what a council member, a citizen and the staff rely on:
- which twin lists which scenario: the citizens' twin the public baseline only, the council
  and the administration both, each with its files where twin.json says;
- the stored frames decode to the grid of the terrain, every 300 s over the 6 h;
- what a twin may not hold is not in its files: no residents or critical sites for
  citizens, no critical sites for the council (sites.json, impacts.csv, summary.json);
- the numbers agree with each other: impacts.csv's rows against summary.json's counts, the
  maximum depth raster against the largest stored frame; the volume balance closes;
- the retention basin floods fewer buildings than the baseline (the question the scenarios
  answer), and the bake report states both runs.
"""
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flood_files import read_asc, read_frames  # noqa: E402

town = sys.argv[1]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


twins = {}
for twin in ("citizen", "council", "administration"):
    with open(f"{town}/{twin}/twin.json") as f:
        twins[twin] = json.load(f)

# The flood scenarios (the traffic scenarios listed beside them: tests/unit/town_traffic_test.cpp).
for m in twins.values():
    m["scenarios"] = [s for s in m.get("scenarios", []) if s.get("kind") == "flood"]
listed = {t: [s["id"] for s in m.get("scenarios", [])] for t, m in twins.items()}
check(listed["citizen"] == ["hq100-baseline"], f"citizen lists {listed['citizen']}")
for t in ("council", "administration"):
    check(listed[t] == ["hq100-baseline", "hq100-measures"], f"{t} lists {listed[t]}")

counts = {}
for twin, m in twins.items():
    knows_residents = twin != "citizen"
    knows_critical = twin == "administration"
    for s in m.get("scenarios", []):
        where = f"{twin}/{s['id']}"
        check(s["kind"] == "flood" and s["title_de"] and s["title_en"], f"{where}: kind and titles")
        check(s["public"] == (s["id"] == "hq100-baseline"), f"{where}: public flag")
        with open(f"{town}/{twin}/{s['uri']}") as f:
            scenario = json.load(f)
        results = f"{town}/{twin}/{s['results']}"
        terrain, _ = read_asc(f"{town}/{twin}/scenarios/hq100/{scenario['terrain']}")
        with open(f"{town}/{twin}/scenarios/hq100/{scenario['sites']}") as f:
            sites = json.load(f)
        check(all(("residents" in x) == knows_residents for x in sites), f"{where}: residents in sites.json")
        check(all(("critical" in x) == knows_critical for x in sites), f"{where}: critical in sites.json")

        head, frames, velocities = read_frames(f"{results}/frames.zwf", with_velocity=True)
        check((head["ncols"], head["nrows"]) == (terrain["ncols"], terrain["nrows"]),
              f"{where}: frames {head['ncols']} x {head['nrows']} on a terrain of "
              f"{terrain['ncols']} x {terrain['nrows']}")
        check(head["times_s"] == [300.0 * i for i in range(73)], f"{where}: frame times {head['times_s'][:3]}...")
        check(all(len(fr) == head["ncols"] * head["nrows"] for fr in frames), f"{where}: frame sizes")
        # Velocities for the flow cues: with every frame, plausible for a creek in flood.
        speeds = [max(abs(v) for v in fr) for fr in velocities]
        check(len(velocities) == len(frames) and 0.2 < max(speeds) < 10,
              f"{where}: {len(velocities)} velocity frames, fastest {max(speeds, default=0):.2f} m/s")
        _, max_depth = read_asc(f"{results}/max_depth.asc")
        largest_frame = max(max(fr) for fr in frames)
        largest_max = max(max_depth)
        # The maximum is tracked every step, the frames every 300 s: never below them.
        check(largest_max >= largest_frame - 0.001 and largest_max < largest_frame + 1.0,
              f"{where}: max depth {largest_max:.3f} m against the frames' {largest_frame:.3f} m")

        with open(f"{results}/summary.json") as f:
            summary = json.load(f)
        impacts = summary["impacts"]
        check(("residents_affected" in impacts) == knows_residents, f"{where}: residents in summary.json")
        check(("critical" in impacts) == knows_critical, f"{where}: critical sites in summary.json")
        check(abs(summary["volume_m3"]["relative_error"]) < 1e-6,
              f"{where}: volume error {summary['volume_m3']['relative_error']}")
        check("wall_s" not in summary, f"{where}: summary.json holds the machine's wall time (not reproducible)")
        with open(f"{results}/impacts.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        header = list(rows[0].keys()) if rows else []
        check(("residents" in header) == knows_residents and ("critical" in header) == knows_critical,
              f"{where}: impacts.csv columns {header}")
        over10 = sum(1 for r in rows if float(r["max_depth_m"]) > 0.10)
        over50 = sum(1 for r in rows if float(r["max_depth_m"]) > 0.50)
        check((over10, over50) == (impacts["over_10cm"], impacts["over_50cm"]),
              f"{where}: impacts.csv has {over10} > 10 cm and {over50} > 50 cm, summary.json "
              f"{impacts['over_10cm']} and {impacts['over_50cm']}")
        if knows_residents:
            residents = sum(int(r["residents"]) for r in rows if float(r["max_depth_m"]) > 0.10)
            check(residents == impacts["residents_affected"],
                  f"{where}: {residents} residents in impacts.csv, {impacts['residents_affected']} in summary.json")
        counts[(twin, s["id"])] = impacts["over_10cm"]
        print(f"{where}: {len(frames)} frames, max depth {largest_max:.2f} m, {impacts['over_10cm']} buildings "
              f"> 10 cm, {impacts['over_50cm']} > 50 cm" +
              (f", {impacts['residents_affected']} residents" if knows_residents else "") +
              (f", {len(impacts['critical'])} critical sites wet" if knows_critical else ""))

# Every twin sees the same flood: the counts do not depend on what else it may hold.
for sid in ("hq100-baseline", "hq100-measures"):
    seen = {counts[k] for k in counts if k[1] == sid}
    check(len(seen) == 1, f"{sid}: buildings > 10 cm differ between twins: {seen}")
baseline, measures = counts[("council", "hq100-baseline")], counts[("council", "hq100-measures")]
check(baseline > 0, "the baseline HQ100 floods no building")
check(measures < baseline, f"the retention basin floods {measures} buildings, the baseline {baseline}")

with open(f"{town}/bake-report.json") as f:
    report = json.load(f)
for sid in ("hq100-baseline", "hq100-measures"):
    check(report.get("flood", {}).get(sid, {}).get("steps", 0) > 0, f"bake-report.json: no run of {sid}")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("the flood scenarios in the twins: ok")
