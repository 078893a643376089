#!/usr/bin/env python3
"""The viewer's live mode (app/viewer/flood_live.cpp) on the baked council twin, headless:
a mobile wall across the valley added to the HQ100 baseline, the solver run live for an
hour while the view draws it. Checks that
- the viewer reports the finished live run as one JSON line and writes its depth;
- that depth is what zwilling-flood computes for the same scenario with the same wall
  (within 2 mm: both start from the bundle's water, stored to 1 mm);
- the wall changes the flood (against the bundle's stored baseline at the same time);
- a screenshot was taken with validation on.
usage: live_test.py ZWILLING ZWILLING_FLOOD TOWN WORK
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flood_files import read_asc, read_frames  # noqa: E402

viewer, flood, town, work = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
folder = f"{town}/council/scenarios/hq100"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


terrain, _ = read_asc(f"{folder}/terrain.asc")
# A wall 1 m high across the valley, 2 km east of the raster's western edge.
x = terrain["xllcorner"] + 200.5 * terrain["cellsize"]
y0 = terrain["yllcorner"] + 5.5 * terrain["cellsize"]
y1 = terrain["yllcorner"] + 100.5 * terrain["cellsize"]
wall = [[x, y0], [x, y1]]
until = 3600

shot = f"{work}/live.png"
p = subprocess.run([viewer, "--twin", f"{town}/council", "--headless", "--validation", "--flood", "hq100-baseline",
                    "--flood-live-wall", f"{x},{y0};{x},{y1}", "--flood-live-until", str(until),
                    "--flood-live-depth", f"{work}/live.asc", "--screenshot", shot, "--size", "640x360", "--panels", "none"], capture_output=True, text=True, timeout=600)
print(p.stderr[-1500:])
check(p.returncode == 0, f"the viewer exited with {p.returncode}")
check("Validation" not in p.stderr and "VUID" not in p.stderr, "validation messages in the viewer's output")
lines = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
check(len(lines) == 1 and lines[0]["live"]["finished"] and lines[0]["live"]["t_s"] == until
      and lines[0]["live"]["wall_points"] == 2, f"the live line: {p.stdout!r}")
check(os.path.getsize(shot) > 10000 if os.path.exists(shot) else False, "no screenshot")

# The same scenario with the same wall through zwilling-flood.
with open(f"{folder}/hq100-baseline.json") as f:
    sc = json.load(f)
for key in ("terrain", "initial_depth", "sites"):
    sc[key] = os.path.abspath(f"{folder}/{sc[key]}")
sc["measures"] = [{"kind": "mobile_wall", "name": "live", "line": wall, "height_m": 1.0}]
sc["output"] = {"times_s": [until]}
with open(f"{work}/walled.json", "w") as f:
    json.dump(sc, f)
q = subprocess.run([flood, f"{work}/walled.json", "--out", f"{work}/walled", "--until", str(until), "--quiet"],
                   capture_output=True, text=True, timeout=600)
check(q.returncode == 0, f"zwilling-flood: {q.stderr}")
if not os.path.exists(f"{work}/live.asc"):
    sys.exit(1)
_, live = read_asc(f"{work}/live.asc")
_, cli = read_asc(f"{work}/walled/depth_{until:07d}s.asc")
worst = max(abs(a - b) for a, b in zip(live, cli)) if len(live) == len(cli) else 1e9
check(worst <= 0.002, f"live and zwilling-flood differ by {worst} m")

# The stored baseline at the same time (frames.zwf), without the wall.
head, frames = read_frames(f"{folder}/hq100-baseline/frames.zwf")
base = frames[head["times_s"].index(until)]
change = max(abs(a - b) for a, b in zip(live, base))
check(change > 0.05, f"the wall changes the depth by at most {change} m")
print(f"live run to {until} s: {lines[0]['live'] if lines else None}; differs from zwilling-flood by {worst:.4f} m, "
      f"from the baseline by up to {change:.2f} m")
if failures:
    sys.exit(1)
print("live mode: ok")
