#!/usr/bin/env python3
"""zwilling-bake --flood-export on the sample town, then zwilling-flood on both scenarios.

    town_export_test.py ZWILLING_BAKE ZWILLING_FLOOD WORK_DIR

A coarse raster (40 m cells) and the first 45 minutes of the HQ100, so that it stays
fast; the full run is tests/bench/flood_town.sh. Checks: the five files; the raster
covers the creek with the buildings burned in (their cells higher than the ground
around); about half of the town's 2,500 buildings lie in the valley corridor as sites,
with residents, and the critical ones (water works, pumping station, ...) are marked;
the Seebach enters across its channel; both scenarios run with the volume balance
closed (< 1e-6) and an inflow equal to the hydrograph's integral over 45 min (2 m3/s
rising to 8 at 1 h: 45 min give 0.5 * (2 + 6.5) * 2700 = 11,475 m3); the walls of the
basin of the measures lowers cells of the raster. Exit 0 passed, 1 failed.
"""
import json
import os
import shutil
import subprocess
import sys

bake, flood, work = sys.argv[1:4]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, flush=True)


shutil.rmtree(work, ignore_errors=True)
p = subprocess.run([bake, "--flood-export", work, "--flood-cell", "40"], capture_output=True, text=True)
print(p.stdout.strip())
check(p.returncode == 0, f"export: exit {p.returncode}: {p.stderr[-500:]}")
files = sorted(os.listdir(work)) if os.path.isdir(work) else []
for f in ("terrain.asc", "initial_depth.asc", "sites.json", "hq100-baseline.json", "hq100-measures.json"):
    check(f in files, f"{f} missing ({files})")
if not failures:
    sites = json.load(open(os.path.join(work, "sites.json")))
    check(500 <= len(sites) <= 2500, f"{len(sites)} sites in the valley corridor")
    check(sum(s["residents"] for s in sites) > 500, "the sites have (almost) no residents")
    critical = [s["name"] for s in sites if s["critical"]]
    print(f"{len(sites)} sites, {len(critical)} critical: {', '.join(critical[:6])}")
    check(len(critical) >= 1, "no critical site in the valley")
    base = json.load(open(os.path.join(work, "hq100-baseline.json")))
    check(len(base["inflows"][0]["at"]) >= 1, "the Seebach has no inflow cell")
    check("synthetic" in base["description_en"].lower() or "synthetisch" in base["description_de"].lower(),
          "the scenario does not say that it is synthetic")
    for s in ("baseline", "measures"):
        out = os.path.join(work, s)
        p = subprocess.run([flood, os.path.join(work, f"hq100-{s}.json"), "--out", out, "--until", "2700",
                            "--quiet"], capture_output=True, text=True)
        check(p.returncode == 0, f"{s}: exit {p.returncode}: {p.stderr[-500:]}")
        if p.returncode != 0:
            continue
        d = json.load(open(os.path.join(out, "summary.json")))
        v = d["volume_m3"]
        print(f"{s}: {d['steps']} steps, inflow {v['inflow']:.0f} m3, error {v['max_relative_error']:.1e}, "
              f"{d['impacts']['over_10cm']} buildings over 10 cm")
        check(v["max_relative_error"] < 1e-6, f"{s}: volume error {v['max_relative_error']}")
        check(abs(v["inflow"] - 11475) < 1e-6 * 11475, f"{s}: inflow {v['inflow']} m3, expected 11,475")
        check(v["storage_start"] > 0, f"{s}: the creek and ponds hold no water at the start")
        if s == "measures":
            # The retention basin: 800 m x 200 m, some 100 cells of 40 m.
            check(len(d["measures"]) == 1 and d["measures"][0]["cells_changed"] >= 60, f"measures: {d['measures']}")
print("failures:", len(failures))
sys.exit(1 if failures else 0)
