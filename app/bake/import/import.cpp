// What both importers share: the CRS check and the mesh helpers of import_mesh.h.
#include "app/bake/import/import.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "app/bake/bundle.h"
#include "app/bake/import/import_mesh.h"
#include "engine/core/error.h"

namespace zw::bake {

bool is_epsg_25832(const std::string& crs) {
    std::string s;
    s.reserve(crs.size());
    for (char c : crs)
        s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    // The horizontal part is the first EPSG code: "epsg:25832", "epsg::25832",
    // "epsg:6.12:25832" (versioned URN), "epsg/0/25832" (http URI). In a compound CRS
    // the vertical code (e.g. 7837 for DHHN2016) comes after it.
    // The AdV's names for ETRS89 / UTM 32 with DHHN heights, common in German LoD2 data.
    if (s.rfind("urn:adv:crs:etrs89_utm32", 0) == 0) return true;
    const size_t at = s.find("epsg");
    if (at == std::string::npos) return false;
    size_t i = at + 4;
    std::string code;
    while (i < s.size()) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) {
            size_t j = i;
            while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.'))
                ++j;
            const std::string run = s.substr(i, j - i);
            i = j;
            // A version ("6.12", or the "0" of the http form) is followed by another
            // separator and the code; the code ends the part.
            if (i < s.size() && (s[i] == ':' || s[i] == '/') && i + 1 < s.size() &&
                (std::isdigit(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == ':')) {
                continue;
            }
            code = run;
            break;
        }
        if (s[i] != ':' && s[i] != '/') return false;
        ++i;
    }
    return code == "25832";
}

namespace import_detail {

namespace {

uint8_t srgb_byte(double linear) {
    if (!(linear > 0.0)) return 0;  // also NaN
    if (linear >= 1.0) return 255;
    const double s = linear <= 0.0031308 ? 12.92 * linear : 1.055 * std::pow(linear, 1.0 / 2.4) - 0.055;
    return static_cast<uint8_t>(std::lround(s * 255.0));
}

uint8_t linear_byte(double v) {
    if (!(v > 0.0)) return 0;
    if (v >= 1.0) return 255;
    return static_cast<uint8_t>(std::lround(v * 255.0));
}

}  // namespace

Rgba8 linear_to_srgb8(double r, double g, double b, double a) {
    return {srgb_byte(r), srgb_byte(g), srgb_byte(b), linear_byte(a)};
}

bool is_degenerate(const glm::dvec3& a, const glm::dvec3& b, const glm::dvec3& c) {
    const double twice_area = glm::length(glm::cross(b - a, c - a));
    const double longest2 =
        std::max({glm::dot(b - a, b - a), glm::dot(c - b, c - b), glm::dot(a - c, a - c)});
    return !(twice_area > 1e-10) || !(twice_area > 1e-8 * longest2);
}

TriMesh bounding_block(const TriMesh& mesh, Rgba8 sides, Rgba8 top, Rgba8 bottom) {
    glm::dvec3 lo = mesh.positions.front(), hi = mesh.positions.front();
    for (const glm::dvec3& p : mesh.positions) {
        lo = glm::min(lo, p);
        hi = glm::max(hi, p);
    }
    TriMesh box;
    // Each face: its normal and its four corners counter-clockwise seen from outside.
    auto face = [&](glm::vec3 n, Rgba8 color, glm::dvec3 a, glm::dvec3 b, glm::dvec3 c, glm::dvec3 d) {
        if (is_degenerate(a, b, c)) return;
        const auto base = static_cast<uint32_t>(box.positions.size());
        for (const glm::dvec3& p : {a, b, c, d}) {
            box.positions.push_back(p);
            box.normals.push_back(n);
            box.colors.push_back(color);
        }
        for (uint32_t i : {0u, 1u, 2u, 0u, 2u, 3u})
            box.indices.push_back(base + i);
    };
    const double x0 = lo.x, y0 = lo.y, z0 = lo.z, x1 = hi.x, y1 = hi.y, z1 = hi.z;
    face({0, 0, 1}, top, {x0, y0, z1}, {x1, y0, z1}, {x1, y1, z1}, {x0, y1, z1});
    face({0, 0, -1}, bottom, {x0, y0, z0}, {x0, y1, z0}, {x1, y1, z0}, {x1, y0, z0});
    face({1, 0, 0}, sides, {x1, y0, z0}, {x1, y1, z0}, {x1, y1, z1}, {x1, y0, z1});
    face({-1, 0, 0}, sides, {x0, y1, z0}, {x0, y0, z0}, {x0, y0, z1}, {x0, y1, z1});
    face({0, 1, 0}, sides, {x1, y1, z0}, {x0, y1, z0}, {x0, y1, z1}, {x1, y1, z1});
    face({0, -1, 0}, sides, {x0, y0, z0}, {x1, y0, z0}, {x1, y0, z1}, {x0, y0, z1});
    return box;
}

Rgba8 mean_color(const TriMesh& mesh) {
    double sum[4] = {0, 0, 0, 0}, total = 0;
    for (size_t t = 0; t + 2 < mesh.indices.size(); t += 3) {
        const uint32_t i[3] = {mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]};
        const double w = glm::length(glm::cross(mesh.positions[i[1]] - mesh.positions[i[0]],
                                                mesh.positions[i[2]] - mesh.positions[i[0]]));
        for (uint32_t k : i) {
            const Rgba8 c = mesh.colors[k];
            sum[0] += w * c.r;
            sum[1] += w * c.g;
            sum[2] += w * c.b;
            sum[3] += w * c.a;
        }
        total += 3 * w;
    }
    if (!(total > 0)) return {};
    auto byte = [&](int k) {
        return static_cast<uint8_t>(std::clamp(std::lround(sum[k] / total), 0L, 255L));
    };
    return {byte(0), byte(1), byte(2), byte(3)};
}

void drop_unused_vertices(TriMesh& mesh) {
    constexpr uint32_t unused = ~0u;
    std::vector<uint32_t> remap(mesh.positions.size(), unused);
    TriMesh out;
    for (uint32_t& i : mesh.indices) {
        if (remap[i] == unused) {
            remap[i] = static_cast<uint32_t>(out.positions.size());
            out.positions.push_back(mesh.positions[i]);
            out.normals.push_back(mesh.normals[i]);
            out.colors.push_back(mesh.colors[i]);
        }
        i = remap[i];
    }
    out.indices = std::move(mesh.indices);
    mesh = std::move(out);
}

std::string checked_layer_id(const std::string& id, const std::string& fallback, const std::string& file) {
    const std::string out = id.empty() ? fallback : id;
    if (const std::string problem = layer_id_problem(out); !problem.empty())
        fail("import of '", file, "': the layer id '", printable_id(out), "' ", problem,
             " (--layer ID, or layer_id in the recipe's imports)");
    return out;
}

}  // namespace import_detail
}  // namespace zw::bake
