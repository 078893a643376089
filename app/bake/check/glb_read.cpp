#include "app/bake/check/glb_read.h"

#include <cstring>
#include <fstream>

namespace zw::bake::check {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::string> read_file(const fs::path& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot be opened";
        return std::nullopt;
    }
    std::string bytes;
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) {
        error = "cannot be read";
        return std::nullopt;
    }
    bytes.resize(static_cast<size_t>(size));
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!in) {
        error = "cannot be read";
        return std::nullopt;
    }
    return bytes;
}

std::string relative_name(const fs::path& path, const fs::path& base) {
    const fs::path abs_path = fs::absolute(path).lexically_normal();
    const fs::path abs_base = fs::absolute(base).lexically_normal();
    const fs::path rel = abs_path.lexically_relative(abs_base);
    if (rel.empty() || *rel.begin() == "..") return abs_path.generic_string();
    return rel.generic_string();
}

namespace {

uint32_t read_u32(std::string_view bytes, size_t at) {
    uint32_t v = 0;
    std::memcpy(&v, bytes.data() + at, 4);  // GLB is little-endian, as are the machines we run on
    return v;
}

constexpr uint32_t kMagic = 0x46546C67;      // "glTF"
constexpr uint32_t kChunkJson = 0x4E4F534A;  // "JSON"
constexpr uint32_t kChunkBin = 0x004E4942;   // "BIN\0"

std::optional<uint64_t> to_index(const json& j) {
    if (!j.is_number_integer() && !j.is_number_unsigned()) return std::nullopt;
    const auto v = j.get<int64_t>();
    if (v < 0) return std::nullopt;
    return static_cast<uint64_t>(v);
}

uint64_t uint_or(const json& obj, const char* key, uint64_t fallback) {
    if (!obj.is_object() || !obj.contains(key)) return fallback;
    return to_index(obj[key]).value_or(fallback);
}

// Reads `count` unsigned offsets of `type` (UINT8 ... UINT64) from `bytes`.
std::optional<std::vector<uint64_t>> read_offsets(std::string_view bytes, const std::string& type,
                                                  uint64_t count, std::string& problem) {
    size_t size = 0;
    if (type == "UINT8")
        size = 1;
    else if (type == "UINT16")
        size = 2;
    else if (type == "UINT32")
        size = 4;
    else if (type == "UINT64")
        size = 8;
    else {
        problem = "offset type '" + type + "' is not UINT8, UINT16, UINT32 or UINT64";
        return std::nullopt;
    }
    if (count > bytes.size() / size) {
        problem = "offset buffer view holds fewer than " + std::to_string(count) + " offsets";
        return std::nullopt;
    }
    std::vector<uint64_t> out(count);
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t v = 0;
        std::memcpy(&v, bytes.data() + i * size, size);
        out[i] = v;
    }
    return out;
}

}  // namespace

bool parse_glb(std::string_view bytes, Glb& out, std::vector<std::string>& problems) {
    if (bytes.size() < 12) {
        problems.push_back("is " + std::to_string(bytes.size()) + " bytes, shorter than a GLB header");
        return false;
    }
    if (read_u32(bytes, 0) != kMagic) {
        problems.push_back("does not start with the GLB magic 'glTF'");
        return false;
    }
    if (const uint32_t version = read_u32(bytes, 4); version != 2)
        problems.push_back("has GLB version " + std::to_string(version) + ", not 2");
    const uint32_t length = read_u32(bytes, 8);
    if (length != bytes.size())
        problems.push_back("GLB header says " + std::to_string(length) + " bytes, the file has " +
                           std::to_string(bytes.size()));
    const size_t end = std::min<size_t>(length, bytes.size());
    size_t at = 12;
    int chunk = 0;
    bool have_json = false;
    while (at < end) {
        if (end - at < 8) {
            problems.push_back("has " + std::to_string(end - at) + " stray bytes after its last chunk");
            break;
        }
        const uint32_t chunk_length = read_u32(bytes, at);
        const uint32_t chunk_type = read_u32(bytes, at + 4);
        if (chunk_length > end - at - 8) {
            problems.push_back("chunk " + std::to_string(chunk) + " runs past the end of the file");
            break;
        }
        if (chunk_length % 4 != 0)
            problems.push_back("chunk " + std::to_string(chunk) + " length " + std::to_string(chunk_length) +
                               " is not a multiple of 4");
        const std::string_view data = bytes.substr(at + 8, chunk_length);
        if (chunk == 0) {
            if (chunk_type != kChunkJson) {
                problems.push_back("first chunk is not the JSON chunk");
                return false;
            }
            out.json_text = data;
            have_json = true;
        } else if (chunk == 1 && chunk_type == kChunkBin) {
            out.bin = data;
        } else if (chunk_type == kChunkJson || chunk_type == kChunkBin) {
            problems.push_back("chunk " + std::to_string(chunk) +
                               " is a second JSON or a misplaced BIN chunk");
        }
        at += 8 + size_t{chunk_length};
        ++chunk;
    }
    if (!have_json) {
        problems.push_back("has no JSON chunk");
        return false;
    }
    try {
        out.json = json::parse(out.json_text.begin(), out.json_text.end());
    } catch (const json::exception& e) {
        problems.push_back(std::string("JSON chunk is not valid JSON: ") + e.what());
        return false;
    }
    if (!out.json.is_object()) {
        problems.push_back("JSON chunk is not a JSON object");
        return false;
    }
    return true;
}

std::optional<std::string_view> buffer_view_bytes(const Glb& glb, const json& view_index,
                                                  std::string& problem) {
    const auto index = to_index(view_index);
    const json& views = glb.json.contains("bufferViews") ? glb.json["bufferViews"] : json::array();
    if (!index || !views.is_array() || *index >= views.size()) {
        problem = "refers to buffer view " + view_index.dump() + ", which does not exist";
        return std::nullopt;
    }
    const json& view = views[*index];
    const uint64_t buffer = uint_or(view, "buffer", ~uint64_t{0});
    if (buffer != 0) {
        problem = "buffer view " + std::to_string(*index) + " is not in buffer 0 (the BIN chunk)";
        return std::nullopt;
    }
    const uint64_t offset = uint_or(view, "byteOffset", 0);
    const uint64_t length = uint_or(view, "byteLength", ~uint64_t{0});
    if (offset > glb.bin.size() || length > glb.bin.size() - offset) {
        problem = "buffer view " + std::to_string(*index) + " does not fit in the BIN chunk";
        return std::nullopt;
    }
    return glb.bin.substr(offset, length);
}

Metadata read_metadata(const Glb& glb, std::vector<std::string>& problems) {
    Metadata md;
    const json& root = glb.json;
    if (!root.contains("extensions") || !root["extensions"].is_object() ||
        !root["extensions"].contains("EXT_structural_metadata"))
        return md;
    md.present = true;
    const json& ext = root["extensions"]["EXT_structural_metadata"];
    if (!ext.is_object()) {
        problems.push_back("EXT_structural_metadata is not an object");
        return md;
    }
    const json* classes = nullptr;
    if (ext.contains("schema") && ext["schema"].is_object() && ext["schema"].contains("classes") &&
        ext["schema"]["classes"].is_object()) {
        classes = &ext["schema"]["classes"];
        for (const auto& [class_id, cls] : classes->items()) {
            if (!cls.is_object() || !cls.contains("properties") || !cls["properties"].is_object()) continue;
            for (const auto& [prop, def] : cls["properties"].items()) {
                (void)def;
                md.schema_properties.push_back(class_id + "." + prop);
            }
        }
    } else if (ext.contains("schemaUri")) {
        problems.push_back(
            "EXT_structural_metadata refers to an external schema, which this checker does not read");
    }
    if (!ext.contains("propertyTables")) return md;
    const json& tables = ext["propertyTables"];
    if (!tables.is_array()) {
        problems.push_back("EXT_structural_metadata.propertyTables is not an array");
        return md;
    }
    for (size_t t = 0; t < tables.size(); ++t) {
        const json& table = tables[t];
        const std::string where = "property table " + std::to_string(t);
        if (!table.is_object()) {
            problems.push_back(where + " is not an object");
            continue;
        }
        const std::string cls = table.value("class", std::string());
        const uint64_t count = uint_or(table, "count", 0);
        const json* class_props = nullptr;
        if (classes && classes->contains(cls) && (*classes)[cls].is_object() &&
            (*classes)[cls].contains("properties"))
            class_props = &(*classes)[cls]["properties"];
        else
            problems.push_back(where + " has class '" + cls + "', which the schema does not define");
        if (!table.contains("properties") || !table["properties"].is_object()) continue;
        for (const auto& [name, column] : table["properties"].items()) {
            MetadataColumn col;
            col.table = t;
            col.table_class = cls;
            col.name = name;
            const json* def = (class_props && class_props->contains(name)) ? &(*class_props)[name] : nullptr;
            if (class_props && !def)
                problems.push_back(where + " has a column '" + name + "' that class '" + cls +
                                   "' does not define");
            col.type = def ? def->value("type", std::string()) : std::string();
            if (col.type == "STRING" && column.is_object()) {
                std::string problem;
                uint64_t strings = count;
                if (def->value("array", false)) {
                    // Variable-length arrays: arrayOffsets say how many strings there are.
                    if (column.contains("arrayOffsets")) {
                        const auto view = buffer_view_bytes(glb, column["arrayOffsets"], problem);
                        const auto offs =
                            view ? read_offsets(*view, column.value("arrayOffsetType", std::string("UINT32")),
                                                count + 1, problem)
                                 : std::nullopt;
                        if (!offs) {
                            problems.push_back(where + " column '" + name + "' arrayOffsets: " + problem);
                            md.columns.push_back(std::move(col));
                            continue;
                        }
                        strings = offs->back();
                    } else {
                        strings = count * uint_or(*def, "count", 1);
                    }
                }
                const auto values = buffer_view_bytes(glb, column.value("values", json()), problem);
                const auto offset_view =
                    values ? buffer_view_bytes(glb, column.value("stringOffsets", json()), problem)
                           : std::nullopt;
                const auto offs =
                    offset_view
                        ? read_offsets(*offset_view, column.value("stringOffsetType", std::string("UINT32")),
                                       strings + 1, problem)
                        : std::nullopt;
                if (!offs) {
                    problems.push_back(where + " column '" + name + "': " + problem);
                } else {
                    for (uint64_t i = 0; i < strings; ++i) {
                        const uint64_t b = (*offs)[i], e = (*offs)[i + 1];
                        if (b > e || e > values->size()) {
                            problems.push_back(where + " column '" + name + "': string offsets out of range");
                            break;
                        }
                        col.strings.emplace_back(values->substr(b, e - b));
                    }
                }
            }
            md.columns.push_back(std::move(col));
        }
    }
    return md;
}

}  // namespace zw::bake::check
