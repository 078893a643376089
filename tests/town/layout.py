#!/usr/bin/env python3
"""The overlay's docked layout on the baked town (issue 16): for each twin with the flood
panels open, and for the council twin with the traffic panels of an A | B comparison
open, at 1280x720 and 1920x1080 (and 3840x2160 for the citizens' twin, with its views
and tours panel), every open panel lies inside the window,
no two panels overlap, no panel's content is wider than the panel (nothing cut off at its
edge), the flood panels are open, and the presenter's type has 20 px capitals at 1080p
(scaled with the height). Writes each view's screenshot and layout JSON into OUT.

usage: layout.py ZWILLING TOWN_DIR OUT_DIR
"""
import json
import os
import subprocess
import sys

SIZES = [(1280, 720), (1920, 1080), (3840, 2160)]
FLOOD = ["--flood", "hq100-baseline", "--flood-time", "10800"]
# name, twin folder, arguments, the panels that must be open: the citizens' twin has the
# public flood baseline only; the council and administration twins compare it with the
# scenario with measures; the traffic view compares the morning with the construction site.
VIEWS = [
    ("citizen", "citizen", FLOOD, ["Hochwasser", "Betroffenheit", "Ansichten und Rundgänge"]),
    ("council", "council", FLOOD + ["--flood-compare", "hq100-measures"], ["Hochwasser", "Betroffenheit"]),
    ("administration", "administration",
     FLOOD + ["--department", "ordnungsamt", "--flood-compare", "hq100-measures"], ["Hochwasser", "Betroffenheit"]),
    ("traffic", "council", ["--traffic", "traffic-baseline", "--traffic-b", "traffic-hauptstrasse",
                            "--traffic-time", "5400", "--panels", "traffic,layers"],
     ["Verkehr", "Verkehr: Auswirkungen"]),
]
# 4K for the citizens' twin, the one shown in halls; the same panels at 4K in the other
# twins add little but time (each 4K view takes about 10 s on lavapipe).
def sizes(name):
    return SIZES if name == "citizen" else SIZES[:2]


SLACK = 1.5  # pixels: ImGui rounds window sizes and positions to whole pixels


def overlaps(a, b):
    return a[0] < b[0] + b[2] - SLACK and b[0] < a[0] + a[2] - SLACK and \
        a[1] < b[1] + b[3] - SLACK and b[1] < a[1] + a[3] - SLACK


def geometry_errors(layout, what):
    """Every panel of --ui-layout's JSON inside the window, none over another, none with
    content wider than itself (also used by presenter.py)."""
    errors = []
    ww, wh = layout["window"]
    panels = layout["panels"]
    for i, p in enumerate(panels):
        x, y, w, h = p["box"]
        if x < -SLACK or y < -SLACK or x + w > ww + SLACK or y + h > wh + SLACK:
            errors.append(f"{what}: '{p['name']}' at {p['box']} leaves the {ww}x{wh} window")
        if p["content_w"] > w + SLACK:
            errors.append(f"{what}: the content of '{p['name']}' is {p['content_w']:.0f} px wide, "
                          f"its panel {w:.0f} px: cut off at the edge")
        for q in panels[i + 1:]:
            if overlaps(p["box"], q["box"]):
                errors.append(f"{what}: '{p['name']}' {p['box']} overlaps '{q['name']}' {q['box']}")
    return errors


def check(layout, what, wanted):
    errors = []
    names = [p["name"] for p in layout["panels"]]
    for want in wanted:
        if want not in names:
            errors.append(f"{what}: the panel '{want}' is not open (open: {names})")
    want_cap = 20.0 * layout["window"][1] / 1080.0
    if abs(layout["cap_px"] - want_cap) > 0.6:
        errors.append(f"{what}: capitals are {layout['cap_px']} px, want {want_cap:.1f} (UI size L)")
    return errors + geometry_errors(layout, what)


def main():
    zwilling, town, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    errors = []
    for name, twin, args, wanted in VIEWS:
        for w, h in sizes(name):
            stem = os.path.join(out, f"{name}_{w}x{h}")
            cmd = [zwilling, "--headless", "--validation", "--twin", os.path.join(town, twin), *args,
                   "--size", f"{w}x{h}", "--ui-layout", stem + ".json", "--screenshot", stem + ".png"]
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode != 0 or "validation:" in run.stderr:
                errors.append(f"{name} {w}x{h}: exit {run.returncode}\n{run.stderr[-2000:]}")
                continue
            with open(stem + ".json", encoding="utf-8") as f:
                errors += check(json.load(f), f"{name} {w}x{h}", wanted)
    for e in errors:
        print(e)
    print(f"{sum(len(sizes(v[0])) for v in VIEWS)} views, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
