// Reading what the checks need from a bundle's files: whole files, the GLB container,
// buffer views and EXT_structural_metadata property tables. Internal to zw_bake_check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace zw::bake::check {

// The whole file, or nullopt with `error` set.
std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error);

// `path` relative to `base`, '/'-separated; the path itself where it is not below `base`.
std::string relative_name(const std::filesystem::path& path, const std::filesystem::path& base);

struct Glb {
    nlohmann::json json;
    std::string_view json_text;  // the JSON chunk, inside the bytes given to parse_glb
    std::string_view bin;        // the BIN chunk; empty where there is none
};

// Parses the GLB container: magic, version 2, lengths, JSON chunk first, an optional BIN
// chunk second. Appends a sentence per problem; returns false where the JSON could not
// be read (a Glb without json). `out` points into `bytes`.
bool parse_glb(std::string_view bytes, Glb& out, std::vector<std::string>& problems);

// The bytes of a buffer view of buffer 0 (the BIN chunk); nullopt with `problem` set
// where the view or buffer does not exist or does not fit.
std::optional<std::string_view> buffer_view_bytes(const Glb& glb, const nlohmann::json& view_index,
                                                  std::string& problem);

struct MetadataColumn {
    size_t table = 0;
    std::string table_class;           // the property table's class
    std::string name;                  // the property
    std::string type;                  // the class property's type: STRING, SCALAR, ...
    std::vector<std::string> strings;  // every string of a STRING column (arrays flattened)
};

struct Metadata {
    bool present = false;                        // the glb has EXT_structural_metadata
    std::vector<std::string> schema_properties;  // "class.property" for every class property
    std::vector<MetadataColumn> columns;
};

// Reads the EXT_structural_metadata schema and property tables; string columns are
// decoded (`values` UTF-8 bytes, `stringOffsets` with `stringOffsetType`, default
// UINT32; `arrayOffsets` for string arrays). Appends a sentence per problem.
Metadata read_metadata(const Glb& glb, std::vector<std::string>& problems);

}  // namespace zw::bake::check
