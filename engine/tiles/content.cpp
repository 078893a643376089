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

namespace zw::tiles {
namespace {

// Objects keep the file's order, so that batch table columns appear as written.
using json = nlohmann::ordered_json;

constexpr size_t b3dm_header_bytes = 28;
// CesiumJS's test for the two pre-1.0 b3dm headers: a length this large is really the
// start of the next section (the glb magic, or JSON text).
constexpr uint32_t legacy_header_marker = 570425344;

uint32_t read_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;  // little-endian, like every machine Zwilling runs on
}

std::string format_number(double v) {
    char buf[40];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
std::string format_number(float v) {
    char buf[40];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

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

const json* member(const json& o, const char* key) {
    if (!o.is_object()) return nullptr;
    auto it = o.find(key);
    return it == o.end() ? nullptr : &*it;
}

// A batch table JSON value as display text.
std::string display(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number()) return format_number(v.get<double>());
    if (v.is_null()) return {};
    if (v.is_array()) {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); ++i)
            s += (i ? ", " : "") + display(v[i]);
        return s + "]";
    }
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

class B3dm {
  public:
    B3dm(std::span<const uint8_t> bytes, std::string uri) : bytes_(bytes), uri_(std::move(uri)) {}

    DecodedContent decode(const glm::dmat4& tile_transform, const FetchFn& fetch) {
        DecodedContent out;
        read_header(out.warnings);
        const json feature_table = parse_json(section(ft_json_), "feature table");
        const std::span<const uint8_t> ft_binary = section(ft_binary_);
        const uint32_t batch_length = read_batch_length(feature_table, ft_binary);
        const glm::dvec3 rtc = read_rtc(feature_table, ft_binary);

        render::LoadOptions options;
        options.placement = tile_transform * glm::translate(glm::dmat4(1.0), rtc);
        options.warnings = &out.warnings;
        options.allow_empty = true;
        if (batch_length > 0) options.batch_table = batch_table(batch_length, out.warnings);
        if (fetch)
            options.fetch = [&](const std::string& ref) { return fetch(core::resolve_uri(uri_, ref)); };

        const std::span<const uint8_t> glb = bytes_.subspan(glb_at_);
        if (glb.empty()) fail("tile '", shown(), "' is broken: the b3dm holds no glTF");
        if (!starts_with(glb, "glTF"))
            fail("tile '", shown(), "' is broken: the b3dm holds no binary glTF (found ", describe_magic(glb),
                 ")");
        out.model = render::load_model_from_glb(glb, shown(), options);
        out.kind = out.model.instances.empty() ? DecodedContent::Kind::empty : DecodedContent::Kind::model;
        return out;
    }

  private:
    std::string shown() const { return core::display_uri(uri_); }

    void read_header(std::vector<std::string>& warnings) {
        if (bytes_.size() < b3dm_header_bytes)
            fail("tile '", shown(), "' is truncated: ", bytes_.size(), " bytes, shorter than a b3dm header");
        const uint32_t version = read_u32(&bytes_[4]);
        if (version != 1)
            fail("tile '", shown(), "' is b3dm version ", version, ", which Zwilling does not read");
        const uint32_t length = read_u32(&bytes_[8]);
        if (length > bytes_.size())
            fail("tile '", shown(), "' is truncated: header says ", length, " bytes, file has ",
                 bytes_.size());
        if (length < b3dm_header_bytes)
            fail("tile '", shown(), "' is broken: its header says it has ", length, " bytes");
        bytes_ = bytes_.first(length);
        ft_json_ = read_u32(&bytes_[12]);
        ft_binary_ = read_u32(&bytes_[16]);
        bt_json_ = read_u32(&bytes_[20]);
        bt_binary_ = read_u32(&bytes_[24]);
        at_ = b3dm_header_bytes;
        if (bt_json_ >= legacy_header_marker) {
            // [magic, version, byteLength, batchLength, batchTableByteLength]
            at_ = 20;
            legacy_batch_length_ = ft_json_;
            bt_json_ = ft_binary_;
            bt_binary_ = ft_json_ = ft_binary_ = 0;
            warnings.push_back("b3dm with a pre-1.0 header (batchLength in the header); re-export it");
        } else if (bt_binary_ >= legacy_header_marker) {
            // [magic, version, byteLength, batchTableJsonByteLength, batchTableBinaryByteLength, batchLength]
            at_ = 24;
            legacy_batch_length_ = bt_json_;
            bt_json_ = ft_json_;
            bt_binary_ = ft_binary_;
            ft_json_ = ft_binary_ = 0;
            warnings.push_back("b3dm with a pre-1.0 header (batchLength in the header); re-export it");
        }
        const uint64_t tables = uint64_t(at_) + ft_json_ + ft_binary_ + bt_json_ + bt_binary_;
        if (tables > bytes_.size())
            fail("tile '", shown(), "' is truncated: its tables need ", tables, " bytes, the b3dm has ",
                 bytes_.size());
        glb_at_ = size_t(tables);
    }

    // The next `length` bytes after the header (sections follow each other).
    std::span<const uint8_t> section(uint32_t length) {
        const std::span<const uint8_t> s = bytes_.subspan(at_, length);
        at_ += length;
        return s;
    }

    json parse_json(std::span<const uint8_t> text, const char* what) const {
        if (text.empty()) return json::object();
        if (core::json_nesting_depth(std::string_view(reinterpret_cast<const char*>(text.data()),
                                                      text.size())) > core::max_json_depth)
            fail("tile '", shown(), "' is broken: its ", what, " nests more than ", core::max_json_depth,
                 " levels deep");
        json j = json::parse(text.begin(), text.end(), nullptr, false);
        if (j.is_discarded() || !j.is_object())
            fail("tile '", shown(), "' is broken: its ", what, " is not a JSON object");
        return j;
    }

    uint32_t read_batch_length(const json& ft, std::span<const uint8_t> binary) const {
        const json* v = member(ft, "BATCH_LENGTH");
        if (!v) return legacy_batch_length_;
        if (v->is_number_unsigned() && v->get<uint64_t>() <= UINT32_MAX) return uint32_t(v->get<uint64_t>());
        const json* offset = v->is_object() ? member(*v, "byteOffset") : nullptr;
        if (offset && offset->is_number_unsigned() && binary.size() >= 4 &&
            offset->get<uint64_t>() <= binary.size() - 4)
            return read_u32(&binary[offset->get<uint64_t>()]);
        fail("tile '", shown(), "' is broken: BATCH_LENGTH is not a count");
    }

    glm::dvec3 read_rtc(const json& ft, std::span<const uint8_t> binary) const {
        const json* v = member(ft, "RTC_CENTER");
        if (!v) return glm::dvec3(0.0);
        glm::dvec3 c(0.0);
        bool ok = false;
        if (v->is_array() && v->size() == 3) {
            ok = true;
            for (int k = 0; k < 3; ++k) {
                ok = ok && (*v)[k].is_number();
                if (ok) c[k] = (*v)[k].get<double>();
            }
        } else if (const json* offset = v->is_object() ? member(*v, "byteOffset") : nullptr;
                   offset && offset->is_number_unsigned() && binary.size() >= 12 &&
                   offset->get<uint64_t>() <= binary.size() - 12) {
            ok = true;
            for (int k = 0; k < 3; ++k) {
                float f;
                std::memcpy(&f, &binary[offset->get<uint64_t>() + 4 * k], 4);
                c[k] = f;
            }
        }
        ok = ok && std::isfinite(c.x) && std::isfinite(c.y) && std::isfinite(c.z);
        if (!ok) fail("tile '", shown(), "' is broken: RTC_CENTER is not three numbers");
        return c;
    }

    // The batch table as one property table; columns that cannot be read are skipped.
    render::PropertyTable batch_table(uint32_t count, std::vector<std::string>& warnings) {
        render::PropertyTable table;
        table.name = "batch table";
        table.count = count;
        const json j = parse_json(section(bt_json_), "batch table");
        const std::span<const uint8_t> binary = section(bt_binary_);
        for (const auto& [name, v] : j.items()) {
            if (name == "extensions" || name == "extras") {
                if (member(v, "3DTILES_batch_table_hierarchy"))
                    warnings.push_back(
                        "the batch table hierarchy (3DTILES_batch_table_hierarchy) is not read");
                continue;
            }
            std::vector<std::string> values;
            std::string problem;
            if (v.is_array()) {
                if (v.size() == count)
                    for (const json& e : v)
                        values.push_back(display(e));
                else
                    problem = "it has " + std::to_string(v.size()) + " values for " + std::to_string(count) +
                              " features";
            } else if (v.is_object()) {
                problem = binary_column(v, binary, count, values);
            } else {
                problem = "it is neither an array nor a binary reference";
            }
            if (!problem.empty()) {
                warnings.push_back("batch table property '" + name + "' skipped: " + problem);
                continue;
            }
            table.properties.push_back(name);
            table.values.push_back(std::move(values));
        }
        return table;
    }

    // A batch table column in the binary body; returns what is wrong with it, or "".
    static std::string binary_column(const json& ref, std::span<const uint8_t> binary, uint32_t count,
                                     std::vector<std::string>& values) {
        static const std::pair<const char*, size_t> types[] = {
            {"SCALAR", 1}, {"VEC2", 2}, {"VEC3", 3}, {"VEC4", 4}};
        static const std::pair<const char*, size_t> components[] = {
            {"BYTE", 1}, {"UNSIGNED_BYTE", 1}, {"SHORT", 2}, {"UNSIGNED_SHORT", 2},
            {"INT", 4},  {"UNSIGNED_INT", 4},  {"FLOAT", 4}, {"DOUBLE", 8}};
        const json* offset = member(ref, "byteOffset");
        const json* type = member(ref, "type");
        const json* component = member(ref, "componentType");
        size_t n = 0, size = 0;
        std::string ct;
        for (const auto& [name, k] : types)
            if (type && *type == name) n = k;
        for (const auto& [name, k] : components)
            if (component && *component == name) {
                size = k;
                ct = name;
            }
        if (!offset || !offset->is_number_unsigned() || n == 0 || size == 0)
            return "it needs byteOffset, a known componentType and type SCALAR or VECn";
        const uint64_t start = offset->get<uint64_t>();
        if (start > binary.size() || uint64_t(count) * n * size > binary.size() - start)
            return "it reads past the end of the batch table binary";
        const uint8_t* p = binary.data() + start;
        for (uint32_t i = 0; i < count; ++i) {
            std::string text;
            for (size_t c = 0; c < n; ++c, p += size) {
                if (c) text += ", ";
                if (ct == "FLOAT") {
                    float f;
                    std::memcpy(&f, p, 4);
                    text += format_number(f);
                } else if (ct == "DOUBLE") {
                    double d;
                    std::memcpy(&d, p, 8);
                    text += format_number(d);
                } else {
                    uint32_t u = 0;
                    std::memcpy(&u, p, size);
                    const bool is_signed = ct == "BYTE" || ct == "SHORT" || ct == "INT";
                    const int64_t s = size == 1 ? int8_t(u) : size == 2 ? int16_t(u) : int32_t(u);
                    text += is_signed ? std::to_string(s) : std::to_string(u);
                }
            }
            values.push_back(n > 1 ? "(" + text + ")" : text);
        }
        return {};
    }

    std::span<const uint8_t> bytes_;
    std::string uri_;
    uint32_t ft_json_ = 0, ft_binary_ = 0, bt_json_ = 0, bt_binary_ = 0;
    uint32_t legacy_batch_length_ = 0;
    size_t at_ = 0;      // where the next table starts
    size_t glb_at_ = 0;  // where the glb starts, after all four tables
};

DecodedContent decode_gltf(std::span<const uint8_t> bytes, const std::string& uri,
                           const glm::dmat4& tile_transform, const FetchFn& fetch) {
    DecodedContent out;
    render::LoadOptions options;
    options.placement = tile_transform;
    options.warnings = &out.warnings;
    options.allow_empty = true;
    if (fetch) options.fetch = [&](const std::string& ref) { return fetch(core::resolve_uri(uri, ref)); };
    out.model = render::load_model_from_memory(bytes, core::display_uri(uri), options);
    out.kind = out.model.instances.empty() ? DecodedContent::Kind::empty : DecodedContent::Kind::model;
    return out;
}

}  // namespace

size_t DecodedContent::cpu_bytes() const {
    size_t total = json.size() + model.vertices.size() * sizeof(render::Vertex) +
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
    if (starts_with(bytes, "b3dm")) return B3dm(bytes, uri).decode(tile_transform, fetch);
    for (const char* format : {"i3dm", "pnts", "cmpt"})
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
