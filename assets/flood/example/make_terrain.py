#!/usr/bin/env python3
"""Writes terrain.asc of the worked example in docs/flood-scenario.md: a synthetic
valley 400 m x 200 m (4 m cells) falling 1:500 to the east, a creek channel 1 m deep
and 8 m wide along y = 100 m, a steep southern bank (1:50) and a flat northern
floodplain (1:200) where the houses stand."""
cell, nx, ny = 4.0, 100, 50
rows = []
for r in range(ny - 1, -1, -1):  # the northern row first
    y = (r + 0.5) * cell
    row = []
    for c in range(nx):
        x = (c + 0.5) * cell
        z = 300.0 - x / 500.0 + (y - 100.0) / 200.0 if y > 100.0 else 300.0 - x / 500.0 + (100.0 - y) / 50.0
        if abs(y - 100.0) < 4.0:
            z -= 1.0
        row.append(f"{z:.3f}")
    rows.append(" ".join(row))
with open("terrain.asc", "w") as f:
    f.write(f"ncols {nx}\nnrows {ny}\nxllcorner 0\nyllcorner 0\ncellsize {cell}\nNODATA_value -9999\n")
    f.write("\n".join(rows) + "\n")
