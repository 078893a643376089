#!/usr/bin/env python3
"""Views and tours on the baked town (docs/tours.md), headless:
- --tour rundgang plays the citizens' twin's tour to its end: every view is reached in
  the order of the twin's tour file, the camera exactly at the view's eye, the HQ100
  loaded and the timeline at the view's time before the view's dwell begins;
- V saves the view as it is (camera, layers shown) into ansichten.json in --export-dir,
  one more view per press; --tour FILE plays that file back to the saved camera;
- --video renders the tour headless into an MP4 (H.264), one frame per 1/fps seconds of
  the tour, and --press h leaves the HUD and the captions only; M makes the twin's tour's
  video by a second process into --export-dir;
- --address (the address search) finds a house as typed ("hauptstr. 12") and starts
  there; an unknown one exits 2;
- the sun panel shows --sun's date and time and where the sun stands;
- a broken tour file and an unknown tour are refused with exit 2 and a message that
  names the field (or the tours there are).

usage: tour.py ZWILLING TOWN_DIR OUT_DIR
"""
import json
import os
import subprocess
import sys


def run(zwilling, town, *args, expect_rc=0):
    cmd = [zwilling, "--headless", "--validation", "--size", "640x360", "--fixed-dt", "0.5",
           "--twin", os.path.join(town, "citizen"), *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != expect_rc:
        raise SystemExit(f"{' '.join(args)}: exit {r.returncode}, expected {expect_rc}\n{r.stderr[-2000:]}")
    if "validation:" in r.stderr + r.stdout:
        raise SystemExit(f"{' '.join(args)}: Vulkan validation messages\n{r.stderr[-2000:]}")
    global _last_stdout
    _last_stdout = r.stdout.splitlines()
    reached = [json.loads(l) for l in _last_stdout if l.startswith('{"tour_view"')]
    return reached, r.stderr


_last_stdout = []


def main():
    zwilling, town, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    errors = []

    def expect(cond, message):
        if not cond:
            errors.append(message)

    def close(a, b, tol=0.05):
        return all(abs(x - y) <= tol for x, y in zip(a, b))

    # The town's tour, as the twin holds it.
    with open(os.path.join(town, "citizen", "twin.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    refs = manifest["views"]["tours"]
    expect([t["id"] for t in refs] == ["rundgang"], f"the citizens' twin's tours: {refs}")
    with open(os.path.join(town, "citizen", refs[0]["uri"]), encoding="utf-8") as f:
        views = json.load(f)["views"]
    shot = os.path.join(out, "rundgang-end.png")
    reached, _ = run(zwilling, town, "--tour", "rundgang", "--screenshot", shot)
    expect([r["tour_view"] for r in reached] == [v["id"] for v in views],
           f"views reached {[r['tour_view'] for r in reached]}, the tour has {[v['id'] for v in views]}")
    for r, v in zip(reached, views):
        expect(close(r["eye"], v["eye"]), f"view {v['id']}: camera at {r['eye']}, the view's eye is {v['eye']}")
        if "time_s" in v:
            expect(abs(r["timeline_s"] - v["time_s"]) < 1,
                   f"view {v['id']}: the timeline at {r['timeline_s']} s, the view asks {v['time_s']} s")
    expect(any(v.get("flood") for v in views), "the town's tour shows no flood")
    expect(os.path.getsize(shot) > 10000, "no screenshot of the tour's last view")

    # V saves the view; each press one more.
    saved = os.path.join(out, "save")
    os.makedirs(saved, exist_ok=True)
    mine = os.path.join(saved, "ansichten.json")
    if os.path.exists(mine):
        os.remove(mine)
    camera = [120.0, -310.0, 85.0, 10.0, 20.0, 3.0]
    run(zwilling, town, "--camera", ",".join(map(str, camera)), "--hide-layers", "trees", "--press", "v",
        "--export-dir", saved)
    run(zwilling, town, "--camera", ",".join(map(str, camera)), "--press", "v", "--export-dir", saved)
    with open(mine, encoding="utf-8") as f:
        saved_tour = json.load(f)
    got = saved_tour["views"]
    expect(len(got) == 2, f"two presses of V saved {len(got)} views")
    if len(got) == 2:
        expect(close(got[0]["eye"] + got[0]["target"], camera, 0.01),
               f"saved camera {got[0]['eye']} {got[0]['target']}, shown {camera}")
        expect("trees" not in got[0]["layers"] and "buildings" in got[0]["layers"],
               f"saved layers {got[0]['layers']} (trees were hidden)")
        expect("trees" in got[1]["layers"], f"second view's layers {got[1]['layers']}")
        expect(got[1]["title_de"] == "Ansicht 2", f"second view's title {got[1].get('title_de')}")
    # ... and --tour plays the file back.
    reached, _ = run(zwilling, town, "--tour", mine)
    expect(len(reached) == 2 and close(reached[-1]["eye"], camera[:3]),
           f"playing the saved views reached {reached}")

    # The tour as a video: at 3 frames a second it lasts at least the views' dwell times.
    video = os.path.join(out, "rundgang.mp4")
    reached, _ = run(zwilling, town, "--tour", "rundgang", "--video", video, "--fps", "3", "--press", "h")
    lines = [l for l in _last_stdout if l.startswith('{"video"')]
    expect(len(reached) == len(views), f"the video's run reached {len(reached)} views")
    expect(len(lines) == 1, f"no video summary line: {_last_stdout[-3:]}")
    if lines:
        summary = json.loads(lines[0])
        dwell = sum(v.get("dwell_s", 6) for v in views)
        expect(summary["fps"] == 3 and summary["frames"] >= dwell * 3,
               f"video of {summary['frames']} frames at {summary['fps']} fps; the dwells alone are {dwell} s")
        expect(abs(summary["seconds"] - summary["frames"] / 3) < 0.001, f"video summary {summary}")
    with open(video, "rb") as f:
        head = f.read(12)
    expect(head[4:8] == b"ftyp", f"{video} is no MP4 (starts {head!r})")
    expect(not os.path.exists(video + ".part"), "the video's .part file was left behind")
    # M in the viewer: the twin's tour as a video by a second process, into --export-dir.
    made = os.path.join(out, "m")
    os.makedirs(made, exist_ok=True)
    for f in os.listdir(made):
        os.remove(os.path.join(made, f))
    run(zwilling, town, "--press", "m", "--export-dir", made, "--video-size", "320x180", "--fps", "1")
    expect(os.listdir(made) == ["rundgang.mp4"], f"M wrote {os.listdir(made)}")

    # The address search: a house of the twin's list, typed as people do, is found there.
    with open(os.path.join(town, "citizen", manifest["views"]["addresses"]), encoding="utf-8") as f:
        addresses = json.load(f)["addresses"]
    expect(len(addresses) > 1000, f"the citizens' twin lists {len(addresses)} addresses")
    street, number, x, y, z = addresses[len(addresses) // 2]
    typed = street.lower().replace("straße", "str.") + " " + number
    run(zwilling, town, "--address", typed, "--screenshot", os.path.join(out, "address.png"))
    lines = [json.loads(l) for l in _last_stdout if l.startswith('{"address"')]
    expect(len(lines) == 1 and lines[0]["address"] == f"{street} {number}" and
           close(lines[0]["position"], [x, y, z], 0.11),
           f"'{typed}' found {lines}, the list has {street} {number} at {[x, y, z]}")
    _, err = run(zwilling, town, "--address", "Nirgendwostraße 999", expect_rc=2)
    expect("no address 'Nirgendwostraße 999'" in err, f"unknown address: {err[-300:]}")

    # The sun panel: --sun opens it at that date and time, with where the sun stands.
    text_file = os.path.join(out, "sun.txt")
    run(zwilling, town, "--sun", "2026-06-21T17:00", "--panels", "sun", "--ui-text", text_file, "--lang", "de")
    with open(text_file, encoding="utf-8") as f:
        text = f.read()
    expect("21.06.2026" in text and "17:00" in text and "Richtung 2" in text,
           f"the sun panel at 21 June 17:00 (the sun in the west, azimuth 2xx):\n{text[-600:]}")

    # Broken tours: exit 2 with the field named.
    broken = os.path.join(out, "broken.json")
    with open(broken, "w", encoding="utf-8") as f:
        json.dump({"format": "zwilling-tour", "format_version": 1,
                   "views": [{"eye": [0, 0, 10], "target": [0, 0]}]}, f)
    _, err = run(zwilling, town, "--tour", broken, expect_rc=2)
    expect("views[0].target must be three numbers" in err, f"broken tour: {err[-400:]}")
    _, err = run(zwilling, town, "--tour", "no-such-tour", expect_rc=2)
    expect("no-such-tour" in err and "rundgang" in err, f"unknown tour: {err[-400:]}")

    for e in errors:
        print("FAIL:", e)
    if errors:
        sys.exit(1)
    print(f"tour: {len(views)} views reached in order; V saved 2 views and --tour played them; "
          "broken and unknown tours refused")


if __name__ == "__main__":
    main()
