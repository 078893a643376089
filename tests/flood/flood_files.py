"""zwilling-flood's files as the tests read them: ESRI ASCII grids and frames.zwf
(docs/flood-scenario.md)."""
import json
import struct
import zlib


def read_asc(path):
    """The header (lower-case keys) and the values as one list, northern row first."""
    header, values = {}, []
    with open(path) as f:
        for line in f:
            t = line.split()
            if not t:
                continue
            if t[0][0].isalpha():
                header[t[0].lower()] = float(t[1])
            else:
                values.extend(float(v) for v in t)
    return header, values


def read_frames(path, with_velocity=False):
    """The header of a frames.zwf and its frames as depths in metres (rows south first);
    with_velocity: also the velocities per frame (east, north per cell, m/s)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:8] != b"ZWFLOOD1":
        raise ValueError(f"{path}: not a frames file")
    (n,) = struct.unpack("<I", raw[8:12])
    head = json.loads(raw[12:12 + n])
    body = raw[12 + n:]
    frames, velocities = [], []
    for fr in head["frames"]:
        mm = zlib.decompress(body[fr["offset"]:fr["offset"] + fr["bytes"]])
        frames.append([v * head["unit_m"] for v in struct.unpack(f"<{len(mm) // 2}H", mm)])
        if with_velocity and "velocity_bytes" in fr:
            cm = zlib.decompress(body[fr["velocity_offset"]:fr["velocity_offset"] + fr["velocity_bytes"]])
            velocities.append([v * head["velocity_unit_m_s"] for v in struct.unpack(f"<{len(cm) // 2}h", cm)])
    return (head, frames, velocities) if with_velocity else (head, frames)
