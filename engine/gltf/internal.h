// Private to the glTF module (gltf/*.cpp); not part of its interface. Every read of
// file data is bounds-checked, because files come from outside: a broken file gets a
// message, never a crash.
//
// Three steps. document.cpp: a pre-pass over the JSON checks the required
// extensions, gives EXT_meshopt_compression fallback buffers (which hold no data) a
// one-byte stand-in and checks the image views that tinygltf reads without checking;
// tinygltf then parses the core, compressed buffer views are decoded in place and
// Draco-compressed primitives into new accessors (draco.cpp).
// loader.cpp flattens the scene into a Model; extensions (RTC, texture
// transforms) are read from the pre-parsed JSON, and metadata.cpp reads feature
// ids and property tables (EXT_mesh_features, EXT_structural_metadata).
#pragma once

#include <tiny_gltf.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/gltf/model.h"

namespace zw::gltf::detail {

// Objects keep the file's order, so that metadata columns appear as the schema lists them.
using json = nlohmann::ordered_json;

[[noreturn]] inline void broken(const std::string& file, const std::string& what) {
    fail("model '", file, "' is broken: ", what);
}

// What the loader skipped: into LoadOptions::warnings, or the log; each message once
// (a file with 1000 primitives has the same problem 1000 times).
class Warnings {
  public:
    Warnings(std::string file, std::vector<std::string>* sink) : file_(std::move(file)), sink_(sink) {}
    template <typename... Args>
    void operator()(const Args&... args) const {
        std::ostringstream s;
        (s << ... << args);
        if (!seen_.insert(s.str()).second) return;
        if (sink_)
            sink_->push_back(s.str());
        else
            core::warn("model '", file_, "': ", s.str());
    }

  private:
    std::string file_;
    std::vector<std::string>* sink_;
    mutable std::set<std::string> seen_;
};

// ---- JSON helpers: wrong types read as absent, never throw -------------------------

inline const json* member(const json* o, const char* key) {
    if (!o || !o->is_object()) return nullptr;
    auto it = o->find(key);
    return it == o->end() ? nullptr : &*it;
}
inline const json* member(const json* o, const char* key, const char* key2) {
    return member(member(o, key), key2);
}
inline const json* element(const json* a, size_t i) {
    return a && a->is_array() && i < a->size() ? &(*a)[i] : nullptr;
}
inline std::optional<uint64_t> unsigned_value(const json* v) {
    if (!v || !v->is_number_integer()) return std::nullopt;
    if (v->is_number_unsigned()) return v->get<uint64_t>();
    const auto i = v->get<int64_t>();
    return i < 0 ? std::nullopt : std::optional<uint64_t>(uint64_t(i));
}
inline std::string string_value(const json* v, const std::string& fallback = "") {
    return v && v->is_string() ? v->get<std::string>() : fallback;
}
inline std::optional<double> number_value(const json* v) {
    if (!v || !v->is_number()) return std::nullopt;
    return v->get<double>();
}

inline uint32_t read_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;  // glb and b3dm are little-endian, like every machine Zwilling runs on
}

// ---- Accessors (document.cpp) --------------------------------------------------

inline size_t component_size(int type) {
    switch (type) {
        case TINYGLTF_COMPONENT_TYPE_BYTE:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
            return 1;
        case TINYGLTF_COMPONENT_TYPE_SHORT:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT:
            return 2;
        case TINYGLTF_COMPONENT_TYPE_INT:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT:
        case TINYGLTF_COMPONENT_TYPE_FLOAT:
            return 4;
        default:
            return 0;
    }
}

// Bounds-checked reads of a tinygltf model's accessors and buffer views.
class Reader {
  public:
    Reader(const tinygltf::Model& m, const std::string& file) : m_(m), file_(file) {}

    [[noreturn]] void bad(const std::string& what) const { broken(file_, what); }

    // The raw bytes of element `i` of an accessor; validates the whole accessor once.
    struct View {
        const uint8_t* data = nullptr;
        size_t stride = 0, count = 0, components = 0;
        int type = 0;
        bool normalized = false;
    };
    View view(int index, const std::string& what) const;

    // Component `c` of element `i` as stored (integers exact).
    static double raw(const View& v, size_t i, size_t c) {
        const uint8_t* p = v.data + v.stride * i + component_size(v.type) * c;
        switch (v.type) {
            case TINYGLTF_COMPONENT_TYPE_FLOAT: {
                float f;
                std::memcpy(&f, p, 4);
                return f;
            }
            case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
                return *p;
            case TINYGLTF_COMPONENT_TYPE_BYTE:
                return static_cast<int8_t>(*p);
            case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: {
                uint16_t u;
                std::memcpy(&u, p, 2);
                return u;
            }
            case TINYGLTF_COMPONENT_TYPE_SHORT: {
                int16_t s;
                std::memcpy(&s, p, 2);
                return s;
            }
            case TINYGLTF_COMPONENT_TYPE_INT: {
                int32_t s;
                std::memcpy(&s, p, 4);
                return s;
            }
            default:
                return read_u32(p);
        }
    }

    // The value as glTF means it: normalised integers (KHR_mesh_quantization, colours)
    // map to [0, 1] or [-1, 1], others are taken as they are.
    static float component(const View& v, size_t i, size_t c) {
        const double x = raw(v, i, c);
        if (!v.normalized) return float(x);
        switch (v.type) {
            case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
                return float(x / 255.0);
            case TINYGLTF_COMPONENT_TYPE_BYTE:
                return std::max(float(x / 127.0), -1.0f);
            case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT:
                return float(x / 65535.0);
            case TINYGLTF_COMPONENT_TYPE_SHORT:
                return std::max(float(x / 32767.0), -1.0f);
            default:
                return float(x);
        }
    }

    // An index accessor as 32-bit indices; refuses anything but scalar unsigned integers.
    std::vector<uint32_t> indices(int index) const;

    // The bytes of a buffer view, or an empty span when it lies outside its buffer.
    std::span<const uint8_t> buffer_view(size_t index) const;

  private:
    const tinygltf::Model& m_;
    std::string file_;
};

// ---- The parsed file (document.cpp) ---------------------------------------------

// A glTF after the pre-pass and tinygltf: the core as tinygltf parsed it, with
// compressed buffer views decoded in place, and the JSON (with the pre-pass's
// stand-ins), where the extensions are read.
struct Document {
    tinygltf::Model gltf;
    json doc;
};

// Parses a glb or glTF JSON (told apart by the "glTF" magic; a glb may be followed by
// padding, as in b3dm). `fetch` reads external buffers and images; empty: they are
// refused. tinygltf's warnings go to `warn`. Throws zw::Error naming `file` for
// truncated or broken files and required extensions Zwilling cannot honour.
Document read_document(std::span<const uint8_t> bytes, const std::string& file, const ResourceFetch& fetch,
                       const Warnings& warn);

// ---- KHR_draco_mesh_compression (draco.cpp) ------------------------------------

// Decodes every primitive of `m` that carries KHR_draco_mesh_compression (read from
// `doc`) into new buffers and accessors and points the primitive's attributes (by the
// extension's `attributes` map) and indices at them; values are written in the
// component type each accessor declares. Throws zw::Error naming `file` and the
// primitive for corrupt Draco data, counts that differ from the accessors', or
// attributes the extension names but the primitive lacks.
void decode_draco(tinygltf::Model& m, const json& doc, const std::string& file);

// The whole load (loader.cpp): document, scene, materials and images -> Model.
Model load(std::span<const uint8_t> bytes, const std::string& file, const LoadOptions& options);
// The pre-pass's part: Draco primitives' index accessors have no buffer view, which
// tinygltf refuses; their `indices` are dropped from `doc` (decode_draco makes new
// ones from the Draco data). True when `doc` changed.
bool prepare_draco(json& doc);

// ---- Feature ids and property tables (metadata.cpp) -----------------------------

// EXT_structural_metadata property tables and the feature ids that index them
// (EXT_mesh_features, or b3dm's _BATCHID with LoadOptions::batch_table).
class FeatureReader {
  public:
    FeatureReader(const Reader& r, const Warnings& warn) : r_(r), warn_(warn) {}

    // Fills `tables`: one PropertyTable per propertyTables entry of the document, even
    // when nothing of it decodes (so that feature ids keep pointing at the right
    // table), then `batch_table`. feature_ids() checks ids against `tables`, which must
    // outlive this reader.
    void read_tables(const json& doc, const std::optional<PropertyTable>& batch_table,
                     std::vector<PropertyTable>& tables);

    // Per glTF vertex (`n` of them), the feature ids of the first EXT_mesh_features set
    // (or b3dm's _BATCHID); empty when the primitive has none. Sets `table` to their
    // property table. Ids beyond their table become UINT32_MAX and are counted.
    std::vector<uint32_t> feature_ids(const tinygltf::Primitive& p, const json* json_primitive, size_t n,
                                      int32_t& table);

    // Feature ids dropped so far because they lie beyond their property table.
    size_t out_of_range() const { return out_of_range_; }

  private:
    const Reader& r_;
    const Warnings& warn_;
    const std::vector<PropertyTable>* tables_ = nullptr;
    size_t gltf_tables_ = 0;  // property tables from EXT_structural_metadata
    int32_t batch_table_ = -1;
    size_t out_of_range_ = 0;
};

}  // namespace zw::gltf::detail
