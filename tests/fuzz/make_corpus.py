#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/.

Seeds are small on purpose: each covers one feature of a format (a bounding volume
kind, implicit tiling, a subtree layout, a glTF extension, b3dm tables) so that the
fuzzer starts from every parser branch. A few public samples are copied from
../shared/data/3d-tiles-samples (CC0, see corpus/README.md) where present.

Run it after changing a seed: python3 tests/fuzz/make_corpus.py
"""
import base64
import ctypes
import ctypes.util
import json
import math
import os
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
SAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data", "3d-tiles-samples"))


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, (dict, list)):
        data = json.dumps(data, separators=(",", ":")).encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def copy_sample(target, name, relpath):
    src = os.path.join(SAMPLES, relpath)
    if os.path.exists(src):
        shutil.copyfile(src, os.path.join(CORPUS, target, name))
    elif not os.path.exists(os.path.join(CORPUS, target, name)):
        print(f"make_corpus: {src} not found; seed {target}/{name} skipped")


def pad(data, n, fill=b"\0"):
    return data + fill * (-len(data) % n)


# ---- tileset.json ---------------------------------------------------------------------

BOX = [0, 0, 10, 100, 0, 0, 0, 100, 0, 0, 0, 10]
REGION = [-1.3197, 0.6988, -1.3196, 0.6989, 0, 60]
SPHERE = [0, 0, 0, 50]
ENU = [-0.5, 0.8, 0, 0, -0.5, -0.3, 0.8, 0, 0.7, 0.4, 0.6, 0, 4471000, -2788000, 3541000, 1]


def tilesets():
    write("tileset_json", "box_children.json", {
        "asset": {"version": "1.0"}, "geometricError": 500,
        "root": {
            "boundingVolume": {"box": BOX}, "geometricError": 100, "refine": "ADD", "transform": ENU,
            "content": {"uri": "root.b3dm"},
            "children": [
                {"boundingVolume": {"region": REGION}, "geometricError": 10, "content": {"uri": "a/r.glb"},
                 "viewerRequestVolume": {"sphere": [0, 0, 0, 300]}},
                {"boundingVolume": {"sphere": SPHERE}, "geometricError": 0, "refine": "REPLACE",
                 "transform": [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 10, 20, 30, 1],
                 "content": {"url": "legacy.b3dm", "boundingVolume": {"box": BOX}},
                 "children": [{"boundingVolume": {"box": BOX}, "geometricError": 0}]},
            ]}})
    write("tileset_json", "region_external.json", {
        "asset": {"version": "1.1", "tilesetVersion": "7"}, "geometricError": 2000,
        "extensionsUsed": ["3DTILES_content_gltf"], "extensionsRequired": ["3DTILES_content_gltf"],
        "root": {"boundingVolume": {"region": [3.1, -0.2, -3.1, 0.2, -10, 1000]}, "geometricError": 1000,
                 "children": [{"boundingVolume": {"region": REGION}, "geometricError": 50,
                               "content": {"uri": "../other/tileset.json?v=2#frag"}}]}})
    write("tileset_json", "sphere_contents.json", {
        "asset": {"version": "1.1"}, "geometricError": 2,
        "root": {"boundingVolume": {"sphere": SPHERE}, "geometricError": 1, "refine": "REPLACE",
                 "contents": [{"uri": "triangles.glb", "group": 0}, {"uri": "points.glb", "group": 1}]}})
    write("tileset_json", "multiple_contents_ext.json", {
        "asset": {"version": "1.0"}, "geometricError": 2,
        "extensionsUsed": ["3DTILES_multiple_contents"],
        "root": {"boundingVolume": {"box": BOX}, "geometricError": 1,
                 "extensions": {"3DTILES_multiple_contents": {"contents": [{"uri": "a.glb"}, {"uri": "b.b3dm"}]}}}})
    write("tileset_json", "implicit_quadtree.json", {
        "asset": {"version": "1.1"}, "geometricError": 1024,
        "root": {"boundingVolume": {"box": [0.5, 0.5, 0.00625, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.00625]},
                 "geometricError": 32, "refine": "ADD", "content": {"uri": "content/{level}__{x}_{y}.glb"},
                 "implicitTiling": {"subdivisionScheme": "QUADTREE", "subtreeLevels": 3, "availableLevels": 6,
                                    "subtrees": {"uri": "subtrees/{level}.{x}.{y}.subtree"}}}})
    write("tileset_json", "implicit_octree_region.json", {
        "asset": {"version": "1.1"}, "geometricError": 5000,
        "root": {"boundingVolume": {"region": REGION}, "geometricError": 500, "transform": ENU,
                 "contents": [{"uri": "b/{level}/{x}/{y}/{z}.glb"}, {"uri": "t/{level}/{x}/{y}/{z}.glb", "group": 0}],
                 "implicitTiling": {"subdivisionScheme": "OCTREE", "subtreeLevels": 2, "availableLevels": 40,
                                    "subtrees": {"uri": "s/{level}/{x}/{y}/{z}.json"}}}})
    write("tileset_json", "implicit_extension_draft.json", {
        "asset": {"version": "1.0"}, "geometricError": 100,
        "extensionsRequired": ["3DTILES_implicit_tiling", "SOMETHING_else"],
        "root": {"boundingVolume": {"box": BOX}, "geometricError": 10, "content": {"uri": "{level}/{x}/{y}.b3dm"},
                 "extensions": {"3DTILES_implicit_tiling": {"subdivisionScheme": "QUADTREE", "subtreeLevels": 4,
                                                            "maximumLevel": 5, "subtrees": {"uri": "{level}/{x}/{y}.subtree"}}}}})
    write("tileset_json", "bom_whitespace.json",
          b"\xef\xbb\xbf \r\n\t" + json.dumps({"root": {"geometricError": 0, "boundingVolume": {"sphere": [1, 2, 3, 4]}},
                                               "geometricError": 0, "asset": {"version": "2.0"}}, indent=1).encode())


# ---- subtrees ---------------------------------------------------------------------------

def subtree_header(octree=False, levels=2, contents=0, volume=0, fetch=0, level=0, extra=5, coord=0, add=False):
    """The 5 bytes fuzz_subtree.cpp reads before the subtree file."""
    b0 = int(octree) | ((levels - 1) << 1) | (contents << 3) | (volume << 5) | (0x80 if add else 0)
    return bytes([b0, fetch, level, extra, coord])


def binary_subtree(doc, binary):
    text = pad(json.dumps(doc, separators=(",", ":")).encode(), 8, b" ")
    binary = pad(binary, 8)
    return b"subt" + struct.pack("<IQQ", 1, len(text), len(binary)) + text + binary


def bits(flags):
    out = bytearray((len(flags) + 7) // 8)
    for i, f in enumerate(flags):
        if f:
            out[i // 8] |= 1 << (i % 8)
    return bytes(out)


def subtrees():
    # Quadtree, 2 levels (5 tiles, 16 child subtrees): tile and child availability as
    # bitstreams in the binary chunk, no contents.
    tiles = bits([1, 1, 0, 1, 0])
    children = bits([1, 0, 0, 1] + [0] * 12)
    doc = {"buffers": [{"byteLength": 16}],
           "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 1},
                           {"buffer": 0, "byteOffset": 8, "byteLength": 2}],
           "tileAvailability": {"bitstream": 0, "availableCount": 3},
           "childSubtreeAvailability": {"bitstream": 1, "availableCount": 2}}
    write("subtree", "quadtree_bitstreams", subtree_header(levels=2, extra=8) +
          binary_subtree(doc, pad(tiles, 8) + children))

    # Octree, 2 levels (9 tiles, 64 child subtrees), two contents, region root at level 3.
    doc = {"buffers": [{"byteLength": 24}],
           "bufferViews": [{"buffer": 0, "byteLength": 2}, {"buffer": 0, "byteOffset": 8, "byteLength": 2},
                           {"buffer": 0, "byteOffset": 16, "byteLength": 8}],
           "tileAvailability": {"bitstream": 0},
           "contentAvailability": [{"bitstream": 1}, {"constant": 0}],
           "childSubtreeAvailability": {"bitstream": 2}}
    binary = pad(bits([1, 1, 0, 0, 0, 0, 0, 1, 0]), 8) + pad(bits([1, 0, 1]), 8) + bits([1, 0] * 32)
    write("subtree", "octree_region_contents", subtree_header(octree=True, levels=2, contents=2, volume=1,
                                                              level=3, extra=4, coord=0x5a) +
          binary_subtree(doc, binary))

    # Everything constant: a full quadtree of 4 levels below a rotated box, ADD refinement.
    doc = {"tileAvailability": {"constant": 1}, "contentAvailability": [{"constant": 1}],
           "childSubtreeAvailability": {"constant": 0}}
    write("subtree", "constant_full", subtree_header(levels=4, contents=1, volume=3, extra=3, add=True) +
          binary_subtree(doc, b""))

    # JSON subtree with an external buffer (fetch mode 1: the fetch returns the file's bytes).
    doc = {"buffers": [{"uri": "avail.bin", "byteLength": 8}],
           "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 1},
                           {"buffer": 0, "byteOffset": 1, "byteLength": 1}],
           "tileAvailability": {"bitstream": 0}, "childSubtreeAvailability": {"bitstream": 1}}
    write("subtree", "json_external_buffer", subtree_header(levels=1, fetch=1, level=2, extra=2, coord=3) +
          json.dumps(doc, indent=1).encode())

    # The 1.0 extension's draft: "bufferView" and a contentAvailability object, octree
    # across the antimeridian, the external buffer fetch throws.
    doc = {"buffers": [{"byteLength": 9}, {"uri": "more.bin", "byteLength": 4}],
           "bufferViews": [{"buffer": 0, "byteLength": 9}, {"buffer": 1, "byteLength": 4}],
           "tileAvailability": {"bufferView": 0}, "contentAvailability": {"constant": 1},
           "childSubtreeAvailability": {"constant": 1}}
    write("subtree", "draft_octree_antimeridian", subtree_header(octree=True, levels=1, contents=1, volume=2,
                                                                 fetch=0, extra=1) +
          binary_subtree(doc, b"\xff" * 9))

    # The public sample's root subtree (3 levels, one content).
    src = os.path.join(SAMPLES, "1.1", "SparseImplicitQuadtree", "subtrees", "0.0.0.subtree")
    if os.path.exists(src):
        with open(src, "rb") as f:
            write("subtree", "sample_sparse_quadtree_0.0.0", subtree_header(levels=3, contents=1, extra=5, add=True) +
                  f.read())


# ---- content --------------------------------------------------------------------------

def glb(doc, binary=b""):
    text = pad(json.dumps(doc, separators=(",", ":")).encode(), 4, b" ")
    out = struct.pack("<II", len(text), 0x4E4F534A) + text
    if binary:
        binary = pad(binary, 4)
        out += struct.pack("<II", len(binary), 0x004E4942) + binary
    return b"glTF" + struct.pack("<II", 2, 12 + len(out)) + out


def b3dm(glb_bytes, ft_json, ft_bin=b"", bt_json=None, bt_bin=b""):
    ft = pad(json.dumps(ft_json).encode(), 8, b" ")
    ft_bin = pad(ft_bin, 8)
    bt = pad(json.dumps(bt_json).encode(), 8, b" ") if bt_json is not None else b""
    bt_bin = pad(bt_bin, 8)
    body = ft + ft_bin + bt + bt_bin + glb_bytes
    return b"b3dm" + struct.pack("<6I", 1, 28 + len(body), len(ft), len(ft_bin), len(bt), len(bt_bin)) + body


def png_2x2():
    raw = b"".join(b"\0" + row for row in (b"\xff\0\0\xff\0\xff\0\xff", b"\0\0\xff\xff\xff\xff\xff\x80"))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def triangle_glb(extra_attributes=None):
    positions = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)
    normals = struct.pack("<9f", 0, 0, 1, 0, 0, 1, 0, 0, 1)
    uvs = struct.pack("<6f", 0, 0, 1, 0, 0, 1)
    indices = struct.pack("<3H", 0, 1, 2) + b"\0\0"
    binary = positions + normals + uvs + indices
    doc = {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}],
           "nodes": [{"mesh": 0, "matrix": [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, 6, 7, 1], "children": [1]},
                     {"mesh": 0, "translation": [1, 0, 0], "rotation": [0, 0, 0.7071068, 0.7071068],
                      "scale": [2, 2, 2]}],
           "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "TEXCOORD_0": 2},
                                       "indices": 3, "material": 0}]}],
           "materials": [{"pbrMetallicRoughness": {"baseColorFactor": [1, 0.5, 0.25, 1]}, "doubleSided": True}],
           "buffers": [{"byteLength": len(binary)}],
           "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 36},
                           {"buffer": 0, "byteOffset": 36, "byteLength": 36},
                           {"buffer": 0, "byteOffset": 72, "byteLength": 24},
                           {"buffer": 0, "byteOffset": 96, "byteLength": 6}],
           "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                          "min": [0, 0, 0], "max": [1, 1, 0]},
                         {"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC3"},
                         {"bufferView": 2, "componentType": 5126, "count": 3, "type": "VEC2"},
                         {"bufferView": 3, "componentType": 5123, "count": 3, "type": "SCALAR"}]}
    return doc, binary


def quantized_glb():
    # KHR_mesh_quantization: SHORT normalised positions (stride 8), a triangle strip of 4
    # vertices without indices, UNSIGNED_BYTE colours; CESIUM_RTC on top.
    positions = b"".join(struct.pack("<3hxx", x, y, z) for x, y, z in
                         ((0, 0, 0), (32767, 0, 0), (0, 32767, 0), (32767, 32767, -32767)))
    colors = bytes([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 128, 255, 255, 255, 255])
    doc = {"asset": {"version": "2.0"}, "extensionsUsed": ["KHR_mesh_quantization", "CESIUM_RTC"],
           "extensionsRequired": ["KHR_mesh_quantization"],
           "extensions": {"CESIUM_RTC": {"center": [4471000.5, -2788000.25, 3541000]}},
           "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0, "scale": [100, 100, 100]}],
           "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "COLOR_0": 1}, "mode": 5}]}],
           "buffers": [{"byteLength": 48}],
           "bufferViews": [{"buffer": 0, "byteLength": 32, "byteStride": 8},
                           {"buffer": 0, "byteOffset": 32, "byteLength": 16}],
           "accessors": [{"bufferView": 0, "componentType": 5122, "normalized": True, "count": 4, "type": "VEC3",
                          "min": [0, 0, -1], "max": [1, 1, 0]},
                         {"bufferView": 1, "componentType": 5121, "normalized": True, "count": 4, "type": "VEC4"}]}
    return glb(doc, positions + colors)


def features_glb():
    # EXT_mesh_features (a feature id attribute) and EXT_structural_metadata (a property
    # table with a FLOAT32 column and a STRING column); a line loop and points too.
    positions = struct.pack("<12f", 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0)
    fids = bytes([0, 0, 1, 1])
    heights = struct.pack("<2f", 3.5, 12.25)
    names = b"ab" + b"cde"
    offsets = struct.pack("<3I", 0, 2, 5)
    indices = bytes([0, 1, 2, 0, 2, 3])
    parts = [positions, fids, heights, names, offsets, indices]
    views, binary = [], b""
    for p in parts:
        binary = pad(binary, 4)
        views.append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(p)})
        binary += p
    doc = {"asset": {"version": "2.0"}, "extensionsUsed": ["EXT_mesh_features", "EXT_structural_metadata"],
           "extensions": {"EXT_structural_metadata": {
               "schema": {"id": "s", "classes": {"building": {"properties": {
                   "height": {"type": "SCALAR", "componentType": "FLOAT32"}, "name": {"type": "STRING"}}}}},
               "propertyTables": [{"name": "buildings", "class": "building", "count": 2, "properties": {
                   "height": {"values": 2}, "name": {"values": 3, "stringOffsets": 4}}}]}},
           "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
           "meshes": [{"primitives": [
               {"attributes": {"POSITION": 0, "_FEATURE_ID_0": 1}, "indices": 2, "extensions": {"EXT_mesh_features": {
                   "featureIds": [{"featureCount": 2, "attribute": 0, "propertyTable": 0}]}}},
               {"attributes": {"POSITION": 0}, "mode": 2},
               {"attributes": {"POSITION": 0}, "mode": 0}]}],
           "buffers": [{"byteLength": len(binary)}], "bufferViews": views,
           "accessors": [{"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3",
                          "min": [0, 0, 0], "max": [1, 1, 0]},
                         {"bufferView": 1, "componentType": 5121, "count": 4, "type": "SCALAR"},
                         {"bufferView": 5, "componentType": 5121, "count": 6, "type": "SCALAR"}]}
    return glb(doc, binary)


def textured_gltf():
    doc, binary = triangle_glb()
    doc["buffers"][0]["uri"] = "data:application/octet-stream;base64," + base64.b64encode(binary).decode()
    doc["images"] = [{"uri": "data:image/png;base64," + base64.b64encode(png_2x2()).decode()}]
    doc["samplers"] = [{"magFilter": 9728, "minFilter": 9728, "wrapS": 33071, "wrapT": 33648}]
    doc["textures"] = [{"source": 0, "sampler": 0}]
    doc["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"] = {
        "index": 0, "extensions": {"KHR_texture_transform": {"offset": [0.5, 0], "scale": [2, 2]}}}
    doc["extensionsUsed"] = ["KHR_texture_transform"]
    return json.dumps(doc, indent=1).encode()


def meshopt_glb():
    """EXT_meshopt_compression, encoded with the system's libmeshoptimizer (None if absent)."""
    path = ctypes.util.find_library("meshoptimizer")
    if not path:
        return None
    lib = ctypes.CDLL(path)
    for f in ("meshopt_encodeVertexBufferBound", "meshopt_encodeIndexBufferBound",
              "meshopt_encodeVertexBuffer", "meshopt_encodeIndexBuffer"):
        getattr(lib, f).restype = ctypes.c_size_t
    lib.meshopt_encodeVertexBufferBound.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
    lib.meshopt_encodeIndexBufferBound.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
    lib.meshopt_encodeVertexBuffer.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
                                               ctypes.c_size_t, ctypes.c_size_t]
    lib.meshopt_encodeIndexBuffer.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t]

    vertices = b"".join(struct.pack("<3f", x, y, z) for x, y, z in
                        ((0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0), (0.5, 0.5, 1)))
    indices = struct.pack("<12I", 0, 1, 2, 0, 2, 3, 0, 1, 4, 1, 2, 4)
    vb = ctypes.create_string_buffer(lib.meshopt_encodeVertexBufferBound(5, 12))
    vn = lib.meshopt_encodeVertexBuffer(vb, len(vb), vertices, 5, 12)
    ib = ctypes.create_string_buffer(lib.meshopt_encodeIndexBufferBound(12, 5))
    n = lib.meshopt_encodeIndexBuffer(ib, len(ib), indices, 12)
    vdata, idata = vb.raw[:vn], ib.raw[:n]
    binary = pad(vdata, 4) + idata
    doc = {"asset": {"version": "2.0"}, "extensionsUsed": ["EXT_meshopt_compression"],
           "extensionsRequired": ["EXT_meshopt_compression"],
           "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
           "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
           "buffers": [{"byteLength": len(binary)},
                       {"byteLength": 60 + 48, "extensions": {"EXT_meshopt_compression": {"fallback": True}}}],
           "bufferViews": [
               {"buffer": 1, "byteOffset": 0, "byteLength": 60, "byteStride": 12, "extensions": {
                   "EXT_meshopt_compression": {"buffer": 0, "byteOffset": 0, "byteLength": vn, "byteStride": 12,
                                               "count": 5, "mode": "ATTRIBUTES"}}},
               {"buffer": 1, "byteOffset": 60, "byteLength": 48, "extensions": {
                   "EXT_meshopt_compression": {"buffer": 0, "byteOffset": len(pad(vdata, 4)), "byteLength": n,
                                               "byteStride": 4, "count": 12, "mode": "TRIANGLES"}}}],
           "accessors": [{"bufferView": 0, "componentType": 5126, "count": 5, "type": "VEC3",
                          "min": [0, 0, 0], "max": [1, 1, 1]},
                         {"bufferView": 1, "componentType": 5125, "count": 12, "type": "SCALAR"}]}
    return glb(doc, binary)


def contents():
    doc, binary = triangle_glb()
    write("content", "triangle.glb", glb(doc, binary))
    write("content", "quantized_strip_rtc.glb", quantized_glb())
    write("content", "features_metadata.glb", features_glb())
    write("content", "textured.gltf", textured_gltf())
    m = meshopt_glb()
    if m:
        write("content", "meshopt.glb", m)

    # b3dm: a triangle with _BATCHID, BATCH_LENGTH 2, RTC_CENTER in the feature table's
    # binary, a batch table with a JSON column and a binary column.
    doc, binary = triangle_glb()
    batch_ids = struct.pack("<3H", 0, 1, 1) + b"\0\0"
    doc["bufferViews"].append({"buffer": 0, "byteOffset": len(binary), "byteLength": 6})
    doc["accessors"].append({"bufferView": 4, "componentType": 5123, "count": 3, "type": "SCALAR"})
    doc["meshes"][0]["primitives"][0]["attributes"]["_BATCHID"] = 4
    binary += batch_ids
    doc["buffers"][0]["byteLength"] = len(binary)
    write("content", "batched.b3dm", b3dm(
        glb(doc, binary), {"BATCH_LENGTH": 2, "RTC_CENTER": {"byteOffset": 0}}, struct.pack("<3f", 10, 20, 30),
        {"name": ["a", "b"], "ids": [[1, 2], {"x": 1}], "height": {"byteOffset": 0, "componentType": "FLOAT",
                                                                "type": "SCALAR"},
         "extensions": {"3DTILES_batch_table_hierarchy": {}}},
        struct.pack("<2f", 1.5, -2)))
    doc, binary = triangle_glb()
    write("content", "plain.b3dm", b3dm(glb(doc, binary), {"BATCH_LENGTH": 0, "RTC_CENTER": [1, 2, 3]}))
    write("content", "external_tileset.json", {
        "asset": {"version": "1.0"}, "geometricError": 10,
        "root": {"boundingVolume": {"sphere": SPHERE}, "geometricError": 0}})

    copy_sample("content", "sample_sparse_quadtree_5_0_21.glb",
                "1.1/SparseImplicitQuadtree/content/content_5__0_21.glb")
    copy_sample("content", "sample_feature_id_attribute_and_property_table.gltf",
                "glTF/EXT_structural_metadata/FeatureIdAttributeAndPropertyTable/FeatureIdAttributeAndPropertyTable.gltf")
    copy_sample("content", "sample_dragon_low.b3dm", "1.0/TilesetWithDiscreteLOD/dragon_low.b3dm")


# ---- flood inputs and the recipe ----------------------------------------------------------

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def ascii_grids():
    write("ascii_grid", "corner.asc", b"ncols 3\nnrows 2\nxllcorner 630000\nyllcorner 5497000\ncellsize 2\n"
          b"NODATA_value -9999\n1.5 2 -9999\n4 5.25 6\n")
    write("ascii_grid", "centre_dxdy.asc", b"NCOLS 2\r\nNROWS 2\r\nXLLCENTER 1\r\nYLLCENTER 1\r\nDX 2\r\nDY 2\r\n"
          b"+1e3 -2.5E-1\r\n3 4\r\n")
    write("ascii_grid", "huge_values.asc", b"ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1e300 -1e61\n")
    with open(os.path.join(ROOT, "assets", "flood", "example", "terrain.asc"), "rb") as f:
        lines = f.read().split(b"\n")
    # The worked example's header with its first rows only, as a small real grid.
    header = [l for l in lines[:6]]
    header[1] = b"nrows 3"
    write("ascii_grid", "example_top.asc", b"\n".join(header + lines[6:9]) + b"\n")


def zwf(frames, ncols=3, nrows=2, velocities=False):
    header = {"ncols": ncols, "nrows": nrows, "xllcorner": 630000.0, "yllcorner": 5497000.0, "cellsize": 10.0,
              "unit_m": 0.001, "times_s": [], "frames": []}
    if velocities:
        header["velocity_unit_m_s"] = 0.01
    blobs, offset = [], 0
    for t, depths in frames:
        header["times_s"].append(t)
        blob = zlib.compress(struct.pack(f"<{ncols * nrows}H", *depths))
        entry = {"offset": offset, "bytes": len(blob)}
        blobs.append(blob)
        offset += len(blob)
        if velocities:
            v = zlib.compress(struct.pack(f"<{2 * ncols * nrows}h", *range(-ncols * nrows, ncols * nrows)))
            entry["velocity_offset"] = offset
            entry["velocity_bytes"] = len(v)
            blobs.append(v)
            offset += len(v)
        header["frames"].append(entry)
    h = json.dumps(header, separators=(",", ":")).encode()
    return b"ZWFLOOD1" + struct.pack("<I", len(h)) + h + b"".join(blobs)


def zwfs():
    write("zwf", "two_frames", zwf([(0, [0, 1, 2, 3, 4, 5]), (300, [10, 0, 65535, 3, 4, 500])]))
    write("zwf", "velocities", zwf([(0, [0] * 6), (60, [1] * 6), (120, [2] * 6)], velocities=True))
    write("zwf", "empty", zwf([]))


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(n):
    return ((n << 1) ^ (n >> 63)) & 0xFFFFFFFFFFFFFFFF


def zwt(steps, origin=(0.0, 0.0, 0.0), chunk_length=60.0):
    """trajectories.zwt as docs/traffic-bundle.md describes it, written without the engine.

    steps: [(t, [(vehicle id, class, x_cm, y_cm, z_cm, heading 0..65535, speed cm/s), ...]), ...]
    with positions already quantised and relative to `origin`.
    """
    ids, table, rows = {}, [], []
    for t, vehicles in steps:
        row = []
        for vid, cls, x, y, z, a, s in vehicles:
            if vid not in ids:
                ids[vid] = len(table)
                table.append([cls, vid, t, t])
            table[ids[vid]][3] = t
            row.append((ids[vid], x, y, z, a, s))
        rows.append((t, sorted(row)))
    # Chunks end at the first sample time at or after a multiple of the chunk length, and
    # the next one starts with it.
    chunks, cur, end = [], [], None
    for t, row in rows:
        cur.append((t, row))
        if len(cur) == 1:
            end = (math.floor(t / chunk_length) + 1) * chunk_length
        elif t >= end:
            chunks.append(cur)
            cur = [(t, row)]
            end = (math.floor(t / chunk_length) + 1) * chunk_length
    if len(cur) > 1 or (cur and not chunks):
        chunks.append(cur)

    def predict(h):
        return 0 if not h else h[-1] if len(h) == 1 else 2 * h[-1] - h[-2]

    body, index, offset, total = b"", b"", 128, 0
    for chunk in chunks:
        sec = [bytearray() for _ in range(7)]
        track = {}
        for t, row in chunk:
            sec[0] += varint(len(row))
            prev = None
            for i, x, y, z, a, s in row:
                sec[1] += varint(i if prev is None else i - prev)
                prev = i
                tr = track.setdefault(i, {"x": [], "y": [], "z": [], "a": None, "s": None})
                for k, v, n in (("x", x, 2), ("y", y, 3), ("z", z, 4)):
                    sec[n] += varint(zigzag(v - predict(tr[k])))
                    tr[k] = (tr[k] + [v])[-2:]
                turn = a if tr["a"] is None else ((a - tr["a"] + 32768) % 65536) - 32768
                sec[5] += varint(zigzag(turn))
                sec[6] += varint(zigzag(s if tr["s"] is None else s - tr["s"]))
                tr["a"], tr["s"] = a, s
        samples = sum(len(row) for _, row in chunk)
        raw = varint(len(chunk)) + varint(samples) + b"".join(varint(len(x)) for x in sec)
        raw += b"".join(struct.pack("<d", t) for t, _ in chunk) + b"".join(bytes(x) for x in sec)
        blob = zlib.compress(raw)
        index += struct.pack("<ddQIIII", chunk[0][0], chunk[-1][0], offset, len(blob), len(raw), len(chunk), samples)
        body += blob
        offset += len(blob)
        total += samples
    vt_raw = b"".join(bytes([cls, len(vid)]) + vid.encode() + struct.pack("<dd", first, last)
                      for cls, vid, first, last in table)
    vt = zlib.compress(vt_raw)
    times = [t for t, _ in rows]
    step = min((b - a for a, b in zip(times, times[1:])), default=0.0)
    vt_offset = offset
    index_offset = vt_offset + len(vt)
    size = index_offset + len(index)
    header = struct.pack("<8sII3ddddd", b"ZWTRAJS\0", 1, 128, *origin, step, chunk_length,
                         times[0] if times else 0.0, times[-1] if times else 0.0)
    header += struct.pack("<IIQQIIQIIQ", len(table), len(chunks), total, vt_offset, len(vt), len(vt_raw),
                          index_offset, len(index), 0, size)
    assert len(header) == 128
    return header + body + vt + index


def zwts():
    # Read back by the unit test TrafficTrajectories.ReadsTheDocumentedLayout: "a" drives east
    # 1 m/s at 90 degrees, "b" turns across north, "c" appears at t = 2 s; chunks [0, 2], [2, 3].
    steps = []
    for t in range(4):
        vehicles = [("a", 0, 100 * t, 5, -30, 16384, 100),
                    ("b", 3, -2000, 300 * t - 450, 0, (65500 + 40 * t) % 65536, 1500 - 10 * t)]
        if t >= 2:
            vehicles.append(("c", 4, -123456 * t, 7, 1, 32768, 0))
        steps.append((float(t), vehicles))
    write("zwt", "three_vehicles", zwt(steps, origin=(630000.0, 5497000.0, 300.0), chunk_length=2.0))
    write("zwt", "empty", zwt([]))
    write("zwt", "one_time", zwt([(21600.0, [("x", 1, 1, 2, 3, 4, 5)])]))


def sumo_xmls():
    # The first byte picks the reader (fuzz_sumo_xml.cpp): 0 FCD, 1 edgeData, 2 tripinfo, 3 network.
    write("sumo_xml", "fcd.xml", b"\0" + b"""<?xml version="1.0" encoding="UTF-8"?>
<fcd-export>
    <timestep time="21600.00">
        <vehicle id="car_1" x="120.50" y="340.25" z="301.10" angle="90.00" type="DEFAULT_VEHTYPE" speed="13.89" pos="5.10" lane="e1_0" slope="0.00"/>
        <person id="p0" x="10.00" y="10.00" angle="0.00" speed="1.20" pos="0.00" edge="e3" slope="0.00"/>
    </timestep>
    <timestep time="6:00:01">
        <vehicle id="bus_1" x="500.00" y="80.00" angle="359.00" type="bus" speed="8.33"/>
    </timestep>
</fcd-export>
""")
    write("sumo_xml", "edgedata.xml", b"\1" + b"""<meandata>
    <interval begin="21600.00" end="21900.00" id="traffic">
        <edge id="e1" sampledSeconds="812.40" traveltime="9.61" density="12.36" laneDensity="6.18" occupancy="5.92" waitingTime="31.00" timeLoss="101.17" speed="11.42" departed="2" arrived="1" entered="54" left="55"/>
        <edge id="e2" sampledSeconds="0.00"><lane id="e2_0"/></edge>
    </interval>
</meandata>
""")
    write("sumo_xml", "tripinfo.xml", b"\2" + b"""<tripinfos>
    <tripinfo id="car_1" depart="21600.00" departLane="e1_0" departDelay="0.50" arrival="22200.00" arrivalLane="e9_0" duration="600.00" routeLength="6000.00" waitingTime="30.00" timeLoss="120.00" vType="DEFAULT_VEHTYPE"><emissions CO_abs="1"/></tripinfo>
    <personinfo id="p0" depart="0"/>
    <tripinfo id="stuck" depart="0:06:00:00" arrival="-1" duration="-1" routeLength="100.00" vType="truck"/>
</tripinfos>
""")
    write("sumo_xml", "net.xml", b"\3" + b"""<net version="1.9">
    <location netOffset="-629500.00,-5496800.00" convBoundary="0.00,0.00,4000.00,4000.00"/>
    <edge id="e1"/>
</net>
""")


def scenarios():
    with open(os.path.join(ROOT, "assets", "flood", "example", "scenario.json"), "rb") as f:
        write("flood_scenario", "example.json", f.read())
    write("flood_scenario", "every_key.json", {
        "format": "zwilling-flood-scenario", "format_version": 1, "id": "hq100-measures", "public": True,
        "title_de": "HQ100 mit Maßnahmen", "title_en": "HQ100 with measures",
        "description_de": "Synthetisch.\nZweite Zeile", "description_en": "Synthetic.",
        "terrain": "terrain.asc", "initial_depth": "initial_depth.asc", "sites": "sites.json",
        "manning": "manning.asc", "boundaries": {"north": "closed", "east": "free", "south": "free", "west": "closed"},
        "duration_s": 21600, "output": {"times_s": [60, 600.5, 21600]},
        "inflows": [{"name": "Seebach", "at": [[5, 25], [5, 29]], "hydrograph": [[0, 2], [9000, 28], [21600, 4]]}],
        "rain": [[0, 10], [600, 0]],
        "measures": [
            {"kind": "mobile_wall", "name": "Wand", "line": [[20, 0], [20, 40]], "height_m": 1.2},
            {"kind": "dike_raise", "line": [[0, 35], [40, 35]], "height_m": 0.5, "width_m": 4},
            {"kind": "retention_basin", "polygon": [[30, 0], [40, 0], [40, 10], [30, 10]], "depth_m": 2}],
        "solver": {"courant": 0.45, "second_order": True}})


def traffic_inputs():
    # The first byte picks the reader (fuzz_traffic_inputs.cpp): 0 a SUMO route file, 1 a traffic scenario.
    write("traffic_inputs", "routes.xml", b"\0" + b"""<?xml version="1.0" encoding="UTF-8"?>
<routes>
    <vType id="car" vClass="passenger" length="4.5" maxSpeed="50" speedFactor="1.1"><param key="k" value="v"/></vType>
    <vType id="bus" vClass="bus"/>
    <route id="r" edges="a b  c"/>
    <trip id="t" type="car" depart="21700" from="a" to="c"/>
    <vehicle id="v" type="bus" depart="6:00:10" route="r"><stop edge="b" duration="20"/></vehicle>
    <vehicle id="w" depart="21600"><route edges="c b"/></vehicle>
    <person id="p" depart="0"><walk edges="a"/></person>
    <flow id="f" begin="21600" end="21610" period="5" from="a" to="b"/>
    <flow id="g" begin="21600" end="21610" number="4" route="r"/>
    <flow id="h" begin="21600" vehsPerHour="720" number="3" from="b" to="c"/>
</routes>
""")
    write("traffic_inputs", "scenario.json", b"\1" + json.dumps({
        "format": "zwilling-traffic-scenario", "format_version": 1, "id": "hauptstrasse", "public": True,
        "title_de": "Hauptstraße gesperrt", "title_en": "Main street closed", "description_de": "Synthetisch.",
        "network": "town.net.xml", "demand": "am.rou.xml", "begin_s": 21600, "end_s": 36000, "seed": 7,
        "sample_step_s": 2, "edge_interval_s": 600,
        "closures": [{"id": "b", "edges": ["e1", "e2"], "from_s": 25200, "to_s": 30600, "kind": "construction",
                      "reason_de": "Kanal", "reason_en": "Sewer"},
                     {"id": "f", "edges": ["e3"], "from_s": 28000, "kind": "flood"}],
        "emergency": {"target_s": 480}, "outputs": {"fcd": True}}).encode())


def recipes():
    for name in ("weisendorf.json", "bench-large.json"):
        with open(os.path.join(ROOT, "assets", name), "rb") as f:
            write("recipe", name, f.read())
    write("recipe", "imports_tiling.json", {
        "name": "Test", "seed": 7, "extent_m": 2048, "built_up_radius_m": 500, "town_radius_m": 400,
        "origin": {"lat_deg": 49.6, "lon_deg": 10.8, "height_m": 300, "geoid_undulation_m": 47.6},
        "terrain": {"hill_amplitude_m": 22, "fine_cell_m": 2, "outer_cell_m": 8},
        "creek": {"name": "Bach", "drop_m": 5, "channel_depth_m": 1.5, "channel_width_m": 4, "water_depth_m": 0.4,
                  "floodplain_half_width_m": 60, "floodplain_rise_m": 1, "meander_amplitude_m": 40},
        "villages": {"count": 2, "radius_m": 300, "gap_m": 50},
        "tiling": {"buildings": {"max_level": 6, "leaf_triangles": 2000, "leaf_features": 12, "drop_size_m": 8}},
        "imports": [{"kind": "model", "file": "hall.glb", "position": [632430, 5497690, 300], "rotation_deg": 30,
                     "scale": 2, "layer_id": "neubau", "title_de": "Halle", "title_en": "Hall", "access": "council"},
                    {"kind": "citygml", "file": "lod2.gml", "layer_id": "lod2", "access": "citizen"}]})


SUMO_NET = b"""<?xml version="1.0" encoding="UTF-8"?>
<net version="1.9" junctionCornerDetail="5" limitTurnSpeed="5.50">
    <location netOffset="-632000.00,-5497000.00" convBoundary="0.00,0.00,100.00,100.00" origBoundary="632000.00,5497000.00,632100.00,5497100.00" projParameter="+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"/>
    <type id="main" priority="3" numLanes="1" speed="13.89"/>
    <edge id=":b_0" function="internal">
        <lane id=":b_0_0" index="0" speed="3.82" length="5.11" width="3.50" shape="99.66,-1.72,302.00 101.72,-0.34,302.00 100.34,1.72,302.00"/>
    </edge>
    <edge id="e0" from="a" to="b" name="Hauptstra\xc3\x9fe &amp; Co" priority="3" type="main" shape="0.00,0.00,300.00 50.00,10.00,301.00 100.00,0.00,302.00">
        <lane id="e0_0" index="0" speed="13.89" length="93.79" width="3.50" shape="7.70,-0.24,300.15 50.00,8.22,301.00 99.66,-1.72,302.00"/>
    </edge>
    <edge id="-e0" from="b" to="a" priority="1" type="track">
        <lane id="-e0_0" index="0" allow="emergency custom1" speed="8.33" length="92.50" shape="100.00,1.75 0.00,1.75"/>
        <lane id="-e0_1" index="1" disallow="pedestrian" speed="8.33" length="92.50" width="2.75" shape="100.00,4.50 0.00,4.50"/>
    </edge>
    <tlLogic id="b" type="static" programID="0" offset="0">
        <phase duration="42" state="GgrrGgrr"/>
    </tlLogic>
    <junction id="a" type="dead_end" x="0.00" y="0.00" z="300.00" incLanes="-e0_0" intLanes="" shape="0.00,0.00 0.00,3.50"/>
    <junction id="b" type="traffic_light" x="100.00" y="0.00" incLanes="e0_0" intLanes=":b_0_0" shape="100.00,0.00 99.31,-3.43">
        <request index="0" response="0" foes="0" cont="0"/>
    </junction>
    <junction id=":b_0_0" type="internal" x="101.00" y="0.00" incLanes="e0_0" intLanes=""/>
    <connection from="e0" to="-e0" fromLane="0" toLane="0" via=":b_0_0" tl="b" linkIndex="0" dir="t" state="o"/>
    <connection from=":b_0" to="-e0" fromLane="0" toLane="0" dir="t" state="M"/>
</net>
"""


def sumo_nets():
    # The first byte chooses whether internal edges are kept (odd: kept).
    write("sumo_net", "small.net.xml", b"\x00" + SUMO_NET)
    write("sumo_net", "small_internal.net.xml", b"\x01" + SUMO_NET)
    write("sumo_net", "minimal.net.xml", b"\x00<net><junction id=\"a\" x=\"0\" y=\"0\"/></net>")


if __name__ == "__main__":
    for target in ("tileset_json", "subtree", "content"):
        os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    tilesets()
    subtrees()
    contents()
    ascii_grids()
    zwfs()
    zwts()
    sumo_xmls()
    scenarios()
    traffic_inputs()
    recipes()
    sumo_nets()
    for target in ("tileset_json", "subtree", "content", "ascii_grid", "zwf", "zwt", "sumo_xml", "flood_scenario",
                   "recipe", "sumo_net", "traffic_inputs"):
        folder = os.path.join(CORPUS, target)
        files = sorted(os.listdir(folder))
        print(f"{target}: {len(files)} seeds, {sum(os.path.getsize(os.path.join(folder, f)) for f in files)} bytes")
