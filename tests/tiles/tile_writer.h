// Writers for test tiles: glb around a JSON and a BIN chunk, and b3dm, pnts and i3dm
// around their tables. Draco-compressed contents are in tests/tiles/draco_writer.h. Used
// by the unit tests (tests/unit/content_*_test.cpp, draco_test.cpp, pnts_test.cpp), the
// render tests' content variants (tests/render/content_variants.cpp) and by
// tests/tiles/make_tiles.cpp, which writes the golden tilesets in tests/data/tiles.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace zw::test {

using ordered_json = nlohmann::ordered_json;

inline void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(uint8_t(v >> (8 * i)));
}

template <typename T>
void append(std::vector<uint8_t>& out, const std::vector<T>& values) {
    const size_t at = out.size();
    out.resize(at + values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(out.data() + at, values.data(), values.size() * sizeof(T));
}

inline void pad(std::vector<uint8_t>& v, size_t alignment, uint8_t fill = 0) {
    while (v.size() % alignment)
        v.push_back(fill);
}

// A glb of the JSON `text` (padded with spaces) and (when not empty) a BIN chunk.
inline std::vector<uint8_t> make_glb(std::string text, std::vector<uint8_t> bin) {
    while (text.size() % 4)
        text.push_back(' ');
    pad(bin, 4);
    std::vector<uint8_t> out;
    put_u32(out, 0x46546C67);
    put_u32(out, 2);
    put_u32(out, uint32_t(12 + 8 + text.size() + (bin.empty() ? 0 : 8 + bin.size())));
    put_u32(out, uint32_t(text.size()));
    put_u32(out, 0x4E4F534A);
    out.insert(out.end(), text.begin(), text.end());
    if (!bin.empty()) {
        put_u32(out, uint32_t(bin.size()));
        put_u32(out, 0x004E4942);
        out.insert(out.end(), bin.begin(), bin.end());
    }
    return out;
}

// A glb of `json` (keys in the order they were added) and (when not empty) a BIN chunk.
inline std::vector<uint8_t> make_glb(const ordered_json& json, std::vector<uint8_t> bin) {
    return make_glb(json.dump(), std::move(bin));
}

// A b3dm, pnts or i3dm with the four tables and a body; each table padded to 8 bytes as
// the spec asks (JSON with spaces). The header is 28 bytes; an i3dm's is 32, its last
// field gltfFormat (`i3dm_gltf_format`: 1, the body is a glb; 0, the body is its URI).
inline std::vector<uint8_t> make_legacy_tile(const char magic[4], std::string ft_json,
                                             std::vector<uint8_t> ft_bin, std::string bt_json,
                                             std::vector<uint8_t> bt_bin,
                                             const std::vector<uint8_t>& body = {},
                                             uint32_t i3dm_gltf_format = 1) {
    const bool i3dm = std::string(magic, 4) == "i3dm";
    const size_t header = i3dm ? 32 : 28;
    while ((header + ft_json.size()) % 8)
        ft_json.push_back(' ');
    pad(ft_bin, 8);
    if (!bt_json.empty())
        while (bt_json.size() % 8)
            bt_json.push_back(' ');
    pad(bt_bin, 8);
    std::vector<uint8_t> out(magic, magic + 4);
    put_u32(out, 1);
    put_u32(out,
            uint32_t(header + ft_json.size() + ft_bin.size() + bt_json.size() + bt_bin.size() + body.size()));
    put_u32(out, uint32_t(ft_json.size()));
    put_u32(out, uint32_t(ft_bin.size()));
    put_u32(out, uint32_t(bt_json.size()));
    put_u32(out, uint32_t(bt_bin.size()));
    if (i3dm) put_u32(out, i3dm_gltf_format);
    out.insert(out.end(), ft_json.begin(), ft_json.end());
    out.insert(out.end(), ft_bin.begin(), ft_bin.end());
    out.insert(out.end(), bt_json.begin(), bt_json.end());
    out.insert(out.end(), bt_bin.begin(), bt_bin.end());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

}  // namespace zw::test
