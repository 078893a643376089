// Tile content: the format is told from the bytes; b3dm is unwrapped here (header,
// feature table, batch table) and its glb handed to the glTF loader with the RTC
// translation as placement and the batch table as a property table.
#include "engine/tiles/content.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/uri.h"
#include "engine/tiles/content_formats.h"
#include "engine/tiles/legacy_tile.h"
#include "engine/tiles/pnts.h"

namespace zw::tiles {
namespace {

// The first four bytes as text when they are printable, else as hex.
std::string describe_magic(std::span<const uint8_t> bytes) {
    const size_t n = std::min<size_t>(bytes.size(), 4);
    bool printable = true;
    for (size_t i = 0; i < n; ++i)
        printable = printable && bytes[i] >= 0x20 && bytes[i] < 0x7f;
    if (printable) return "'" + std::string(reinterpret_cast<const char*>(bytes.data()), n) + "'";
    std::string hex;
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; ++i) {
        hex += hex.empty() ? "0x" : " 0x";
        hex += digits[bytes[i] >> 4];
        hex += digits[bytes[i] & 15];
    }
    return hex;
}

bool starts_with(std::span<const uint8_t> bytes, const char* magic) {
    return bytes.size() >= 4 && std::memcmp(bytes.data(), magic, 4) == 0;
}

bool looks_like_json(std::span<const uint8_t> bytes) {
    size_t i = 0;
    if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) i = 3;  // UTF-8 BOM
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r'))
        ++i;
    return i < bytes.size() && bytes[i] == '{';
}

// b3dm: a glb after the tables, placed at RTC_CENTER, with the batch table as a
// property table whose features the glb's _BATCHID attribute names.
DecodedContent decode_b3dm(std::span<const uint8_t> bytes, const std::string& uri,
                           const glm::dmat4& tile_transform, const FetchFn& fetch) {
    DecodedContent out;
    const LegacyTile tile(bytes, uri, "b3dm", 28, out.warnings, true);
    const uint32_t batch_length = tile.batch_length();
    gltf::LoadOptions options;
    options.placement = tile_transform * glm::translate(glm::dmat4(1.0), tile.rtc_center());
    options.warnings = &out.warnings;
    options.allow_empty = true;
    if (batch_length > 0) options.batch_table = tile.batch_table(batch_length, out.warnings);
    if (fetch) options.fetch = [&](const std::string& ref) { return fetch(core::resolve_uri(uri, ref)); };
    const std::span<const uint8_t> glb = tile.body();
    if (glb.empty()) tile.broken("the b3dm holds no glTF");
    if (!starts_with(glb, "glTF"))
        tile.broken("the b3dm holds no binary glTF (found " + describe_magic(glb) + ")");
    out.model = gltf::load_model_from_glb(glb, tile.shown(), options);
    out.kind = out.model.instances.empty() ? DecodedContent::Kind::empty : DecodedContent::Kind::model;
    return out;
}

DecodedContent decode_gltf(std::span<const uint8_t> bytes, const std::string& uri,
                           const glm::dmat4& tile_transform, const FetchFn& fetch) {
    DecodedContent out;
    gltf::LoadOptions options;
    options.placement = tile_transform;
    options.warnings = &out.warnings;
    options.allow_empty = true;
    if (fetch) options.fetch = [&](const std::string& ref) { return fetch(core::resolve_uri(uri, ref)); };
    out.model = gltf::load_model_from_memory(bytes, core::display_uri(uri), options);
    out.kind = out.model.instances.empty() ? DecodedContent::Kind::empty : DecodedContent::Kind::model;
    return out;
}

}  // namespace

size_t DecodedContent::cpu_bytes() const {
    size_t total = json.size() + model.vertices.size() * sizeof(gltf::Vertex) +
                   model.indices.size() * sizeof(uint32_t) + model.feature_ids.size() * sizeof(uint32_t);
    for (const auto& image : model.images)
        total += image.rgba.size();
    for (const auto& table : model.property_tables)
        for (const auto& column : table.values)
            for (const auto& value : column)
                total += sizeof(std::string) +
                         (value.size() > 15 ? value.size() : 0);  // short strings live inline
    return total;
}

DecodedContent decode_content(std::span<const uint8_t> bytes, const std::string& uri,
                              const glm::dmat4& tile_transform, const FetchFn& fetch) {
    const std::string shown = core::display_uri(uri);
    if (bytes.empty()) fail("tile '", shown, "' is empty");
    if (starts_with(bytes, "glTF")) return decode_gltf(bytes, uri, tile_transform, fetch);
    if (starts_with(bytes, "b3dm")) return decode_b3dm(bytes, uri, tile_transform, fetch);
    if (starts_with(bytes, "i3dm")) return decode_i3dm(bytes, uri, tile_transform, fetch);
    if (starts_with(bytes, "pnts")) return decode_pnts(bytes, uri, tile_transform);
    for (const char* format : {"cmpt"})
        if (starts_with(bytes, format))
            fail("tile '", shown, "': ", format,
                 " content is not supported yet (only b3dm and glTF are drawn)");
    if (looks_like_json(bytes)) {
        if (looks_like_tileset_json(bytes)) {
            DecodedContent out;
            out.kind = DecodedContent::Kind::external_tileset;
            out.json.assign(bytes.begin(), bytes.end());
            return out;
        }
        return decode_gltf(bytes, uri, tile_transform, fetch);
    }
    fail("tile '", shown, "' is not a tile (unknown magic ", describe_magic(bytes), ")");
}

}  // namespace zw::tiles
