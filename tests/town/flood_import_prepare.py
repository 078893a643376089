#!/usr/bin/env python3
"""Writes two of the council twin's stored HQ100 baseline frames (3:00 h and 3:05 h) as
LISFLOOD-FP would: numbered ESRI ASCII depth rasters res-0001.wd, res-0002.wd (northern
row first), without a terrain; the viewer's --flood-import DIR,300 must then play them
like the scenario itself (town.flood_import compares with the baseline's golden).
usage: flood_import_prepare.py TWIN_FOLDER OUT_DIR"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "flood"))
from flood_files import read_frames  # noqa: E402

twin, out = sys.argv[1:3]
results = f"{twin}/scenarios/hq100/hq100-baseline"
head, frames = read_frames(f"{results}/frames.zwf")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
nx, ny = head["ncols"], head["nrows"]
for number, t in enumerate((10800, 11100), start=1):
    depth = frames[head["times_s"].index(t)]
    with open(f"{out}/res-{number:04d}.wd", "w") as f:
        f.write(f"ncols {nx}\nnrows {ny}\nxllcorner {head['xllcorner']!r}\nyllcorner {head['yllcorner']!r}\n"
                f"cellsize {head['cellsize']!r}\nNODATA_value -9999\n")
        for row in reversed(range(ny)):  # ESRI ASCII: the northern row first
            f.write(" ".join(f"{v:.3f}" for v in depth[row * nx:(row + 1) * nx]) + "\n")
print(f"wrote res-0001.wd and res-0002.wd ({nx} x {ny}) into {out}")
