#include "engine/tiles/legacy_tile.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/number_text.h"
#include "engine/core/uri.h"

namespace zw::tiles {
namespace {

using json = LegacyTile::json;

// CesiumJS's test for the two pre-1.0 b3dm headers: a length this large is really the
// start of the next section (the glb magic, or JSON text).
constexpr uint32_t legacy_header_marker = 570425344;

uint32_t read_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;  // little-endian, like every machine Zwilling runs on
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
    if (v.is_number()) return core::number_text(v.get<double>());
    if (v.is_null()) return {};
    if (v.is_array()) {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); ++i)
            s += (i ? ", " : "") + display(v[i]);
        return s + "]";
    }
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

constexpr std::pair<const char*, size_t> component_types[] = {
    {"BYTE", 1}, {"UNSIGNED_BYTE", 1}, {"SHORT", 2}, {"UNSIGNED_SHORT", 2},
    {"INT", 4},  {"UNSIGNED_INT", 4},  {"FLOAT", 4}, {"DOUBLE", 8}};

size_t component_size(const std::string& type) {
    for (const auto& [name, size] : component_types)
        if (type == name) return size;
    return 0;
}

// A batch table column in the binary body; returns what is wrong with it, or "".
std::string binary_column(const json& ref, std::span<const uint8_t> binary, uint32_t count,
                          std::vector<std::string>& values) {
    static const std::pair<const char*, size_t> types[] = {
        {"SCALAR", 1}, {"VEC2", 2}, {"VEC3", 3}, {"VEC4", 4}};
    const json* offset = member(ref, "byteOffset");
    const json* type = member(ref, "type");
    const json* component = member(ref, "componentType");
    size_t n = 0;
    for (const auto& [name, k] : types)
        if (type && *type == name) n = k;
    const std::string ct = component && component->is_string() ? component->get<std::string>() : "";
    const size_t size = component_size(ct);
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
                text += core::number_text(f);
            } else if (ct == "DOUBLE") {
                double d;
                std::memcpy(&d, p, 8);
                text += core::number_text(d);
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

}  // namespace

LegacyTile::LegacyTile(std::span<const uint8_t> bytes, std::string uri, const char* magic,
                       size_t header_bytes, std::vector<std::string>& warnings, bool legacy_b3dm)
    : bytes_(bytes), uri_(std::move(uri)), header_bytes_(header_bytes) {
    if (bytes_.size() < header_bytes)
        fail("tile '", shown(), "' is truncated: ", bytes_.size(), " bytes, shorter than a ", magic,
             " header");
    const uint32_t version = read_u32(&bytes_[4]);
    if (version != 1)
        fail("tile '", shown(), "' is ", magic, " version ", version, ", which Zwilling does not read");
    const uint32_t length = read_u32(&bytes_[8]);
    if (length > bytes_.size())
        fail("tile '", shown(), "' is truncated: header says ", length, " bytes, file has ", bytes_.size());
    if (length < header_bytes) broken("its header says it has " + std::to_string(length) + " bytes");
    bytes_ = bytes_.first(length);
    uint32_t ft_json = read_u32(&bytes_[12]), ft_binary = read_u32(&bytes_[16]);
    uint32_t bt_json = read_u32(&bytes_[20]), bt_binary = read_u32(&bytes_[24]);
    size_t at = header_bytes;
    if (legacy_b3dm && bt_json >= legacy_header_marker) {
        // [magic, version, byteLength, batchLength, batchTableByteLength]
        at = 20;
        legacy_batch_length_ = ft_json;
        bt_json = ft_binary;
        bt_binary = ft_json = ft_binary = 0;
        warnings.push_back("b3dm with a pre-1.0 header (batchLength in the header); re-export it");
    } else if (legacy_b3dm && bt_binary >= legacy_header_marker) {
        // [magic, version, byteLength, batchTableJsonByteLength, batchTableBinaryByteLength, batchLength]
        at = 24;
        legacy_batch_length_ = bt_json;
        bt_json = ft_json;
        bt_binary = ft_binary;
        ft_json = ft_binary = 0;
        warnings.push_back("b3dm with a pre-1.0 header (batchLength in the header); re-export it");
    }
    const uint64_t tables = uint64_t(at) + ft_json + ft_binary + bt_json + bt_binary;
    if (tables > bytes_.size())
        fail("tile '", shown(), "' is truncated: its tables need ", tables, " bytes, the ", magic, " has ",
             bytes_.size());
    const auto next = [&](uint32_t n) {
        const std::span<const uint8_t> s = bytes_.subspan(at, n);
        at += n;
        return s;
    };
    feature_table_ = parse_json(next(ft_json), "feature table");
    ft_binary_ = next(ft_binary);
    bt_json_ = next(bt_json);
    bt_binary_ = next(bt_binary);
    body_ = bytes_.subspan(at);
}

std::string LegacyTile::shown() const {
    return core::display_uri(uri_);
}

void LegacyTile::broken(const std::string& why) const {
    fail("tile '", shown(), "' is broken: ", why);
}

LegacyTile::json LegacyTile::parse_json(std::span<const uint8_t> text, const char* what) const {
    if (text.empty()) return json::object();
    if (core::json_nesting_depth(std::string_view(reinterpret_cast<const char*>(text.data()), text.size())) >
        core::max_json_depth)
        broken(std::string("its ") + what + " nests more than " + std::to_string(core::max_json_depth) +
               " levels deep");
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) broken(std::string("its ") + what + " is not a JSON object");
    return j;
}

uint32_t LegacyTile::batch_length() const {
    const json* v = member(feature_table_, "BATCH_LENGTH");
    if (!v) return legacy_batch_length_;
    if (v->is_number_unsigned() && v->get<uint64_t>() <= UINT32_MAX) return uint32_t(v->get<uint64_t>());
    const json* offset = v->is_object() ? member(*v, "byteOffset") : nullptr;
    if (offset && offset->is_number_unsigned() && ft_binary_.size() >= 4 &&
        offset->get<uint64_t>() <= ft_binary_.size() - 4)
        return read_u32(&ft_binary_[offset->get<uint64_t>()]);
    broken("BATCH_LENGTH is not a count");
}

uint32_t LegacyTile::required_count(const char* name, uint32_t max) const {
    const json* v = member(feature_table_, name);
    uint64_t n = 0;
    if (v && v->is_number_unsigned()) {
        n = v->get<uint64_t>();
    } else if (const json* offset = v && v->is_object() ? member(*v, "byteOffset") : nullptr;
               offset && offset->is_number_unsigned() && ft_binary_.size() >= 4 &&
               offset->get<uint64_t>() <= ft_binary_.size() - 4) {
        n = read_u32(&ft_binary_[offset->get<uint64_t>()]);
    } else {
        broken(std::string("its feature table has no ") + name + " count");
    }
    if (n > max)
        broken(std::string(name) + " is " + std::to_string(n) + ", more than the " + std::to_string(max) +
               " a tile may hold");
    return uint32_t(n);
}

glm::dvec3 LegacyTile::rtc_center() const {
    const json* v = member(feature_table_, "RTC_CENTER");
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
               offset && offset->is_number_unsigned() && ft_binary_.size() >= 12 &&
               offset->get<uint64_t>() <= ft_binary_.size() - 12) {
        ok = true;
        for (int k = 0; k < 3; ++k) {
            float f;
            std::memcpy(&f, &ft_binary_[offset->get<uint64_t>() + 4 * size_t(k)], 4);
            c[k] = f;
        }
    }
    ok = ok && std::isfinite(c.x) && std::isfinite(c.y) && std::isfinite(c.z);
    if (!ok) broken("RTC_CENTER is not three numbers");
    return c;
}

std::optional<std::vector<double>> LegacyTile::global_numbers(const char* name, size_t n) const {
    const json* v = member(feature_table_, name);
    if (!v) return std::nullopt;
    std::vector<double> out;
    if (v->is_array() && v->size() == n) {
        for (const json& e : *v)
            if (e.is_number() && std::isfinite(e.get<double>())) out.push_back(e.get<double>());
    } else if (v->is_number() && n == 1 && std::isfinite(v->get<double>())) {
        out.push_back(v->get<double>());
    } else if (const json* offset = v->is_object() ? member(*v, "byteOffset") : nullptr;
               offset && offset->is_number_unsigned() && ft_binary_.size() >= 4 * n &&
               offset->get<uint64_t>() <= ft_binary_.size() - 4 * n) {
        for (size_t k = 0; k < n; ++k) {
            float f;
            std::memcpy(&f, &ft_binary_[offset->get<uint64_t>() + 4 * k], 4);
            if (std::isfinite(f)) out.push_back(f);
        }
    }
    if (out.size() != n) broken(std::string(name) + " is not " + std::to_string(n) + " finite numbers");
    return out;
}

LegacyTile::BinaryProperty LegacyTile::binary_property(
    const char* name, uint32_t count, size_t components, const char* default_type,
    std::initializer_list<const char*> allowed_types) const {
    const json* v = member(feature_table_, name);
    if (!v) return {};
    const json* offset = v->is_object() ? member(*v, "byteOffset") : nullptr;
    if (!offset || !offset->is_number_unsigned())
        broken(std::string(name) + " is not a reference into the feature table's binary (byteOffset)");
    std::string type = default_type;
    if (const json* ct = member(*v, "componentType"); ct && allowed_types.size() > 0) {
        bool ok = false;
        for (const char* t : allowed_types)
            ok = ok || (ct->is_string() && *ct == t);
        if (!ok) broken(std::string(name) + " has a componentType Zwilling does not read");
        type = ct->get<std::string>();
    }
    const size_t size = component_size(type);
    const uint64_t start = offset->get<uint64_t>();
    const uint64_t bytes = uint64_t(count) * components * size;
    if (start > ft_binary_.size() || bytes > ft_binary_.size() - start)
        broken(std::string(name) + " reads past the end of the feature table's binary");
    if (start % size != 0) broken(std::string(name) + " is not aligned to its component size");
    return {ft_binary_.subspan(size_t(start), size_t(bytes)), type, size};
}

gltf::PropertyTable LegacyTile::batch_table(uint32_t count, std::vector<std::string>& warnings) const {
    gltf::PropertyTable table;
    table.name = "batch table";
    table.count = count;
    const json j = parse_json(bt_json_, "batch table");
    for (const auto& [name, v] : j.items()) {
        if (name == "extensions" || name == "extras") {
            if (member(v, "3DTILES_batch_table_hierarchy"))
                warnings.push_back("the batch table hierarchy (3DTILES_batch_table_hierarchy) is not read");
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
            problem = binary_column(v, bt_binary_, count, values);
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

}  // namespace zw::tiles
