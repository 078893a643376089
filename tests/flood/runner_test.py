#!/usr/bin/env python3
"""zwilling-flood on the worked example of docs/flood-scenario.md (assets/flood/example).

    runner_test.py ZWILLING_FLOOD EXAMPLE_DIR WORK_DIR

- Runs the example for 1800 s with its mobile wall and once without any measure (a copy
  of the scenario with "measures" removed), both on 2 threads.
- Each run: exit 0; one depth raster per output time plus max_depth, arrival_time and
  summary.json; the rasters have the terrain's shape; the volume balance closes
  (relative error < 1e-6); the inflow equals the hydrograph's integral over the run
  (exact for a piecewise-linear series: 0..900 s rising to 20 m3/s, then falling 1 m3/s
  per 100 s, so 9,000 + 0.5 * (20 + 11) * 900 = 22,950 m3); the rain equals its integral
  over the 80,000 m2 valley (10 mm/h falling to 0 at 1800 s: 2.5 mm, 200 m3).
- --until 120 (before the first 600 s output) simulates 120 s and writes a raster at
  120 s; outputs at 0.3, 0.6 and 1.2 s get three different names.
- The wall helps: behind it (the northern floodplain, x <= 296 m, y > 116 m) the
  summed maximum depth is at least 50 % lower than without it, and at least 100 cells
  there are flooded (> 5 cm) without the wall (else the comparison would prove nothing).
Exit 0 passed, 1 failed.
"""
import json
import os
import shutil
import subprocess
import sys
import zlib

flood, example, work = sys.argv[1:4]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, flush=True)


def read_asc(path):
    with open(path) as f:
        tokens = f.read().split()
    header = {}
    i = 0
    while not tokens[i].lstrip("-").replace(".", "", 1).isdigit():
        header[tokens[i].lower()] = float(tokens[i + 1])
        i += 2
    nx, ny = int(header["ncols"]), int(header["nrows"])
    values = [float(v) for v in tokens[i:]]
    check(len(values) == nx * ny, f"{path}: {len(values)} values for {nx} x {ny}")
    # rows south first, like the program
    rows = [values[r * nx:(r + 1) * nx] for r in range(ny)][::-1]
    return header, rows


def run(name, scenario):
    out = os.path.join(work, name)
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run([flood, scenario, "--out", out, "--until", "1800", "--threads", "2"],
                       capture_output=True, text=True)
    print(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "(no output)")
    check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr[-400:]}")
    if p.returncode != 0:
        return None
    summary = json.load(open(os.path.join(out, "summary.json")))
    files = sorted(os.listdir(out))
    for t in (600, 1200, 1800):
        check(f"depth_{t:07d}s.asc" in files, f"{name}: depth raster at {t} s missing ({files})")
    for f in ("max_depth.asc", "arrival_time.asc", "frames.zwf"):
        check(f in files, f"{name}: {f} missing")
    # frames.zwf: the depth rasters again, 1 mm steps, zlib per frame.
    raw = open(os.path.join(out, "frames.zwf"), "rb").read()
    check(raw[:8] == b"ZWFLOOD1", f"{name}: frames.zwf magic {raw[:8]}")
    hlen = int.from_bytes(raw[8:12], "little")
    header = json.loads(raw[12:12 + hlen])
    check(header["times_s"] == [0, 600, 1200, 1800], f"{name}: frames at {header['times_s']} (the start, then the outputs)")
    last = header["frames"][-1]
    q = zlib.decompress(raw[12 + hlen + last["offset"]:12 + hlen + last["offset"] + last["bytes"]])
    mm = [int.from_bytes(q[i:i + 2], "little") for i in range(0, len(q), 2)]
    _, rows = read_asc(os.path.join(out, "depth_0001800s.asc"))
    flat = [h for row in rows for h in row]
    worst = max(abs(m / 1000 - max(h, 0)) for m, h in zip(mm, flat))
    check(len(mm) == len(flat) and worst <= 0.0011, f"{name}: frames.zwf differs from the raster by {worst} m")
    v = summary["volume_m3"]
    check(v["max_relative_error"] < 1e-6, f"{name}: volume error {v['max_relative_error']}")
    check(abs(v["inflow"] - 22950) < 1e-6 * 22950, f"{name}: inflow {v['inflow']} m3, expected 22,950")
    check(abs(v["rain"] - 200) < 1e-6 * 200, f"{name}: rain {v['rain']} m3, expected 200")
    check(summary["simulated_s"] == 1800, f"{name}: simulated {summary['simulated_s']} s")
    header, rows = read_asc(os.path.join(out, "max_depth.asc"))
    check((int(header["ncols"]), int(header["nrows"])) == (100, 50), f"{name}: raster shape {header}")
    return summary, rows


def behind_wall(rows):
    total, wet = 0.0, 0
    for r, row in enumerate(rows):
        y = (r + 0.5) * 4
        for c, h in enumerate(row):
            x = (c + 0.5) * 4
            if x <= 296 and y > 116 and h > 0:
                total += h
                wet += h > 0.05
    return total, wet


os.makedirs(work, exist_ok=True)
scenario = os.path.join(example, "scenario.json")
no_wall = os.path.join(work, "no_wall.json")
s = json.load(open(scenario))
s["measures"] = []
s["terrain"] = os.path.join(os.path.abspath(example), s["terrain"])
s["sites"] = os.path.join(os.path.abspath(example), s["sites"])
json.dump(s, open(no_wall, "w"))

with_wall = run("with_wall", scenario)
without = run("no_wall", no_wall)
if with_wall and without:
    check(with_wall[0]["measures"][0]["cells_changed"] >= 50, f"wall cells: {with_wall[0]['measures']}")
    a, wet_a = behind_wall(with_wall[1])
    b, wet_b = behind_wall(without[1])
    print(f"summed max depth behind the wall: {a:.2f} m with it, {b:.2f} m without ({wet_a} / {wet_b} wet cells)")
    check(wet_b >= 100, f"without the wall only {wet_b} cells behind it are flooded: the comparison proves little")
    check(a <= 0.5 * b, f"the wall does not help: {a:.2f} m behind it with the wall, {b:.2f} m without")
    ia, ib = with_wall[0]["impacts"], without[0]["impacts"]
    print(f"houses over 10 cm: {ia['over_10cm']} with the wall, {ib['over_10cm']} without; "
          f"residents {ia['residents_affected']} / {ib['residents_affected']}")
    check(ib["over_10cm"] >= 5, f"without the wall only {ib['over_10cm']} sites are flooded: the example is too dry")
    check(ia["over_10cm"] < ib["over_10cm"], f"the wall saves no house: {ia['over_10cm']} vs {ib['over_10cm']}")
    check(ia["residents_affected"] < ib["residents_affected"], "the wall saves no resident")
    csv = open(os.path.join(work, "no_wall", "impacts.csv")).read().splitlines()
    check(csv[0] == "id,name,kind,residents,critical,max_depth_m,first_wet_s", f"impacts.csv header: {csv[0]}")
    check(len(csv) - 1 >= ib["over_10cm"], f"impacts.csv has {len(csv) - 1} rows for {ib['over_10cm']} flooded sites")
    over_time = [o.get("sites_over_10cm") for o in without[0]["outputs"]]
    check(all(isinstance(v, int) for v in over_time), f"sites over 10 cm per output time: {over_time}")



def short_runs():
    """--until stops there, also before the first output time, and writes the end as an
    output; output times that are not whole seconds get names of their own."""
    out = os.path.join(work, "until")
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run([flood, scenario, "--out", out, "--until", "120", "--threads", "2", "--quiet"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"--until 120: exit {p.returncode}: {p.stderr[-400:]}")
    if p.returncode == 0:
        summary = json.load(open(os.path.join(out, "summary.json")))
        print(f"--until 120: simulated {summary['simulated_s']} s, outputs {[o['t_s'] for o in summary['outputs']]}")
        check(summary["simulated_s"] == 120, f"--until 120 simulated {summary['simulated_s']} s")
        check([o["t_s"] for o in summary["outputs"]] == [120], f"--until 120 outputs {summary['outputs']}")
        check(os.path.exists(os.path.join(out, "depth_0000120s.asc")), f"--until 120: {sorted(os.listdir(out))}")
        # The hydrograph rises from 0 to 20 m3/s over 900 s: 120^2 / 90 = 160 m3 by 120 s.
        check(abs(summary["volume_m3"]["inflow"] - 160) < 1e-6 * 160,
              f"--until 120: inflow {summary['volume_m3']['inflow']} m3, expected 160")
    fine = os.path.join(work, "fine_times.json")
    s2 = json.load(open(scenario))
    s2["terrain"] = os.path.join(os.path.abspath(example), s2["terrain"])
    s2["sites"] = os.path.join(os.path.abspath(example), s2["sites"])
    s2["duration_s"] = 1.2
    s2["output"] = {"times_s": [0.3, 0.6, 1.2]}
    json.dump(s2, open(fine, "w"))
    out = os.path.join(work, "fine_times")
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run([flood, fine, "--out", out, "--quiet"], capture_output=True, text=True)
    check(p.returncode == 0, f"times 0.3, 0.6, 1.2 s: exit {p.returncode}: {p.stderr[-400:]}")
    if p.returncode == 0:
        summary = json.load(open(os.path.join(out, "summary.json")))
        names = [o.get("file") for o in summary["outputs"]]
        print(f"outputs at 0.3, 0.6, 1.2 s: {names}")
        check(names == ["depth_0000000.3s.asc", "depth_0000000.6s.asc", "depth_0000001.2s.asc"],
              f"output names {names}")
        written = sorted(f for f in os.listdir(out) if f.startswith("depth_"))
        check(written == sorted(n for n in names if n), f"depth rasters written: {written}")
        check(summary["simulated_s"] == 1.2, f"simulated {summary['simulated_s']} s of 1.2")


short_runs()
print("failures:", len(failures))
sys.exit(1 if failures else 0)
