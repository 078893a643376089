// glTF 2.0 -> Model. Every read of file data is bounds-checked, because files come from
// outside: a broken file gets a message, never a crash.
//
// Three steps. A pre-pass over the JSON checks the required extensions, gives
// EXT_meshopt_compression fallback buffers (which hold no data) a one-byte stand-in
// and checks the image views that tinygltf reads without checking. tinygltf then
// parses the core, compressed buffer views are decoded in place, and the scene is
// flattened; extensions (feature ids, metadata, RTC) are read from the pre-parsed JSON.
#include <tiny_gltf.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>

#include <meshoptimizer.h>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>
#include <glm/gtc/type_ptr.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/render/model.h"

namespace zw::render {
namespace {

// Objects keep the file's order, so that metadata columns appear as the schema lists them.
using json = nlohmann::ordered_json;

constexpr int mode_points = 0, mode_lines = 1, mode_line_loop = 2, mode_line_strip = 3, mode_triangles = 4,
              mode_strip = 5, mode_fan = 6;

// Caps on what a hostile file can make us allocate or do. meshoptimizer's codecs
// shrink data at most ~64 times, so a view that claims more is a decompression bomb.
constexpr uint64_t max_decoded_view_bytes = uint64_t(1) << 30;
constexpr uint64_t max_meshopt_ratio = 1024;
constexpr uint64_t max_table_cells = 8'000'000;  // property values shown as text, per model

[[noreturn]] void broken(const std::string& file, const std::string& what) {
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

const json* member(const json* o, const char* key) {
    if (!o || !o->is_object()) return nullptr;
    auto it = o->find(key);
    return it == o->end() ? nullptr : &*it;
}
const json* member(const json* o, const char* key, const char* key2) {
    return member(member(o, key), key2);
}
const json* element(const json* a, size_t i) {
    return a && a->is_array() && i < a->size() ? &(*a)[i] : nullptr;
}
std::optional<uint64_t> unsigned_value(const json* v) {
    if (!v || !v->is_number_integer()) return std::nullopt;
    if (v->is_number_unsigned()) return v->get<uint64_t>();
    const auto i = v->get<int64_t>();
    return i < 0 ? std::nullopt : std::optional<uint64_t>(uint64_t(i));
}
std::string string_value(const json* v, const std::string& fallback = "") {
    return v && v->is_string() ? v->get<std::string>() : fallback;
}
std::optional<double> number_value(const json* v) {
    if (!v || !v->is_number()) return std::nullopt;
    return v->get<double>();
}

std::string format_number(double v) {
    char buf[40];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
std::string format_number(float v) {
    char buf[40];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

uint32_t read_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;  // glb and b3dm are little-endian, like every machine Zwilling runs on
}

// ---- Accessors ----------------------------------------------------------------------

size_t component_size(int type) {
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
    View view(int index, const std::string& what) const {
        if (index < 0 || index >= int(m_.accessors.size())) bad(what + " refers to a missing accessor");
        const tinygltf::Accessor& a = m_.accessors[index];
        if (a.sparse.isSparse) bad(what + " uses a sparse accessor, which Zwilling does not read yet");
        const size_t csize = component_size(a.componentType);
        const int n = tinygltf::GetNumComponentsInType(a.type);
        if (csize == 0 || n <= 0) bad(what + " has an unknown component type");
        View v{nullptr, 0, a.count, size_t(n), a.componentType, a.normalized};
        if (a.bufferView < 0 || a.bufferView >= int(m_.bufferViews.size())) bad(what + " has no buffer view");
        const tinygltf::BufferView& bv = m_.bufferViews[a.bufferView];
        if (bv.buffer < 0 || bv.buffer >= int(m_.buffers.size())) bad(what + " refers to a missing buffer");
        const auto& buffer = m_.buffers[bv.buffer].data;
        const size_t element = csize * v.components;
        v.stride = bv.byteStride ? bv.byteStride : element;
        // Every sum is checked before it is formed: offsets in a hostile file can be
        // close to 2^64 and must not wrap around into a small number.
        const bool view_fits =
            bv.byteOffset <= buffer.size() && bv.byteLength <= buffer.size() - bv.byteOffset;
        const bool accessor_fits =
            a.count == 0 || (a.byteOffset <= bv.byteLength && element <= bv.byteLength - a.byteOffset &&
                             a.count - 1 <= (bv.byteLength - a.byteOffset - element) / v.stride);
        if (v.stride < element) bad(what + " has a byteStride smaller than one element");
        if (!view_fits || !accessor_fits) bad(what + " reads past the end of its buffer (truncated file?)");
        v.data = buffer.data() + bv.byteOffset + a.byteOffset;
        return v;
    }

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

    std::vector<uint32_t> indices(int index) const {
        const View v = view(index, "an index accessor");
        const bool unsigned_int = v.type == TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE ||
                                  v.type == TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT ||
                                  v.type == TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT;
        if (v.components != 1 || !unsigned_int) bad("indices are not scalar unsigned integers");
        std::vector<uint32_t> out(v.count);
        for (size_t i = 0; i < v.count; ++i)
            out[i] = static_cast<uint32_t>(raw(v, i, 0));
        return out;
    }

    // The bytes of a buffer view, or an empty span when it lies outside its buffer.
    std::span<const uint8_t> buffer_view(size_t index) const {
        if (index >= m_.bufferViews.size()) return {};
        const tinygltf::BufferView& bv = m_.bufferViews[index];
        if (bv.buffer < 0 || bv.buffer >= int(m_.buffers.size())) return {};
        const auto& buffer = m_.buffers[bv.buffer].data;
        if (bv.byteOffset > buffer.size() || bv.byteLength > buffer.size() - bv.byteOffset) return {};
        return {buffer.data() + bv.byteOffset, bv.byteLength};
    }

  private:
    const tinygltf::Model& m_;
    std::string file_;
};

// ---- Pre-pass: glb chunks, required extensions, stand-ins for what tinygltf refuses -----

struct Glb {
    std::span<const uint8_t> json, bin;
};

Glb split_glb(std::span<const uint8_t> b, const std::string& file) {
    if (b.size() < 20)
        fail("model '", file, "' is truncated: ", b.size(), " bytes, shorter than a glb header");
    const uint32_t version = read_u32(&b[4]), length = read_u32(&b[8]);
    if (version == 1)
        fail("model '", file, "' is glTF 1.0, which Zwilling does not read (convert it to glTF 2.0)");
    if (version != 2) broken(file, "unknown glb version " + std::to_string(version));
    if (length > b.size())
        fail("model '", file, "' is truncated: header says ", length, " bytes, file has ", b.size());
    const uint32_t json_length = read_u32(&b[12]);
    if (read_u32(&b[16]) != 0x4E4F534A) broken(file, "the first glb chunk is not JSON");
    if (json_length > length - 20) broken(file, "the JSON chunk runs past the end of the glb (truncated?)");
    Glb g{b.subspan(20, json_length), {}};
    const size_t bin_at = 20 + size_t(json_length);
    if (length - bin_at >= 8 && read_u32(&b[bin_at + 4]) == 0x004E4942) {
        const uint32_t bin_length = read_u32(&b[bin_at]);
        if (bin_length > length - bin_at - 8)
            broken(file, "the BIN chunk runs past the end of the glb (truncated?)");
        g.bin = b.subspan(bin_at + 8, bin_length);
    }
    return g;
}

std::vector<uint8_t> make_glb(const std::string& json_text, std::span<const uint8_t> bin) {
    std::string text = json_text;
    while (text.size() % 4)
        text.push_back(' ');
    const size_t bin_padded = (bin.size() + 3) / 4 * 4;
    std::vector<uint8_t> out;
    out.reserve(28 + text.size() + bin_padded);
    auto u32 = [&out](size_t v) {
        for (int i = 0; i < 4; ++i)
            out.push_back(uint8_t(v >> (8 * i)));
    };
    u32(0x46546C67);
    u32(2);
    u32(12 + 8 + text.size() + (bin.empty() ? 0 : 8 + bin_padded));
    u32(text.size());
    u32(0x4E4F534A);
    out.insert(out.end(), text.begin(), text.end());
    if (!bin.empty()) {
        u32(bin_padded);
        u32(0x004E4942);
        out.insert(out.end(), bin.begin(), bin.end());
        out.resize(out.size() + bin_padded - bin.size(), 0);
    }
    return out;
}

const json* meshopt_extension(const json& o) {
    if (const json* e = member(&o, "extensions", "EXT_meshopt_compression")) return e;
    return member(&o, "extensions", "KHR_meshopt_compression");
}

// Extensions a file may require: Zwilling reads them, or (KHR_materials_unlit) draws
// the model recognisably without them.
bool can_honour(const std::string& extension) {
    static const char* const known[] = {"KHR_mesh_quantization",   "EXT_meshopt_compression",
                                        "KHR_meshopt_compression", "EXT_mesh_features",
                                        "EXT_structural_metadata", "CESIUM_RTC",
                                        "KHR_texture_transform",   "KHR_materials_unlit"};
    return std::find(std::begin(known), std::end(known), extension) != std::end(known);
}

// External files named in the JSON, replaced there by tokens that tinygltf's URL
// decoding leaves alone, so that the fetch callback gets the URI as written.
constexpr const char* external_token = "zw-external-";

struct Prepared {
    bool changed = false;
    std::vector<std::string> external_uris;
    std::vector<std::pair<size_t, std::string>> image_uris;  // image index, URI as written
};

Prepared prepare(json& doc, size_t bin_size, bool binary, const std::string& file) {
    Prepared p;
    if (const json* required = member(&doc, "extensionsRequired"); required && required->is_array())
        for (const json& e : *required) {
            const std::string name = string_value(&e);
            if (can_honour(name)) continue;
            const bool draco = name == "KHR_draco_mesh_compression";
            fail("model '", file, "' requires the glTF extension ", name, ", which Zwilling does not support",
                 draco ? " (re-export it with EXT_meshopt_compression, e.g. gltfpack -cc)" : "");
        }

    json* buffers = doc.contains("buffers") && doc["buffers"].is_array() ? &doc["buffers"] : nullptr;
    std::vector<uint64_t> sizes;
    std::vector<bool> stand_in;
    for (size_t i = 0; buffers && i < buffers->size(); ++i) {
        json& b = (*buffers)[i];
        const json* ext = meshopt_extension(b);
        if (const json* fallback = member(ext, "fallback"); fallback && *fallback == true) {
            // Holds nothing: every view into it is compressed, and decoded later.
            b["uri"] = "data:application/octet-stream;base64,AA==";
            b["byteLength"] = 1;
            p.changed = true;
            stand_in.push_back(true);
        } else {
            stand_in.push_back(false);
            const std::string uri = string_value(member(&b, "uri"));
            if (!uri.empty() && uri.rfind("data:", 0) != 0) {
                b["uri"] = external_token + std::to_string(p.external_uris.size());
                p.external_uris.push_back(uri);
                p.changed = true;
            }
        }
        uint64_t size = unsigned_value(member(&b, "byteLength")).value_or(0);
        if (binary && !b.contains("uri")) size = std::min<uint64_t>(size, bin_size);
        sizes.push_back(size);
    }

    // tinygltf decodes images that live in buffer views without checking the view.
    json* images = doc.contains("images") && doc["images"].is_array() ? &doc["images"] : nullptr;
    const json* views = member(&doc, "bufferViews");
    for (size_t i = 0; images && i < images->size(); ++i) {
        json& img = (*images)[i];
        const std::string uri = string_value(member(&img, "uri"));
        if (!uri.empty() && uri.rfind("data:", 0) != 0) {
            img["uri"] = external_token + std::to_string(p.external_uris.size());
            p.external_uris.push_back(uri);
            p.image_uris.emplace_back(i, uri);
            p.changed = true;
        }
        const json* view_index = member(&img, "bufferView");
        if (!view_index) continue;
        const json* view = element(views, unsigned_value(view_index).value_or(SIZE_MAX));
        const auto buffer = unsigned_value(member(view, "buffer"));
        const uint64_t offset = unsigned_value(member(view, "byteOffset")).value_or(0);
        const uint64_t length = unsigned_value(member(view, "byteLength")).value_or(UINT64_MAX);
        const bool fits = view && buffer && *buffer < sizes.size() && !stand_in[*buffer] &&
                          offset <= sizes[*buffer] && length <= sizes[*buffer] - offset;
        if (!fits) broken(file, "image " + std::to_string(i) + " lies outside its buffer (truncated file?)");
    }
    return p;
}

// ---- tinygltf with our file access ---------------------------------------------------

struct FileAccess {
    const ResourceFetch* fetch = nullptr;
    const std::vector<std::string>* uris = nullptr;
};

bool fs_exists(const std::string&, void*) {
    return true;
}
std::string fs_expand(const std::string& path, void*) {
    return path;
}
bool fs_write(std::string* err, const std::string&, const std::vector<unsigned char>&, void*) {
    if (err) *err = "writing is not supported";
    return false;
}
bool fs_read(std::vector<unsigned char>* out, std::string* err, const std::string& path, void* user) {
    const auto* access = static_cast<const FileAccess*>(user);
    size_t index = SIZE_MAX;
    if (path.rfind(external_token, 0) == 0)
        std::from_chars(path.data() + std::strlen(external_token), path.data() + path.size(), index);
    if (index >= access->uris->size()) {
        if (err) *err = "unknown file";
        return false;
    }
    const std::string& uri = (*access->uris)[index];
    if (!*access->fetch) {
        if (err) *err = "it refers to the external file '" + uri + "', which cannot be read here";
        return false;
    }
    try {
        *out = (*access->fetch)(uri);
        return true;
    } catch (const std::exception& e) {
        if (err) *err = e.what();
        return false;
    }
}

// An image that cannot be decoded (KTX2, WebP, corrupt) leaves the image empty: the
// model is drawn without it (convert_images warns) rather than refused.
bool load_image(tinygltf::Image* image, int index, std::string* err, std::string* warn, int width, int height,
                const unsigned char* bytes, int size, void*) {
    const size_t err_length = err ? err->size() : 0;
    if (!tinygltf::LoadImageData(image, index, err, warn, width, height, bytes, size, nullptr)) {
        if (err) err->resize(err_length);
        image->image.clear();
        image->width = image->height = 0;
    }
    return true;
}

// ---- EXT_meshopt_compression -----------------------------------------------------------

void decode_meshopt(tinygltf::Model& m, const json& doc, const std::string& file) {
    const json* views = member(&doc, "bufferViews");
    for (size_t i = 0; views && views->is_array() && i < views->size() && i < m.bufferViews.size(); ++i) {
        const json* ext = meshopt_extension((*views)[i]);
        if (!ext) continue;
        const std::string what = "buffer view " + std::to_string(i) + " (EXT_meshopt_compression)";
        const auto buffer = unsigned_value(member(ext, "buffer"));
        const uint64_t offset = unsigned_value(member(ext, "byteOffset")).value_or(0);
        const auto length = unsigned_value(member(ext, "byteLength"));
        const auto stride = unsigned_value(member(ext, "byteStride"));
        const auto count = unsigned_value(member(ext, "count"));
        const std::string mode = string_value(member(ext, "mode"));
        const std::string filter = string_value(member(ext, "filter"), "NONE");
        if (!buffer || !length || !stride || !count)
            broken(file, what + " lacks buffer, byteLength, byteStride or count");
        if (*buffer >= m.buffers.size()) broken(file, what + " refers to a missing buffer");
        const auto& src = m.buffers[*buffer].data;
        if (offset > src.size() || *length > src.size() - offset)
            broken(file, what + " reads past the end of its buffer (truncated file?)");
        // meshoptimizer asserts on these instead of failing: check them first.
        const bool attributes = mode == "ATTRIBUTES", triangles = mode == "TRIANGLES",
                   indices = mode == "INDICES";
        if (!attributes && !triangles && !indices) broken(file, what + " has an unknown mode '" + mode + "'");
        if (attributes ? (*stride == 0 || *stride > 256 || *stride % 4) : (*stride != 2 && *stride != 4))
            broken(file, what + " has an invalid byteStride");
        if (triangles && *count % 3) broken(file, what + " has a triangle count that is not a multiple of 3");
        if (*count > max_decoded_view_bytes / *stride ||
            *count * *stride > *length * max_meshopt_ratio + (1 << 20))
            broken(file, what + " claims an unreasonably large decoded size");
        const bool filter_ok =
            filter == "NONE" ||
            (attributes && ((filter == "OCTAHEDRAL" && (*stride == 4 || *stride == 8)) ||
                            (filter == "QUATERNION" && *stride == 8) || filter == "EXPONENTIAL"));
        if (!filter_ok)
            broken(file, what + " has filter '" + filter + "', which does not fit its mode and stride");

        std::vector<uint8_t> out(size_t(*count * *stride));
        const uint8_t* data = src.data() + offset;
        const int rc = attributes  ? meshopt_decodeVertexBuffer(out.data(), *count, *stride, data, *length)
                       : triangles ? meshopt_decodeIndexBuffer(out.data(), *count, *stride, data, *length)
                                   : meshopt_decodeIndexSequence(out.data(), *count, *stride, data, *length);
        if (rc != 0) broken(file, what + " does not decode (meshoptimizer error " + std::to_string(rc) + ")");
        if (filter == "OCTAHEDRAL") meshopt_decodeFilterOct(out.data(), *count, *stride);
        if (filter == "QUATERNION") meshopt_decodeFilterQuat(out.data(), *count, *stride);
        if (filter == "EXPONENTIAL") meshopt_decodeFilterExp(out.data(), *count, *stride);

        tinygltf::BufferView& bv = m.bufferViews[i];
        bv.buffer = int(m.buffers.size());
        bv.byteOffset = 0;
        bv.byteLength = out.size();
        if (attributes) bv.byteStride = *stride;
        tinygltf::Buffer decoded;
        decoded.data = std::move(out);
        m.buffers.push_back(std::move(decoded));
    }
}

// ---- EXT_structural_metadata ------------------------------------------------------------

// One column could not be decoded; the rest of the table still is.
struct SkipColumn : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Ct : uint8_t { none, i8, u8, i16, u16, i32, u32, i64, u64, f32, f64 };

Ct component_type(const std::string& s) {
    static const std::pair<const char*, Ct> names[] = {
        {"INT8", Ct::i8},     {"UINT8", Ct::u8},   {"INT16", Ct::i16}, {"UINT16", Ct::u16},
        {"INT32", Ct::i32},   {"UINT32", Ct::u32}, {"INT64", Ct::i64}, {"UINT64", Ct::u64},
        {"FLOAT32", Ct::f32}, {"FLOAT64", Ct::f64}};
    for (const auto& [name, ct] : names)
        if (s == name) return ct;
    return Ct::none;
}
size_t byte_size(Ct t) {
    switch (t) {
        case Ct::i8:
        case Ct::u8:
            return 1;
        case Ct::i16:
        case Ct::u16:
            return 2;
        case Ct::i32:
        case Ct::u32:
        case Ct::f32:
            return 4;
        case Ct::i64:
        case Ct::u64:
        case Ct::f64:
            return 8;
        default:
            return 0;
    }
}
bool is_float(Ct t) {
    return t == Ct::f32 || t == Ct::f64;
}
bool is_signed(Ct t) {
    return t == Ct::i8 || t == Ct::i16 || t == Ct::i32 || t == Ct::i64;
}

template <typename T>
T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
int64_t as_int(const uint8_t* p, Ct t) {
    switch (t) {
        case Ct::i8:
            return load<int8_t>(p);
        case Ct::u8:
            return load<uint8_t>(p);
        case Ct::i16:
            return load<int16_t>(p);
        case Ct::u16:
            return load<uint16_t>(p);
        case Ct::i32:
            return load<int32_t>(p);
        case Ct::u32:
            return load<uint32_t>(p);
        case Ct::i64:
            return load<int64_t>(p);
        case Ct::u64:
            return int64_t(load<uint64_t>(p));
        default:
            return 0;  // floats are never read as integers
    }
}
double as_double(const uint8_t* p, Ct t) {
    if (t == Ct::f32) return load<float>(p);
    if (t == Ct::f64) return load<double>(p);
    if (t == Ct::u64) return double(load<uint64_t>(p));
    return double(as_int(p, t));
}
std::string format_exact(const uint8_t* p, Ct t) {
    if (t == Ct::f32) return format_number(load<float>(p));
    if (t == Ct::f64) return format_number(load<double>(p));
    if (t == Ct::u64) return std::to_string(load<uint64_t>(p));
    return std::to_string(as_int(p, t));
}
double normalize(double x, Ct t) {
    const double max = std::ldexp(1.0, int(8 * byte_size(t)) - (is_signed(t) ? 1 : 0)) - 1.0;
    return is_signed(t) ? std::max(x / max, -1.0) : x / max;
}

// One property of a property table, and how to turn feature `i` into text.
struct Column {
    enum class Kind { numeric, boolean, string, enumeration } kind = Kind::numeric;
    Ct ct = Ct::none;       // numeric components, or the enum's value type
    size_t components = 1;  // VECn / MATn
    bool array = false;
    uint64_t fixed_count = 0;  // arrays: elements per feature; 0: variable (arrayOffsets)
    bool transform = false;    // normalised, or with offset / scale
    bool normalized = false;
    const json* offset = nullptr;
    const json* scale = nullptr;
    const json* no_data = nullptr;
    std::vector<std::pair<int64_t, std::string>> enum_names;
    std::span<const uint8_t> values, array_offsets, string_offsets;
    Ct array_offset_type = Ct::u32, string_offset_type = Ct::u32;

    static uint64_t offset_at(std::span<const uint8_t> offsets, Ct t, uint64_t i) {
        const size_t size = byte_size(t);
        if (i >= offsets.size() / size) throw SkipColumn("its offsets end too early");
        return uint64_t(as_int(offsets.data() + i * size, t));
    }

    // offset / scale: a number, or per component, or per array element (and component).
    static double pick(const json* v, bool per_element, size_t j, bool per_component, size_t c,
                       double fallback) {
        if (per_element && v && v->is_array()) v = element(v, j);
        if (per_component && v && v->is_array()) v = element(v, c);
        return number_value(v).value_or(fallback);
    }

    std::string number(uint64_t k, size_t j) const {
        const size_t csize = byte_size(ct);
        if (k >= values.size() / csize / components) throw SkipColumn("its values end too early");
        std::string text;
        for (size_t c = 0; c < components; ++c) {
            const uint8_t* p = values.data() + (k * components + c) * csize;
            if (c) text += ", ";
            if (!transform) {
                text += format_exact(p, ct);
                continue;
            }
            double x = as_double(p, ct);
            if (normalized && !is_float(ct)) x = normalize(x, ct);
            x = x * pick(scale, array, j, components > 1, c, 1.0) +
                pick(offset, array, j, components > 1, c, 0.0);
            text += format_number(x);
        }
        return components > 1 ? "(" + text + ")" : text;
    }

    std::string value(uint64_t k, size_t j) const {
        switch (kind) {
            case Kind::numeric:
                return number(k, j);
            case Kind::boolean:
                if (k / 8 >= values.size()) throw SkipColumn("its values end too early");
                return (values[k / 8] >> (k % 8)) & 1 ? "true" : "false";
            case Kind::string: {
                const uint64_t a = offset_at(string_offsets, string_offset_type, k);
                const uint64_t b = offset_at(string_offsets, string_offset_type, k + 1);
                if (a > b || b > values.size()) throw SkipColumn("a string offset lies outside its values");
                return std::string(reinterpret_cast<const char*>(values.data() + a), b - a);
            }
            case Kind::enumeration: {
                const size_t csize = byte_size(ct);
                if (k >= values.size() / csize) throw SkipColumn("its values end too early");
                const int64_t v = as_int(values.data() + k * csize, ct);
                for (const auto& [number, name] : enum_names)
                    if (number == v) return name;
                return std::to_string(v);
            }
        }
        return {};
    }

    std::string feature(uint64_t i) const {
        if (!array) {
            std::string v = value(i, 0);
            const bool no_value = no_data && ((no_data->is_string() && no_data->get<std::string>() == v) ||
                                              (kind == Kind::numeric && components == 1 && !transform &&
                                               no_data->is_number() && v == format_exact_json(*no_data)));
            return no_value ? std::string() : v;
        }
        uint64_t first, count;
        if (fixed_count) {
            first = i * fixed_count;
            count = fixed_count;
        } else {
            first = offset_at(array_offsets, array_offset_type, i);
            const uint64_t end = offset_at(array_offsets, array_offset_type, i + 1);
            if (end < first) throw SkipColumn("its array offsets decrease");
            count = end - first;
        }
        std::string text = "[";
        for (uint64_t j = 0; j < count; ++j)
            text += (j ? ", " : "") + value(first + j, size_t(j));
        return text + "]";
    }

    // noData as the column's own text (so 7 matches an INT32 7 and 0.5 a FLOAT32 0.5).
    std::string format_exact_json(const json& v) const {
        const double d = v.get<double>();
        if (ct == Ct::f32 && std::fabs(d) <= std::numeric_limits<float>::max())
            return format_number(float(d));
        if (is_float(ct)) return format_number(d);
        if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
        if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
        return format_number(d);
    }
};

class MetadataDecoder {
  public:
    MetadataDecoder(const Reader& r, const Warnings& warn) : r_(r), warn_(warn) {}

    // One PropertyTable per propertyTables entry, even when nothing of it decodes,
    // so that feature ids keep pointing at the right table.
    std::vector<PropertyTable> decode(const json* ext) {
        std::vector<PropertyTable> tables;
        const json* list = member(ext, "propertyTables");
        if (!list || !list->is_array()) return tables;
        schema_ = member(ext, "schema");
        if (!schema_ && member(ext, "schemaUri"))
            warn_("EXT_structural_metadata: the external schema '", string_value(member(ext, "schemaUri")),
                  "' is not read; property tables show no values");
        for (size_t t = 0; t < list->size(); ++t)
            tables.push_back(decode_table((*list)[t], t));
        return tables;
    }

  private:
    PropertyTable decode_table(const json& table, size_t index) {
        PropertyTable out;
        out.class_id = string_value(member(&table, "class"));
        out.name = string_value(member(&table, "name"), out.class_id);
        const uint64_t count = unsigned_value(member(&table, "count")).value_or(0);
        const std::string label = "property table " + std::to_string(index) + " ('" + out.name + "')";
        if (count > UINT32_MAX) {
            warn_(label, " claims ", count, " features; skipped");
            return out;
        }
        out.count = uint32_t(count);
        const json* properties = member(&table, "properties");
        if (!schema_ || !properties || !properties->is_object()) return out;
        const json* class_properties = member(member(schema_, "classes", out.class_id.c_str()), "properties");
        if (!class_properties || !class_properties->is_object()) {
            warn_(label, ": class '", out.class_id, "' is not in the schema; its values are not shown");
            return out;
        }
        // The schema's order, which is how its author wants the properties listed.
        for (const auto& [id, definition] : class_properties->items()) {
            const json* storage = member(properties, id.c_str());
            if (!storage) continue;
            if (cells_ + count > max_table_cells) {
                warn_(label, ": property '", id, "' skipped: the model has too many property values to show");
                continue;
            }
            cells_ += count;
            try {
                const Column column = make_column(definition, *storage);
                std::vector<std::string> values;
                for (uint64_t i = 0; i < count; ++i)
                    values.push_back(column.feature(i));
                out.properties.push_back(id);
                out.values.push_back(std::move(values));
            } catch (const SkipColumn& e) {
                warn_(label, ": property '", id, "' skipped: ", e.what());
            }
        }
        for (const auto& [id, storage] : properties->items())
            if (!member(class_properties, id.c_str()))
                warn_(label, ": property '", id, "' is not in class '", out.class_id, "'; skipped");
        return out;
    }

    std::span<const uint8_t> view(const json* index, const char* what) const {
        const auto i = unsigned_value(index);
        if (!i) throw SkipColumn(std::string("it has no ") + what);
        const std::span<const uint8_t> bytes = r_.buffer_view(size_t(std::min<uint64_t>(*i, SIZE_MAX)));
        if (bytes.empty())
            throw SkipColumn(std::string("its ") + what + " buffer view is missing or outside its buffer");
        return bytes;
    }

    Column make_column(const json& def, const json& storage) const {
        Column c;
        const std::string type = string_value(member(&def, "type"));
        static const std::pair<const char*, size_t> numeric[] = {
            {"SCALAR", 1}, {"VEC2", 2}, {"VEC3", 3}, {"VEC4", 4}, {"MAT2", 4}, {"MAT3", 9}, {"MAT4", 16}};
        bool known = false;
        for (const auto& [name, n] : numeric)
            if (type == name) {
                known = true;
                c.components = n;
                c.ct = component_type(string_value(member(&def, "componentType")));
                if (c.ct == Ct::none) throw SkipColumn("its componentType is missing or unknown");
            }
        if (type == "BOOLEAN") {
            known = true;
            c.kind = Column::Kind::boolean;
        } else if (type == "STRING") {
            known = true;
            c.kind = Column::Kind::string;
        } else if (type == "ENUM") {
            known = true;
            c.kind = Column::Kind::enumeration;
            const std::string enum_id = string_value(member(&def, "enumType"));
            const json* enumeration = member(member(schema_, "enums"), enum_id.c_str());
            if (!enumeration) throw SkipColumn("its enum '" + enum_id + "' is not in the schema");
            c.ct = component_type(string_value(member(enumeration, "valueType"), "UINT16"));
            if (c.ct == Ct::none || is_float(c.ct)) throw SkipColumn("its enum value type is unknown");
            if (const json* values = member(enumeration, "values"); values && values->is_array())
                for (const json& v : *values)
                    if (const json* n = member(&v, "value"); n && n->is_number_integer())
                        c.enum_names.emplace_back(n->get<int64_t>(), string_value(member(&v, "name")));
        }
        if (!known) throw SkipColumn("type '" + type + "' is not supported");

        c.array = member(&def, "array") && *member(&def, "array") == true;
        if (c.array && member(&def, "count")) {
            c.fixed_count = unsigned_value(member(&def, "count")).value_or(0);
            if (c.fixed_count == 0 || c.fixed_count > UINT32_MAX)
                throw SkipColumn("its array count is invalid");
        }
        c.normalized = member(&def, "normalized") && *member(&def, "normalized") == true;
        c.offset = member(&storage, "offset") ? member(&storage, "offset") : member(&def, "offset");
        c.scale = member(&storage, "scale") ? member(&storage, "scale") : member(&def, "scale");
        c.transform = c.kind == Column::Kind::numeric && (c.normalized || c.offset || c.scale);
        c.no_data = member(&def, "noData");

        c.values = view(member(&storage, "values"), "values");
        if (c.kind == Column::Kind::string) {
            c.string_offsets = view(member(&storage, "stringOffsets"), "stringOffsets");
            c.string_offset_type =
                component_type(string_value(member(&storage, "stringOffsetType"), "UINT32"));
        }
        if (c.array && !c.fixed_count) {
            c.array_offsets = view(member(&storage, "arrayOffsets"), "arrayOffsets");
            c.array_offset_type = component_type(string_value(member(&storage, "arrayOffsetType"), "UINT32"));
        }
        for (Ct t : {c.string_offset_type, c.array_offset_type})
            if (t != Ct::u8 && t != Ct::u16 && t != Ct::u32 && t != Ct::u64)
                throw SkipColumn("its offset type is unknown");
        return c;
    }

    const Reader& r_;
    const Warnings& warn_;
    const json* schema_ = nullptr;
    uint64_t cells_ = 0;  // values decoded so far, against max_table_cells
};

// ---- Scene conversion ---------------------------------------------------------------------

glm::dmat4 node_transform(const tinygltf::Node& n) {
    if (n.matrix.size() == 16) return glm::make_mat4(n.matrix.data());
    glm::dmat4 m(1.0);
    if (n.translation.size() == 3)
        m = glm::translate(m, glm::dvec3(n.translation[0], n.translation[1], n.translation[2]));
    if (n.rotation.size() == 4)
        m *= glm::mat4_cast(glm::dquat(n.rotation[3], n.rotation[0], n.rotation[1], n.rotation[2]));
    if (n.scale.size() == 3) m = glm::scale(m, glm::dvec3(n.scale[0], n.scale[1], n.scale[2]));
    return m;
}

Topology topology_of(int mode) {
    if (mode == mode_points) return Topology::points;
    if (mode == mode_lines || mode == mode_line_loop || mode == mode_line_strip) return Topology::lines;
    return Topology::triangles;
}

bool is_list(int mode) {
    return mode == mode_points || mode == mode_lines || mode == mode_triangles;
}

// Index lists for a primitive's mode: strips, fans and loops become plain lists.
std::vector<uint32_t> to_list(std::vector<uint32_t> idx, int mode) {
    if (mode == mode_points) return idx;
    if (mode == mode_triangles || mode == mode_lines) {
        const size_t per = mode == mode_lines ? 2 : 3;
        idx.resize(idx.size() - idx.size() % per);
        return idx;
    }
    std::vector<uint32_t> out;
    if (mode == mode_line_strip || mode == mode_line_loop) {
        for (size_t i = 1; i < idx.size(); ++i)
            out.insert(out.end(), {idx[i - 1], idx[i]});
        if (mode == mode_line_loop && idx.size() > 2) out.insert(out.end(), {idx.back(), idx.front()});
        return out;
    }
    for (size_t i = 2; i < idx.size(); ++i) {
        if (mode == mode_strip) {
            if (i % 2 == 0)
                out.insert(out.end(), {idx[i - 2], idx[i - 1], idx[i]});
            else
                out.insert(out.end(), {idx[i - 1], idx[i - 2], idx[i]});
        } else {
            out.insert(out.end(), {idx[0], idx[i - 1], idx[i]});
        }
    }
    return out;
}

template <typename T>
std::vector<T> gather(const std::vector<T>& v, const std::vector<uint32_t>& idx) {
    std::vector<T> out;
    out.reserve(idx.size());
    for (uint32_t i : idx)
        out.push_back(v[i]);
    return out;
}

// KHR_texture_transform of a base colour texture: uv' = offset + rotate(scale * uv).
struct UvTransform {
    glm::dmat3 m{1.0};
    bool identity = true;
};

class Converter {
  public:
    Converter(const tinygltf::Model& m, const json& doc, const std::string& file, const LoadOptions& options,
              const Warnings& warn, Model& out)
        : m_(m), doc_(doc), r_(m, file), options_(options), warn_(warn), out_(out) {}

    void run() {
        convert_images();
        convert_materials();
        out_.property_tables =
            MetadataDecoder(r_, warn_).decode(member(&doc_, "extensions", "EXT_structural_metadata"));
        gltf_tables_ = out_.property_tables.size();
        if (options_.batch_table) {
            batch_table_ = int32_t(out_.property_tables.size());
            out_.property_tables.push_back(*options_.batch_table);
        }
        mesh_index_.assign(m_.meshes.size(), -1);
        visited_.assign(m_.nodes.size(), false);
        const glm::dmat4 root = options_.placement * rtc_translation() * y_up_to_z_up();
        std::vector<int> roots;
        const int scene = m_.defaultScene >= 0 ? m_.defaultScene : (m_.scenes.empty() ? -1 : 0);
        if (scene >= 0 && scene < int(m_.scenes.size()))
            roots = m_.scenes[scene].nodes;
        else
            for (int i = 0; i < int(m_.nodes.size()); ++i)
                roots.push_back(i);  // no scene: every node as a root
        for (int n : roots)
            visit(n, root, 0);
        if (out_.instances.empty() && !options_.allow_empty)
            r_.bad("it contains nothing to draw (no triangles, lines or points)");
        if (!out_.feature_ids.empty()) out_.feature_ids.resize(out_.vertices.size(), UINT32_MAX);
        if (shared_nodes_) warn_(shared_nodes_, " node references to already placed nodes were ignored");
        if (feature_ids_out_of_range_)
            warn_(feature_ids_out_of_range_, " feature ids are beyond their property table and were dropped");
    }

  private:
    // CESIUM_RTC: a translation in the z-up tile frame, like b3dm's RTC_CENTER.
    glm::dmat4 rtc_translation() const {
        const json* center = member(&doc_, "extensions", "CESIUM_RTC");
        if (!center) return glm::dmat4(1.0);
        center = member(center, "center");
        glm::dvec3 c;
        for (int k = 0; k < 3; ++k) {
            const auto v = number_value(element(center, size_t(k)));
            if (!v || !std::isfinite(*v)) {
                warn_("CESIUM_RTC has no valid center; ignored");
                return glm::dmat4(1.0);
            }
            c[k] = *v;
        }
        return glm::translate(glm::dmat4(1.0), c);
    }

    void visit(int node, const glm::dmat4& parent, int depth) {
        if (node < 0 || node >= int(m_.nodes.size())) r_.bad("a scene refers to a missing node");
        if (depth > 64) r_.bad("the node hierarchy is deeper than 64 levels (a cycle?)");
        // glTF nodes form disjoint trees; a node under several parents (which could
        // make 2^depth instances) is drawn at its first place only.
        if (visited_[node]) {
            ++shared_nodes_;
            return;
        }
        visited_[node] = true;
        const tinygltf::Node& n = m_.nodes[node];
        const glm::dmat4 world = parent * node_transform(n);
        if (n.mesh >= 0) {
            const int mesh = mesh_for(n.mesh);
            if (mesh >= 0) {
                const MeshInstance inst = make_instance(uint32_t(mesh), out_.meshes[mesh].bounds, world);
                out_.bounds.extend(inst.world_bounds);
                out_.instances.push_back(inst);
            }
        }
        for (int child : n.children)
            visit(child, world, depth + 1);
    }

    int mesh_for(int gltf_mesh) {
        if (gltf_mesh >= int(m_.meshes.size())) r_.bad("a node refers to a missing mesh");
        if (mesh_index_[gltf_mesh] != -1) return mesh_index_[gltf_mesh];
        const tinygltf::Mesh& gm = m_.meshes[gltf_mesh];
        Mesh mesh{gm.name.empty() ? "mesh " + std::to_string(gltf_mesh) : gm.name, {}, {}};
        const json* json_primitives =
            member(element(member(&doc_, "meshes"), size_t(gltf_mesh)), "primitives");
        for (size_t k = 0; k < gm.primitives.size(); ++k) {
            const auto& p = gm.primitives[k];
            if (p.mode < mode_points || p.mode > mode_fan) {
                warn_("a primitive with unknown mode ", p.mode, " is skipped");
                continue;
            }
            Primitive prim = convert_primitive(p, element(json_primitives, k));
            if (prim.vertex_count == 0) continue;
            mesh.bounds.extend(prim.bounds);
            mesh.primitives.push_back(prim);
        }
        int index = -2;  // a mesh with nothing to draw: remember, never draw
        if (!mesh.primitives.empty()) {
            index = int(out_.meshes.size());
            out_.meshes.push_back(std::move(mesh));
        }
        mesh_index_[gltf_mesh] = index;
        return index;
    }

    Primitive convert_primitive(const tinygltf::Primitive& p, const json* json_primitive) {
        auto attr = [&](const std::string& name) {
            auto it = p.attributes.find(name);
            return it == p.attributes.end() ? -1 : it->second;
        };
        const int pos_acc = attr("POSITION");
        if (pos_acc < 0) r_.bad("a primitive has no POSITION attribute");
        const Reader::View pos = r_.view(pos_acc, "POSITION");
        if (pos.components != 3) r_.bad("POSITION is not a VEC3");
        const size_t n = pos.count;
        if (n > UINT32_MAX) r_.bad("a primitive has more than 2^32 vertices");

        std::vector<Vertex> verts(n);
        for (size_t i = 0; i < n; ++i) {
            verts[i].position = {Reader::component(pos, i, 0), Reader::component(pos, i, 1),
                                 Reader::component(pos, i, 2)};
            verts[i].normal = {0, 0, 1};
            verts[i].uv = {0, 0};
            std::memset(verts[i].color, 255, 4);
        }
        const uint32_t material =
            p.material >= 0 && p.material < int(m_.materials.size()) ? uint32_t(p.material) + 1 : 0;
        const int normal_acc = attr("NORMAL");
        if (normal_acc >= 0) {
            const Reader::View v = read_matching(normal_acc, "NORMAL", n, 3);
            const bool quantized = v.type != TINYGLTF_COMPONENT_TYPE_FLOAT;
            for (size_t i = 0; i < n; ++i) {
                glm::vec3 nrm{Reader::component(v, i, 0), Reader::component(v, i, 1),
                              Reader::component(v, i, 2)};
                // Quantised normals are only nearly unit length.
                const float len = glm::length(nrm);
                verts[i].normal = quantized && len > 0 ? nrm / len : nrm;
            }
        }
        const int uv_set = material_uv_set(material);
        const int uv_acc = attr("TEXCOORD_" + std::to_string(uv_set));
        if (uv_acc >= 0) {
            const Reader::View v = read_matching(uv_acc, "TEXCOORD", n, 2);
            const UvTransform& t = uv_transforms_[material];
            for (size_t i = 0; i < n; ++i) {
                const glm::vec2 uv{Reader::component(v, i, 0), Reader::component(v, i, 1)};
                verts[i].uv = t.identity ? uv : glm::vec2(t.m * glm::dvec3(uv, 1.0));
            }
        }
        const int color_acc = attr("COLOR_0");
        if (color_acc >= 0) {
            const Reader::View v = r_.view(color_acc, "COLOR_0");
            if (v.count != n || (v.components != 3 && v.components != 4))
                r_.bad("COLOR_0 has the wrong size");
            for (size_t i = 0; i < n; ++i)
                for (size_t c = 0; c < 4; ++c) {
                    const float f = c < v.components ? Reader::component(v, i, c) : 1.0f;
                    verts[i].color[c] = static_cast<uint8_t>(std::clamp(f, 0.0f, 1.0f) * 255.0f + 0.5f);
                }
        }

        Primitive prim;
        prim.material = material;
        prim.topology = topology_of(p.mode);
        std::vector<uint32_t> fids = feature_ids(p, json_primitive, n, prim.property_table);

        std::vector<uint32_t> idx;
        const bool indexed = p.indices >= 0;
        if (indexed) {
            idx = r_.indices(p.indices);
            for (uint32_t i : idx)
                if (i >= n) r_.bad("an index points past the end of the vertices");
        } else {
            idx.resize(n);
            for (size_t i = 0; i < n; ++i)
                idx[i] = uint32_t(i);
        }
        idx = to_list(std::move(idx), p.mode);
        if (idx.empty()) return {};  // too few vertices for one element

        if (prim.topology == Topology::triangles && normal_acc < 0) {
            // glTF: without normals, a client computes flat normals - every triangle
            // gets its own three vertices.
            verts = gather(verts, idx);
            if (!fids.empty()) fids = gather(fids, idx);
            for (size_t t = 0; t + 2 < verts.size(); t += 3) {
                Vertex &a = verts[t], &b = verts[t + 1], &c = verts[t + 2];
                glm::vec3 nrm = glm::cross(b.position - a.position, c.position - a.position);
                const float len = glm::length(nrm);
                a.normal = b.normal = c.normal = len > 0 ? nrm / len : glm::vec3(0, 0, 1);
            }
        } else if (indexed) {
            prim.first_index = uint32_t(out_.indices.size());
            prim.index_count = uint32_t(idx.size());
            out_.indices.insert(out_.indices.end(), idx.begin(), idx.end());
        } else if (!is_list(p.mode)) {
            // Non-indexed strips, fans and loops: expand to a list so one pipeline per
            // topology draws everything.
            verts = gather(verts, idx);
            if (!fids.empty()) fids = gather(fids, idx);
        } else {
            verts.resize(idx.size());  // drops an incomplete last line or triangle
            if (!fids.empty()) fids.resize(idx.size());
        }

        prim.first_vertex = uint32_t(out_.vertices.size());
        prim.vertex_count = uint32_t(verts.size());
        for (const Vertex& v : verts)
            prim.bounds.extend(glm::dvec3(v.position));
        if (!fids.empty() || !out_.feature_ids.empty()) {
            // Allocated with the first primitive that has features; earlier ones have none.
            out_.feature_ids.resize(out_.vertices.size(), UINT32_MAX);
            if (fids.empty())
                out_.feature_ids.resize(out_.vertices.size() + verts.size(), UINT32_MAX);
            else
                out_.feature_ids.insert(out_.feature_ids.end(), fids.begin(), fids.end());
        }
        out_.vertices.insert(out_.vertices.end(), verts.begin(), verts.end());
        return prim;
    }

    // Per glTF vertex, the feature ids of the first EXT_mesh_features set (or b3dm's
    // _BATCHID); empty when the primitive has none. Sets `table` to their property table.
    std::vector<uint32_t> feature_ids(const tinygltf::Primitive& p, const json* json_primitive, size_t n,
                                      int32_t& table) {
        const json* ids =
            element(member(member(json_primitive, "extensions", "EXT_mesh_features"), "featureIds"), 0);
        std::optional<uint64_t> null_id;
        int accessor = -1;
        std::vector<uint32_t> out;
        if (ids) {
            null_id = unsigned_value(member(ids, "nullFeatureId"));
            if (const auto t = unsigned_value(member(ids, "propertyTable"))) {
                if (*t < gltf_tables_)
                    table = int32_t(*t);
                else
                    warn_("a primitive's feature ids refer to the missing property table ", *t);
            }
            if (const auto set = unsigned_value(member(ids, "attribute"))) {
                const std::string name = "_FEATURE_ID_" + std::to_string(*set);
                auto it = p.attributes.find(name);
                if (it == p.attributes.end()) {
                    warn_("a primitive's feature ids name the missing attribute ", name);
                    table = -1;
                    return {};
                }
                accessor = it->second;
            } else if (member(ids, "texture")) {
                warn_("feature id textures are not read; a primitive has no feature ids");
                table = -1;
                return {};
            } else {
                out.resize(n);  // implicit: the vertex index is the feature id
                for (size_t i = 0; i < n; ++i)
                    out[i] = uint32_t(i);
            }
        } else if (batch_table_ >= 0) {
            for (const char* name : {"_BATCHID", "BATCHID"})
                if (auto it = p.attributes.find(name); it != p.attributes.end()) accessor = it->second;
            if (accessor < 0) return {};
            table = batch_table_;
        } else {
            return {};
        }
        if (accessor >= 0) {
            const Reader::View v = r_.view(accessor, "a feature id attribute");
            if (v.count != n || v.components != 1)
                r_.bad("a feature id attribute does not match POSITION in count or type");
            out.resize(n);
            for (size_t i = 0; i < n; ++i) {
                const double x = std::round(Reader::raw(v, i, 0));
                out[i] = x >= 0 && x < double(UINT32_MAX) ? uint32_t(x) : UINT32_MAX;
            }
        }
        const uint32_t limit = table >= 0 ? out_.property_tables[table].count : UINT32_MAX;
        for (uint32_t& id : out) {
            if (id == UINT32_MAX) continue;
            if (null_id && id == *null_id) {
                id = UINT32_MAX;
            } else if (id >= limit) {
                ++feature_ids_out_of_range_;
                id = UINT32_MAX;
            }
        }
        return out;
    }

    Reader::View read_matching(int acc, const char* what, size_t count, size_t components) {
        const Reader::View v = r_.view(acc, what);
        if (v.count != count || v.components != components)
            r_.bad(std::string(what) + " does not match POSITION in count or type");
        return v;
    }

    int material_uv_set(uint32_t material) const {
        if (material == 0) return 0;
        const int set = m_.materials[material - 1].pbrMetallicRoughness.baseColorTexture.texCoord;
        const json* transform =
            member(base_color_texture_json(material - 1), "extensions", "KHR_texture_transform");
        return std::max(
            0, int(unsigned_value(member(transform, "texCoord")).value_or(uint64_t(std::max(set, 0)))));
    }

    const json* base_color_texture_json(uint32_t gltf_material) const {
        return member(member(element(member(&doc_, "materials"), gltf_material), "pbrMetallicRoughness"),
                      "baseColorTexture");
    }

    UvTransform uv_transform(uint32_t gltf_material) const {
        const json* t = member(base_color_texture_json(gltf_material), "extensions", "KHR_texture_transform");
        UvTransform out;
        if (!t) return out;
        auto num = [&](const char* key, size_t i, double fallback) {
            return number_value(element(member(t, key), i)).value_or(fallback);
        };
        const double r = number_value(member(t, "rotation")).value_or(0.0);
        const glm::dmat3 translation(1, 0, 0, 0, 1, 0, num("offset", 0, 0), num("offset", 1, 0), 1);
        const glm::dmat3 rotation(std::cos(r), std::sin(r), 0, -std::sin(r), std::cos(r), 0, 0, 0, 1);
        const glm::dmat3 scale(num("scale", 0, 1), 0, 0, 0, num("scale", 1, 1), 0, 0, 0, 1);
        out.m = translation * rotation * scale;
        out.identity = false;
        return out;
    }

    void convert_images() {
        for (const auto& img : m_.images) {
            TextureImage t{img.name, img.width, img.height, {}};
            const size_t pixels = size_t(std::max(img.width, 0)) * size_t(std::max(img.height, 0));
            const size_t bytes = (img.bits == 16 ? 2 : 1) * size_t(std::max(img.component, 0));
            const bool usable = pixels > 0 && (img.bits == 8 || img.bits == 16) && img.component >= 1 &&
                                img.component <= 4 && img.image.size() == pixels * bytes;
            if (!usable) {
                warn_("image '", img.name.empty() ? img.uri : img.name,
                      "' could not be decoded; drawing without it");
                t.width = t.height = 0;
            } else {
                // To RGBA8: grey expands to RGB, a missing alpha is opaque, 16-bit keeps
                // its high byte (little-endian, as tinygltf stores it).
                t.rgba.resize(pixels * 4);
                const size_t hi = img.bits == 16 ? 1 : 0;
                for (size_t i = 0; i < pixels; ++i) {
                    const uint8_t* p = &img.image[i * bytes];
                    const auto at = [&](int c) { return p[c * (img.bits / 8) + hi]; };
                    const bool grey = img.component <= 2;
                    uint8_t* o = &t.rgba[i * 4];
                    o[0] = at(0);
                    o[1] = grey ? at(0) : at(1);
                    o[2] = grey ? at(0) : at(2);
                    o[3] = img.component == 2 ? at(1) : img.component == 4 ? at(3) : 255;
                }
            }
            out_.images.push_back(std::move(t));
        }
        for (const auto& tex : m_.textures) {
            Texture t;
            if (tex.source < 0 || tex.source >= int(out_.images.size()) ||
                out_.images[tex.source].width == 0) {
                out_.textures.push_back({UINT32_MAX, {}});
                continue;
            }
            t.image = uint32_t(tex.source);
            if (tex.sampler >= 0 && tex.sampler < int(m_.samplers.size())) {
                const auto& s = m_.samplers[tex.sampler];
                if (s.magFilter > 0) t.sampler.mag_filter = s.magFilter;
                if (s.minFilter > 0) t.sampler.min_filter = s.minFilter;
                t.sampler.wrap_s = s.wrapS;
                t.sampler.wrap_t = s.wrapT;
            }
            out_.textures.push_back(t);
        }
    }

    void convert_materials() {
        out_.materials.push_back({"default", glm::vec4(1.0f), -1, false});
        uv_transforms_.emplace_back();
        for (size_t i = 0; i < m_.materials.size(); ++i) {
            const auto& gm = m_.materials[i];
            Material mat;
            mat.name = gm.name;
            const auto& f = gm.pbrMetallicRoughness.baseColorFactor;
            if (f.size() == 4) mat.base_color = glm::vec4(f[0], f[1], f[2], f[3]);
            const int tex = gm.pbrMetallicRoughness.baseColorTexture.index;
            if (tex >= 0 && tex < int(out_.textures.size()) && out_.textures[tex].image != UINT32_MAX)
                mat.base_color_texture = tex;
            mat.double_sided = gm.doubleSided;
            out_.materials.push_back(mat);
            uv_transforms_.push_back(uv_transform(uint32_t(i)));
        }
    }

    const tinygltf::Model& m_;
    const json& doc_;
    Reader r_;
    const LoadOptions& options_;
    const Warnings& warn_;
    Model& out_;
    std::vector<int> mesh_index_;
    std::vector<UvTransform> uv_transforms_;  // per Model material
    size_t gltf_tables_ = 0;                  // property tables from EXT_structural_metadata
    int32_t batch_table_ = -1;
    size_t feature_ids_out_of_range_ = 0;
    std::vector<bool> visited_;  // per glTF node
    size_t shared_nodes_ = 0;
};

Model load(std::span<const uint8_t> bytes, const std::string& file, const LoadOptions& options) {
    const Warnings warn(file, options.warnings);
    const bool binary = bytes.size() >= 4 && std::memcmp(bytes.data(), "glTF", 4) == 0;
    Glb glb;
    if (binary) {
        glb = split_glb(bytes, file);
        bytes = bytes.first(read_u32(&bytes[8]));  // b3dm pads the glb it holds
    }
    const std::span<const uint8_t> text = binary ? glb.json : bytes;
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        fail("cannot load model '", file, "': it is not glTF (", binary ? "its JSON chunk" : "the file",
             " is not valid JSON)");
    const Prepared prepared = prepare(doc, glb.bin.size(), binary, file);

    std::vector<uint8_t> patched;
    if (prepared.changed) {
        const std::string dumped = doc.dump(-1, ' ', false, json::error_handler_t::replace);
        patched = binary ? make_glb(dumped, glb.bin) : std::vector<uint8_t>(dumped.begin(), dumped.end());
        bytes = patched;
    }
    if (bytes.size() > UINT32_MAX) fail("cannot load model '", file, "': it is larger than 4 GiB");

    tinygltf::TinyGLTF loader;
    FileAccess access{&options.fetch, &prepared.external_uris};
    loader.SetFsCallbacks({&fs_exists, &fs_expand, &fs_read, &fs_write, &access});
    loader.SetImageLoader(&load_image, nullptr);
    tinygltf::Model gltf;
    std::string err, warnings;
    bool ok = false;
    try {
        const auto size = static_cast<unsigned>(bytes.size());
        ok = binary ? loader.LoadBinaryFromMemory(&gltf, &err, &warnings, bytes.data(), size)
                    : loader.LoadASCIIFromString(&gltf, &err, &warnings,
                                                 reinterpret_cast<const char*>(bytes.data()), size, "");
    } catch (const std::exception& e) {  // tinygltf indexes with at() in places
        err = e.what();
    }
    if (!ok) fail("cannot load model '", file, "': ", err.empty() ? "tinygltf gave no reason" : err);
    while (!warnings.empty() && warnings.back() == '\n')
        warnings.pop_back();
    if (!warnings.empty()) warn(warnings);
    for (const auto& [index, uri] : prepared.image_uris)
        if (index < gltf.images.size()) gltf.images[index].uri = uri;

    decode_meshopt(gltf, doc, file);
    Model model;
    model.name = file;
    Converter(gltf, doc, file, options, warn, model).run();
    return model;
}

}  // namespace

glm::dmat4 y_up_to_z_up() {
    glm::dmat4 m(1.0);
    m[1] = {0, 0, 1, 0};   // glTF +y becomes +z
    m[2] = {0, -1, 0, 0};  // glTF +z becomes -y
    return m;
}

MeshInstance make_instance(uint32_t mesh, const Aabb& mesh_bounds, const glm::dmat4& world) {
    const glm::dmat3 m(world);
    // A degenerate (zero-scale) transform draws nothing visible; keep its normals finite.
    const glm::dmat3 normal = std::abs(glm::determinant(m)) > 1e-300 ? glm::transpose(glm::inverse(m)) : m;
    return {mesh, world, transform_aabb(mesh_bounds, world), glm::mat3(normal)};
}

uint64_t Model::triangle_count() const {
    uint64_t total = 0;
    for (const auto& inst : instances)
        for (const auto& p : meshes[inst.mesh].primitives)
            total += p.triangle_count();
    return total;
}

Model load_model(const std::filesystem::path& path, const LoadOptions& options) {
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail("cannot open model '", name, "': the file does not exist");
    if (std::filesystem::is_directory(path, ec))
        fail("cannot open model '", name, "': it is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot open model '", name, "': permission denied or unreadable");
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const bool binary = bytes.size() >= 4 && std::memcmp(bytes.data(), "glTF", 4) == 0;
    if (!binary && path.extension() != ".gltf")
        fail("cannot open model '", name,
             "': it is not a glTF file (expected a .glb starting with 'glTF', or .gltf JSON)");
    if (options.fetch) return load(bytes, name, options);

    // External buffers and images live next to the file.
    LoadOptions with_files = options;
    const std::filesystem::path dir = path.parent_path();
    with_files.fetch = [&dir](const std::string& uri) {
        const std::filesystem::path file = dir / core::percent_decode(uri);
        std::ifstream f(file, std::ios::binary);
        if (!f) fail("cannot read '", file.string(), "': missing or unreadable");
        return std::vector<uint8_t>{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
    };
    return load(bytes, name, with_files);
}

Model load_model_from_glb(std::span<const uint8_t> glb, const std::string& name, const LoadOptions& options) {
    if (glb.size() < 4 || std::memcmp(glb.data(), "glTF", 4) != 0)
        fail("cannot load model '", name, "': it is not a glb (no 'glTF' magic)");
    return load(glb, name, options);
}

Model load_model_from_memory(std::span<const uint8_t> bytes, const std::string& name,
                             const LoadOptions& options) {
    return load(bytes, name, options);
}

}  // namespace zw::render
