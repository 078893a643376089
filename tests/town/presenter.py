#!/usr/bin/env python3
"""Presenter mode on the baked town (docs/presenter.md), headless with --press:
- the citizens' twin opens without the technical panels (statistics, tiles) and its
  inspector names no file; F10 opens the technical panels; the council twin has them;
- H hides the panels: only the twin's banner and the HUD stay, and the HUD names the
  scenario, the time and the water depth; H again brings them back;
- F1 shows the keyboard help, inside the window, naming H, F1, F10 and F11;
- --report at 3840x2160 writes a 4K PNG without panels: the title block (town, twin,
  scenario, time, audience, date, "synthetic data") and the water-depth legend only;
- P writes the report PNG of the view at --report-size into --export-dir.
Every view also keeps the layout's rules (layout.py: inside the window, nothing
overlapping, nothing cut off).

usage: presenter.py ZWILLING TOWN_DIR OUT_DIR
"""
import json
import os
import subprocess
import sys

from layout import geometry_errors



def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def run(zwilling, town, out, name, twin, *args):
    stem = os.path.join(out, name)
    size = [] if "--size" in args else ["--size", "1280x720"]
    cmd = [zwilling, "--headless", "--validation", "--lang", "en", *size,
           "--twin", os.path.join(town, twin), "--ui-layout", stem + ".json", "--ui-text", stem + ".txt",
           "--screenshot", stem + ".png", *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{name}: exit {r.returncode}\n{r.stderr[-2000:]}")
    if "validation:" in r.stderr + r.stdout:
        raise SystemExit(f"{name}: Vulkan validation messages\n{r.stderr[-2000:]}")
    with open(stem + ".json", encoding="utf-8") as f:
        layout = json.load(f)
    with open(stem + ".txt", encoding="utf-8") as f:
        text = f.read()
    return layout, text


def names(layout):
    return [p["name"] for p in layout["panels"]]


def main():
    zwilling, town, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    errors = []

    def expect(cond, message):
        if not cond:
            errors.append(message)

    flood = ["--flood", "hq100-baseline", "--flood-time", "10800"]
    # The citizens' twin: no technical panels, no file names in the inspector (a pick on
    # the town's middle from above hits a building or a road).
    pick = ["--camera", "above", "--pick", "640,360"]
    layout, text = run(zwilling, town, out, "citizen", "citizen", *pick)
    expect("Statistics" not in names(layout) and "Tiles" not in names(layout),
           f"citizen: technical panels open: {names(layout)}")
    expect("Inspector" in names(layout), f"citizen: no inspector after a pick: {names(layout)}")
    for ext in (".glb", ".b3dm", ".json", ".subtree"):
        expect(ext not in text, f"citizen: the overlay names a file ({ext}):\n{text}")
    errors += geometry_errors(layout, "citizen")
    layout, text = run(zwilling, town, out, "citizen_f10", "citizen", "--press", "f10")
    expect("Statistics" in names(layout) and "Tiles" in names(layout),
           f"citizen + F10: technical panels not open: {names(layout)}")
    layout, text = run(zwilling, town, out, "council", "council", *pick)
    expect("Statistics" in names(layout), f"council: no statistics panel: {names(layout)}")
    expect(".glb" in text or ".b3dm" in text, "council: the inspector should name the tile's file")

    # H: the banner and the HUD only; the HUD tells scenario, time and depth.
    layout, text = run(zwilling, town, out, "hud", "citizen", *flood, "--press", "h")
    expect(sorted(names(layout)) == ["##hud", "##twin"], f"H: panels besides banner and HUD: {names(layout)}")
    expect("HQ100" in text, f"H: the HUD does not name the scenario:\n{text}")
    expect("3:00 h of 6:00 h" in text, f"H: the HUD does not show the time:\n{text}")
    expect("Water depth" in text, f"H: the HUD has no water-depth legend:\n{text}")
    errors += geometry_errors(layout, "hud")
    layout, _ = run(zwilling, town, out, "hud_back", "citizen", *flood, "--press", "h,h")
    expect("Flood" in names(layout), f"H twice: the flood panel is not back: {names(layout)}")

    # F1: the keyboard help inside the window.
    layout, text = run(zwilling, town, out, "keys", "citizen", "--press", "f1")
    expect("Keys" in names(layout), f"F1: no keyboard help: {names(layout)}")
    for key in ("H\t", "F1\t", "F10\t", "F11\t"):
        expect(key.strip() in text, f"F1: the help does not name {key.strip()}:\n{text}")
    errors += geometry_errors(layout, "keys")

    # --report at 4K: a PNG of 3840x2160 with the title block and legend, nothing else.
    layout, text = run(zwilling, town, out, "report_4k", "council", *flood, "--flood-compare", "hq100-measures",
                       "--report", "--date", "2026-12-06", "--size", "3840x2160")
    expect(png_size(os.path.join(out, "report_4k.png")) == (3840, 2160),
           f"report: the PNG is {png_size(os.path.join(out, 'report_4k.png'))}, want 3840x2160")
    expect(sorted(names(layout)) == ["##legend", "##report"], f"report: panels besides title and legend: {names(layout)}")
    for want in ("Weisendorf", "Council twin", "A: HQ100 without measures", "3:00 h of 6:00 h", "COUNCIL ONLY",
                 "2026-12-06", "synthetic data", "Water depth"):
        expect(want in text, f"report: '{want}' missing from:\n{text}")
    errors += geometry_errors(layout, "report")

    # P in the viewer: the view as it is goes to a second process; the PNG lands in the
    # export folder at --report-size, named after the scenario and time, before the run ends.
    export = os.path.join(out, "export")
    if os.path.isdir(export):
        for f in os.listdir(export):
            os.remove(os.path.join(export, f))
    os.makedirs(export, exist_ok=True)
    run(zwilling, town, out, "press_p", "council", *flood, "--press", "p", "--report-size", "640x360",
        "--export-dir", export)
    made = os.path.join(export, "bericht-hq100-baseline-3h00.png")
    expect(os.path.isfile(made), f"P: no report PNG in {export}: {os.listdir(export)}")
    if os.path.isfile(made):
        expect(png_size(made) == (640, 360), f"P: the report PNG is {png_size(made)}, want 640x360")

    for e in errors:
        print(e)
    print(f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
