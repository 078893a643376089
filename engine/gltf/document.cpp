// The glTF file as data: the JSON pre-pass (glb chunks, required extensions,
// stand-ins for what tinygltf refuses), tinygltf with our file access, the decoding of
// EXT_meshopt_compression buffer views (Draco primitives: draco.cpp), and
// bounds-checked accessor reads.
#include <charconv>
#include <cstring>

#include <meshoptimizer.h>
#include <stb_image.h>

#include "engine/core/json_depth.h"
#include "engine/gltf/internal.h"

namespace zw::gltf::detail {
namespace {

// Caps on what a hostile file can make us allocate. meshoptimizer's codecs shrink data
// at most ~64 times, so a view that claims more is a decompression bomb.
constexpr uint64_t max_decoded_view_bytes = uint64_t(1) << 30;
constexpr uint64_t max_meshopt_ratio = 1024;
// 64 megapixels (8192 x 8192, 256 MiB as RGBA8): more than any tile texture needs.
constexpr uint64_t max_image_pixels = uint64_t(64) << 20;

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
    if (length < 20)
        broken(file, "its header says it is " + std::to_string(length) + " bytes, shorter than the header");
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
                                        "KHR_texture_transform",   "KHR_materials_unlit",
                                        "EXT_mesh_gpu_instancing", "KHR_draco_mesh_compression"};
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
            fail("model '", file, "' requires the glTF extension ", name,
                 ", which Zwilling does not support");
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
// An image whose header claims more than max_image_pixels is not decoded at all (it
// would take gigabytes, and a few hundred bytes of PNG can claim that): also drawn
// without it, with a warning that says why.
bool load_image(tinygltf::Image* image, int index, std::string* err, std::string* warn, int width, int height,
                const unsigned char* bytes, int size, void*) {
    int w = 0, h = 0, channels = 0;
    if (size > 0 && stbi_info_from_memory(bytes, size, &w, &h, &channels) &&
        uint64_t(w) * uint64_t(h) > max_image_pixels) {
        if (warn)
            *warn += "image " + std::to_string(index) + " is " + std::to_string(w) + "x" + std::to_string(h) +
                     " pixels, more than the " + std::to_string(max_image_pixels >> 20) +
                     " megapixels a texture may have; drawing without it (scale it down)\n";
        image->image.clear();
        image->width = image->height = 0;
        return true;
    }
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

}  // namespace

// ---- Accessors ----------------------------------------------------------------------

Reader::View Reader::view(int index, const std::string& what) const {
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
    const bool view_fits = bv.byteOffset <= buffer.size() && bv.byteLength <= buffer.size() - bv.byteOffset;
    const bool accessor_fits =
        a.count == 0 || (a.byteOffset <= bv.byteLength && element <= bv.byteLength - a.byteOffset &&
                         a.count - 1 <= (bv.byteLength - a.byteOffset - element) / v.stride);
    if (v.stride < element) bad(what + " has a byteStride smaller than one element");
    if (!view_fits || !accessor_fits) bad(what + " reads past the end of its buffer (truncated file?)");
    v.data = buffer.data() + bv.byteOffset + a.byteOffset;
    return v;
}

std::vector<uint32_t> Reader::indices(int index) const {
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

std::span<const uint8_t> Reader::buffer_view(size_t index) const {
    if (index >= m_.bufferViews.size()) return {};
    const tinygltf::BufferView& bv = m_.bufferViews[index];
    if (bv.buffer < 0 || bv.buffer >= int(m_.buffers.size())) return {};
    const auto& buffer = m_.buffers[bv.buffer].data;
    if (bv.byteOffset > buffer.size() || bv.byteLength > buffer.size() - bv.byteOffset) return {};
    return {buffer.data() + bv.byteOffset, bv.byteLength};
}

// ---- The whole file ------------------------------------------------------------------

Document read_document(std::span<const uint8_t> bytes, const std::string& file, const ResourceFetch& fetch,
                       const Warnings& warn) {
    const bool binary = bytes.size() >= 4 && std::memcmp(bytes.data(), "glTF", 4) == 0;
    Glb glb;
    if (binary) {
        glb = split_glb(bytes, file);
        bytes = bytes.first(read_u32(&bytes[8]));  // b3dm pads the glb it holds
    }
    const std::span<const uint8_t> text = binary ? glb.json : bytes;
    Document d;
    json& doc = d.doc;
    // Deep nesting would overflow the stack in copies, dumps and tinygltf: refuse it first.
    if (core::json_nesting_depth(std::string_view(reinterpret_cast<const char*>(text.data()), text.size())) >
        core::max_json_depth)
        broken(file, "its JSON nests more than " + std::to_string(core::max_json_depth) + " levels deep");
    doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        fail("cannot load model '", file, "': it is not glTF (", binary ? "its JSON chunk" : "the file",
             " is not valid JSON)");
    Prepared prepared = prepare(doc, glb.bin.size(), binary, file);
    prepared.changed = prepare_draco(doc) || prepared.changed;

    std::vector<uint8_t> patched;
    if (prepared.changed) {
        const std::string dumped = doc.dump(-1, ' ', false, json::error_handler_t::replace);
        patched = binary ? make_glb(dumped, glb.bin) : std::vector<uint8_t>(dumped.begin(), dumped.end());
        bytes = patched;
    }
    if (bytes.size() > UINT32_MAX) fail("cannot load model '", file, "': it is larger than 4 GiB");

    tinygltf::TinyGLTF loader;
    FileAccess access{&fetch, &prepared.external_uris};
    loader.SetFsCallbacks({&fs_exists, &fs_expand, &fs_read, &fs_write, &access});
    loader.SetImageLoader(&load_image, nullptr);
    tinygltf::Model& gltf = d.gltf;
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
    decode_draco(gltf, doc, file);
    return d;
}

}  // namespace zw::gltf::detail
