#include "tests/render/content_variants.h"

#include <stb_image_write.h>

#include <cstring>
#include <functional>

#include <nlohmann/json.hpp>

#include "tests/tiles/tile_writer.h"

namespace zw::test {
namespace {

using nlohmann::json;

constexpr glm::u8vec3 palette[] = {{230, 30, 30},  {30, 200, 30},  {40, 60, 230},
                                   {230, 210, 30}, {210, 40, 210}, {30, 200, 210}};

struct EncodedImage {
    std::vector<uint8_t> bytes;
    std::string mime = "image/png";
};

void append(std::vector<uint8_t>& out, const void* data, size_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    out.insert(out.end(), p, p + size);
}

void write_to_vector(void* context, void* data, int size) {
    append(*static_cast<std::vector<uint8_t>*>(context), data, size_t(size));
}

// Pixels of `width` x `height` with `channels` channels, the left half `a`, the right `b`
// (grey images take the colour's green channel, alpha is opaque).
std::vector<uint8_t> two_halves(int width, int height, int channels, glm::u8vec3 a, glm::u8vec3 b) {
    std::vector<uint8_t> px(size_t(width) * size_t(height) * size_t(channels));
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const glm::u8vec3 c = x < width / 2 ? a : b;
            uint8_t* p = &px[(size_t(y) * size_t(width) + size_t(x)) * size_t(channels)];
            if (channels <= 2) {
                p[0] = c.g;
                if (channels == 2) p[1] = 255;
            } else {
                p[0] = c.r, p[1] = c.g, p[2] = c.b;
                if (channels == 4) p[3] = 255;
            }
        }
    return px;
}

EncodedImage png(int width, int height, int channels, glm::u8vec3 a, glm::u8vec3 b) {
    const auto px = two_halves(width, height, channels, a, b);
    EncodedImage out;
    stbi_write_png_to_func(&write_to_vector, &out.bytes, width, height, channels, px.data(),
                           width * channels);
    return out;
}

EncodedImage encoded(const char* format, glm::u8vec3 a, glm::u8vec3 b) {
    const auto px = two_halves(8, 4, 3, a, b);
    EncodedImage out;
    const std::string f = format;
    if (f == "jpeg") {
        stbi_write_jpg_to_func(&write_to_vector, &out.bytes, 8, 4, 3, px.data(), 95);
        out.mime = "image/jpeg";
    } else if (f == "bmp") {
        stbi_write_bmp_to_func(&write_to_vector, &out.bytes, 8, 4, 3, px.data());
        out.mime = "image/bmp";
    } else {
        stbi_write_tga_to_func(&write_to_vector, &out.bytes, 8, 4, 3, px.data());
        out.mime = "image/tga";
    }
    return out;
}

// A glb under construction: JSON and one binary buffer that views append to.
struct Glb {
    json doc;
    std::vector<uint8_t> bin;

    Glb() {
        doc["asset"] = {{"version", "2.0"}, {"generator", "zwilling content variants"}};
        for (const char* key : {"buffers", "bufferViews", "accessors", "meshes", "nodes", "materials",
                                "textures", "images", "samplers"})
            doc[key] = json::array();
    }

    int view(const void* data, size_t size) {
        while (bin.size() % 4)
            bin.push_back(0);
        doc["bufferViews"].push_back({{"buffer", 0}, {"byteOffset", bin.size()}, {"byteLength", size}});
        append(bin, data, size);
        return int(doc["bufferViews"].size()) - 1;
    }

    int floats(const std::vector<float>& f, const char* type, int components) {
        json a = {{"bufferView", view(f.data(), f.size() * 4)},
                  {"componentType", 5126},
                  {"count", f.size() / size_t(components)},
                  {"type", type}};
        if (std::string(type) == "VEC3") {
            glm::vec3 lo(1e30f), hi(-1e30f);
            for (size_t i = 0; i < f.size(); i += 3)
                for (int c = 0; c < 3; ++c) {
                    lo[c] = std::min(lo[c], f[i + size_t(c)]);
                    hi[c] = std::max(hi[c], f[i + size_t(c)]);
                }
            a["min"] = {lo.x, lo.y, lo.z};
            a["max"] = {hi.x, hi.y, hi.z};
        }
        doc["accessors"].push_back(a);
        return int(doc["accessors"].size()) - 1;
    }

    int indices(const std::vector<uint16_t>& idx) {
        doc["accessors"].push_back({{"bufferView", view(idx.data(), idx.size() * 2)},
                                    {"componentType", 5123},
                                    {"count", idx.size()},
                                    {"type", "SCALAR"}});
        return int(doc["accessors"].size()) - 1;
    }

    int image(const EncodedImage& img) {
        doc["images"].push_back(
            {{"bufferView", view(img.bytes.data(), img.bytes.size())}, {"mimeType", img.mime}});
        return int(doc["images"].size()) - 1;
    }

    // A unit quad at x0 with material `material` (-1: none), as its own mesh and node.
    void quad(float x0, int material, bool with_uv = true) {
        const std::vector<float> pos = {x0, 0, 0, x0 + 1, 0, 0, x0 + 1, 1, 0, x0, 1, 0};
        const std::vector<float> nrm = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1};
        const std::vector<float> uv = {0, 1, 1, 1, 1, 0, 0, 0};
        json attributes = {{"POSITION", floats(pos, "VEC3", 3)}, {"NORMAL", floats(nrm, "VEC3", 3)}};
        if (with_uv) attributes["TEXCOORD_0"] = floats(uv, "VEC2", 2);
        json prim = {{"attributes", attributes}, {"indices", indices({0, 1, 2, 0, 2, 3})}};
        if (material >= 0) prim["material"] = material;
        doc["meshes"].push_back({{"primitives", json::array({prim})}});
        doc["nodes"].push_back({{"mesh", doc["meshes"].size() - 1}});
    }

    // A material sampling a new texture of image `image` with sampler 0 (made on first use).
    int textured_material(int image, bool transformed = false) {
        if (doc["samplers"].empty())
            doc["samplers"].push_back(
                {{"magFilter", 9728}, {"minFilter", 9728}, {"wrapS", 10497}, {"wrapT", 10497}});
        doc["textures"].push_back({{"source", image}, {"sampler", 0}});
        json tex = {{"index", doc["textures"].size() - 1}};
        if (transformed) {
            tex["extensions"]["KHR_texture_transform"] = {{"offset", {0.5, 0.0}}};
            doc["extensionsUsed"].push_back("KHR_texture_transform");
        }
        doc["materials"].push_back(
            {{"pbrMetallicRoughness", {{"baseColorTexture", tex}, {"metallicFactor", 0.0}}}});
        return int(doc["materials"].size()) - 1;
    }

    std::vector<uint8_t> glb() {
        json d = doc;
        for (auto it = d.begin(); it != d.end();)
            it = it->is_array() && it->empty() ? d.erase(it) : std::next(it);
        d["scene"] = 0;
        json nodes = json::array();
        for (size_t i = 0; i < doc["nodes"].size(); ++i)
            nodes.push_back(i);
        d["scenes"] = json::array({{{"nodes", nodes}}});
        d["buffers"] = json::array({{{"byteLength", bin.size()}}});
        return make_glb(d.dump(), bin);
    }
};

// One quad per image, each with its own textured material.
std::vector<uint8_t> row_of(const std::vector<EncodedImage>& images, const std::vector<int>& transformed = {},
                            const std::function<void(Glb&)>& tweak = {}) {
    Glb g;
    for (size_t i = 0; i < images.size(); ++i) {
        const bool t = std::find(transformed.begin(), transformed.end(), int(i)) != transformed.end();
        g.quad(1.2f * float(i), g.textured_material(g.image(images[i]), t));
    }
    if (tweak) tweak(g);
    return g.glb();
}

}  // namespace

glm::u8vec3 left_colour(int i) {
    return palette[i % 6];
}
glm::u8vec3 right_colour(int i) {
    return palette[(i + 3) % 6];
}

std::vector<uint8_t> make_textured_row_glb(int count, const std::vector<int>& transformed) {
    std::vector<EncodedImage> images;
    for (int i = 0; i < count; ++i)
        images.push_back(png(4, 2, 4, left_colour(i), right_colour(i)));
    return row_of(images, transformed);
}

std::vector<uint8_t> wrap_b3dm(const std::vector<uint8_t>& glb) {
    return make_legacy_tile("b3dm", R"({"BATCH_LENGTH":0})", {}, "", {}, glb);
}

std::vector<uint8_t> make_i3dm(const std::vector<uint8_t>& glb, const std::vector<glm::vec3>& positions,
                               const std::vector<float>& scales, const std::vector<std::string>& names) {
    std::vector<uint8_t> ft_bin;
    append(ft_bin, positions.data(), positions.size() * sizeof(glm::vec3));
    json ft = {{"INSTANCES_LENGTH", positions.size()}, {"POSITION", {{"byteOffset", 0}}}};
    if (!scales.empty()) {
        ft["SCALE"] = {{"byteOffset", ft_bin.size()}};
        append(ft_bin, scales.data(), scales.size() * 4);
    }
    ft["BATCH_ID"] = {{"byteOffset", ft_bin.size()}, {"componentType", "UNSIGNED_INT"}};
    for (uint32_t i = 0; i < positions.size(); ++i)
        append(ft_bin, &i, 4);
    return make_legacy_tile("i3dm", ft.dump(), ft_bin, json{{"name", names}}.dump(), {},
                            glb);  // gltfFormat 1
}

std::vector<uint8_t> make_plain_quad_glb(glm::u8vec3 colour) {
    Glb g;
    g.doc["materials"].push_back(
        {{"pbrMetallicRoughness",
          {{"baseColorFactor", {colour.r / 255.0, colour.g / 255.0, colour.b / 255.0, 1.0}},
           {"metallicFactor", 0.0}}},
         {"doubleSided", true}});
    g.quad(0, 0, false);
    return g.glb();
}

std::vector<uint8_t> make_gpu_instanced_glb(glm::u8vec3 colour) {
    Glb g;
    g.doc["materials"].push_back(
        {{"pbrMetallicRoughness",
          {{"baseColorFactor", {colour.r / 255.0, colour.g / 255.0, colour.b / 255.0, 1.0}},
           {"metallicFactor", 0.0}}},
         {"doubleSided", true}});
    g.quad(0, 0, false);
    const float s45 = 0.38268343f, c45 = 0.92387953f;  // sin, cos of 22.5 degrees
    const int t = g.floats({0, 0, 0, 2, 0, 0, 4, 0, 0, 6, 0.5f, 0}, "VEC3", 3);
    const int r = g.floats({0, 0, 0, 1, 0, 0, 0, 1, 0, 0, s45, c45, 0, 0, 0, 1}, "VEC4", 4);
    const int sc = g.floats({1, 1, 1, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1, 1, 1}, "VEC3", 3);
    g.doc["nodes"][0]["extensions"]["EXT_mesh_gpu_instancing"]["attributes"] = {
        {"TRANSLATION", t}, {"ROTATION", r}, {"SCALE", sc}};
    g.doc["extensionsUsed"] = {"EXT_mesh_gpu_instancing"};
    g.doc["extensionsRequired"] = {"EXT_mesh_gpu_instancing"};
    return g.glb();
}

std::vector<ContentVariant> hostile_content_variants() {
    std::vector<ContentVariant> v;
    const glm::u8vec3 a = palette[0], b = palette[2];

    v.push_back({"two_images", make_textured_row_glb(2), {}});
    v.push_back({"many_images", make_textured_row_glb(40, {3, 7}), {}});
    v.push_back({"textured_b3dm", wrap_b3dm(make_textured_row_glb(3)), {}});
    // Big and odd sizes: a 2048 x 2048 image (16 MiB of pixels and 11 mip levels), a
    // 5000 x 2 strip, a single pixel.
    v.push_back({"large_image", row_of({png(2048, 2048, 4, a, b)}), {}});
    v.push_back({"strip_image", row_of({png(5000, 2, 3, a, b), png(1, 1, 4, a, a)}), {}});
    // A PNG whose header claims 100,000 x 100,000 pixels (40 GB as RGBA).
    {
        EncodedImage huge = png(1, 1, 4, a, a);
        const uint8_t side[4] = {0x00, 0x01, 0x86, 0xA0};  // 100000, big-endian
        std::memcpy(&huge.bytes[16], side, 4);
        std::memcpy(&huge.bytes[20], side, 4);
        v.push_back({"huge_image_claim", row_of({huge, png(4, 2, 4, a, b)}), {}});
    }
    // Every channel count stb reads, and the other formats it decodes.
    v.push_back({"channel_counts", row_of({png(4, 2, 1, a, b), png(4, 2, 2, a, b), png(4, 2, 3, a, b)}), {}});
    v.push_back(
        {"other_formats", row_of({encoded("jpeg", a, b), encoded("bmp", a, b), encoded("tga", a, b)}), {}});
    // Bytes that are no image, and a format nobody here decodes.
    {
        EncodedImage garbage{{'n', 'o', 't', ' ', 'a', ' ', 'p', 'n', 'g'}, "image/png"};
        EncodedImage ktx2{{0xAB, 'K', 'T', 'X', ' ', '2', '0', 0xBB, '\r', '\n', 0x1A, '\n'}, "image/ktx2"};
        v.push_back({"undecodable_images", row_of({garbage, ktx2, png(4, 2, 4, a, b)}), {}});
    }
    // An image in a zero-length buffer view, and an empty accessor.
    v.push_back(
        {"zero_sized_views",
         row_of({png(4, 2, 4, a, b)}, {},
                [](Glb& g) {
                    g.doc["bufferViews"].push_back({{"buffer", 0}, {"byteOffset", 0}, {"byteLength", 0}});
                    g.doc["images"].push_back(
                        {{"bufferView", g.doc["bufferViews"].size() - 1}, {"mimeType", "image/png"}});
                    const int m = g.textured_material(int(g.doc["images"].size()) - 1);
                    g.quad(5, m);
                }),
         {}});
    // Dangling references: a texture's source and sampler, a material's texture and
    // texCoord set, a textured material on a primitive without UVs.
    v.push_back(
        {"dangling_references",
         row_of({png(4, 2, 4, a, b)}, {},
                [](Glb& g) {
                    g.doc["textures"].push_back({{"source", 99}, {"sampler", 77}});
                    g.doc["materials"].push_back(
                        {{"pbrMetallicRoughness", {{"baseColorTexture", {{"index", 1}}}}}});
                    g.quad(3, int(g.doc["materials"].size()) - 1);
                    g.doc["materials"].push_back(
                        {{"pbrMetallicRoughness", {{"baseColorTexture", {{"index", 42}, {"texCoord", 5}}}}}});
                    g.quad(5, int(g.doc["materials"].size()) - 1);
                    g.quad(7, 0, false);
                }),
         {}});
    // GPU instancing: a textured row drawn 30 times by an i3dm; an i3dm without instances.
    {
        std::vector<glm::vec3> positions;
        std::vector<std::string> names;
        for (int i = 0; i < 30; ++i) {
            positions.push_back({float(i % 6) * 3.0f, float(i / 6) * 2.0f, 0.0f});
            names.push_back("copy " + std::to_string(i));
        }
        v.push_back({"instanced_i3dm", make_i3dm(make_textured_row_glb(2), positions, {}, names), {}});
        v.push_back({"empty_i3dm", make_i3dm(make_plain_quad_glb(a), {}, {}, {}), {}});
        v.push_back({"gpu_instanced_glb", make_gpu_instanced_glb(b), {}});
    }
    // glTF JSON with external images: one present, one missing.
    {
        const EncodedImage present = png(4, 2, 4, a, b);
        Glb g;
        g.quad(0, 0);
        g.quad(2, 1);
        g.doc["samplers"].push_back({{"magFilter", 9728}, {"minFilter", 9728}});
        g.doc["images"] = json::array({{{"uri", "present.png"}}, {{"uri", "missing.png"}}});
        g.doc["textures"] = json::array({{{"source", 0}, {"sampler", 0}}, {{"source", 1}, {"sampler", 0}}});
        g.doc["materials"] =
            json::array({{{"pbrMetallicRoughness", {{"baseColorTexture", {{"index", 0}}}}}},
                         {{"pbrMetallicRoughness", {{"baseColorTexture", {{"index", 1}}}}}}});
        json d = g.doc;
        d["buffers"] = json::array({{{"byteLength", g.bin.size()}, {"uri", "quads.bin"}}});
        d["scene"] = 0;
        d["scenes"] = json::array({{{"nodes", {0, 1}}}});
        for (const char* key : {"extensionsUsed"})
            d.erase(key);
        const std::string text = d.dump();
        v.push_back({"external_images",
                     std::vector<uint8_t>(text.begin(), text.end()),
                     {{"present.png", present.bytes}, {"quads.bin", g.bin}}});
    }
    return v;
}

}  // namespace zw::test
