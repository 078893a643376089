// The parts the legacy 3D Tiles formats share (b3dm, i3dm, pnts): a header of
// little-endian uint32s with the four table lengths, the feature table (JSON with
// global values and references into its binary body), the batch table (one property
// table of per-feature attributes) and the body after the tables. Bounds-checked: every
// read of a hostile file ends in zw::Error naming the tile, never out of range.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>
#include <nlohmann/json.hpp>

#include "engine/gltf/model.h"

namespace zw::tiles {

class LegacyTile {
  public:
    // Objects keep the file's order, so that batch table columns appear as written.
    using json = nlohmann::ordered_json;

    // Reads the header of a `magic` tile of `header_bytes` (28 for b3dm and pnts, 32 for
    // i3dm), version 1, its byteLength and the table lengths at bytes 12..27. With
    // `legacy_b3dm`, the two pre-1.0 b3dm headers are recognised (with a warning).
    LegacyTile(std::span<const uint8_t> bytes, std::string uri, const char* magic, size_t header_bytes,
               std::vector<std::string>& warnings, bool legacy_b3dm = false);

    std::string shown() const;  // the URI for messages
    const json& feature_table() const { return feature_table_; }
    std::span<const uint8_t> feature_binary() const { return ft_binary_; }
    std::span<const uint8_t> body() const { return body_; }  // after the four tables
    std::span<const uint8_t> header() const { return bytes_.first(header_bytes_); }

    // BATCH_LENGTH (global value or binary), else the pre-1.0 header's, else 0.
    uint32_t batch_length() const;
    // A feature table count (INSTANCES_LENGTH, POINTS_LENGTH): required, at most `max`.
    uint32_t required_count(const char* name, uint32_t max) const;
    // RTC_CENTER (three numbers or a float VEC3 in the binary), else zero.
    glm::dvec3 rtc_center() const;
    // A global feature table value of `n` numbers (e.g. QUANTIZED_VOLUME_OFFSET), or nullopt
    // when absent; zw::Error when present but not n finite numbers.
    std::optional<std::vector<double>> global_numbers(const char* name, size_t n) const;

    // A per-feature property of the feature table in its binary body: `count` elements
    // of `components` values each of `component_type` ("FLOAT", "UNSIGNED_SHORT", ...;
    // a property's own componentType, where the spec allows one, wins over
    // `default_type` when it is in `allowed_types`). Empty span when absent; zw::Error
    // when it reads past the binary or is misaligned for its type.
    struct BinaryProperty {
        std::span<const uint8_t> bytes;
        std::string component_type;
        size_t component_size = 0;
    };
    BinaryProperty binary_property(const char* name, uint32_t count, size_t components,
                                   const char* default_type,
                                   std::initializer_list<const char*> allowed_types = {}) const;

    // The batch table as one property table of `count` features; columns that cannot be
    // read are skipped with a warning.
    gltf::PropertyTable batch_table(uint32_t count, std::vector<std::string>& warnings) const;

    [[noreturn]] void broken(const std::string& why) const;

  private:
    json parse_json(std::span<const uint8_t> text, const char* what) const;

    std::span<const uint8_t> bytes_;
    std::string uri_;
    size_t header_bytes_ = 0;
    uint32_t legacy_batch_length_ = 0;
    json feature_table_;
    std::span<const uint8_t> ft_binary_, bt_json_, bt_binary_, body_;
};

}  // namespace zw::tiles
