#include "app/bake/town_meshes.h"

#include <algorithm>
#include <cmath>

namespace zw::bake {
namespace {

constexpr double pi = 3.14159265358979323846;
using glm::dvec2;
using glm::dvec3;

struct Frame2 {
    dvec2 c, u, v;
    dvec3 at(double a, double b, double z) const { return dvec3(c + u * a + v * b, z); }
};

Frame2 frame_of(const BuildingPart& p) {
    return {p.centre, {std::cos(p.angle), std::sin(p.angle)}, {-std::sin(p.angle), std::cos(p.angle)}};
}

void add_walls(TriMesh& m, const BuildingPart& p, double top) {
    const Frame2 f = frame_of(p);
    const double a = p.length / 2, b = p.width / 2;
    const dvec2 c[4] = {{a, b}, {-a, b}, {-a, -b}, {a, -b}};
    for (int i = 0; i < 4; ++i) {
        const dvec2 p0 = c[i], p1 = c[(i + 1) % 4];
        const dvec2 mid = (p0 + p1) / 2.0;
        const dvec3 out = dvec3(f.u * mid.x + f.v * mid.y, 0);
        add_face(m,
                 {f.at(p0.x, p0.y, p.base), f.at(p1.x, p1.y, p.base), f.at(p1.x, p1.y, top),
                  f.at(p0.x, p0.y, top)},
                 out, p.wall);
    }
}

void add_cylinder(TriMesh& m, const BuildingPart& p) {
    const int n = 24;
    const double r = p.length / 2;
    for (int i = 0; i < n; ++i) {
        const double a0 = 2 * pi * i / n, a1 = 2 * pi * (i + 1) / n;
        const dvec2 d0{std::cos(a0), std::sin(a0)}, d1{std::cos(a1), std::sin(a1)};
        const dvec2 q0 = p.centre + r * d0, q1 = p.centre + r * d1;
        add_face(m, {dvec3(q0, p.base), dvec3(q1, p.base), dvec3(q1, p.eave), dvec3(q0, p.eave)},
                 dvec3((d0 + d1) / 2.0, 0), p.wall);
        // Water surface of the tank, slightly below the rim.
        add_face(m, {dvec3(p.centre, p.eave - 0.3), dvec3(q0, p.eave - 0.3), dvec3(q1, p.eave - 0.3)},
                 {0, 0, 1}, tank_water);
    }
}

}  // namespace

void add_face(TriMesh& m, std::vector<dvec3> pts, const dvec3& outward, Rgba8 color) {
    dvec3 n = glm::cross(pts[1] - pts[0], pts[2] - pts[0]);
    if (pts.size() == 4 && glm::length(n) < 1e-9) n = glm::cross(pts[2] - pts[0], pts[3] - pts[0]);
    if (glm::length(n) < 1e-12) return;  // degenerate
    if (glm::dot(n, outward) < 0) {
        std::reverse(pts.begin(), pts.end());
        n = -n;
    }
    const glm::vec3 nf = glm::normalize(glm::vec3(glm::normalize(n)));
    const auto base = uint32_t(m.positions.size());
    for (const dvec3& p : pts) {
        m.positions.push_back(p);
        m.normals.push_back(nf);
        m.colors.push_back(color);
    }
    for (uint32_t i = 1; i + 1 < pts.size(); ++i) {
        m.indices.insert(m.indices.end(), {base, base + i, base + i + 1});
    }
}

void add_box(TriMesh& m, const dvec3& lo, const dvec3& hi, Rgba8 color) {
    const dvec3 c = (lo + hi) / 2.0;
    auto corner = [&](int i) { return dvec3(i & 1 ? hi.x : lo.x, i & 2 ? hi.y : lo.y, i & 4 ? hi.z : lo.z); };
    const int faces[6][4] = {{0, 1, 3, 2}, {4, 5, 7, 6}, {0, 1, 5, 4},
                             {2, 3, 7, 6}, {0, 2, 6, 4}, {1, 3, 7, 5}};
    for (const auto& f : faces) {
        std::vector<dvec3> pts{corner(f[0]), corner(f[1]), corner(f[2]), corner(f[3])};
        const dvec3 mid = (pts[0] + pts[1] + pts[2] + pts[3]) / 4.0;
        add_face(m, pts, mid - c, color);
    }
}

void add_part(TriMesh& m, const BuildingPart& p) {
    if (p.roof == RoofType::cylinder) return add_cylinder(m, p);
    add_walls(m, p, p.eave);
    const Frame2 f = frame_of(p);
    const double a = p.length / 2, b = p.width / 2;
    auto up_out = [&](double x, double y) { return dvec3(f.u * x + f.v * y, 0) + dvec3(0, 0, 1); };
    switch (p.roof) {
        case RoofType::flat:
            add_face(m, {f.at(a, b, p.eave), f.at(-a, b, p.eave), f.at(-a, -b, p.eave), f.at(a, -b, p.eave)},
                     {0, 0, 1}, p.roof_color);
            break;
        case RoofType::gabled: {
            const dvec3 r0 = f.at(-a, 0, p.ridge), r1 = f.at(a, 0, p.ridge);
            add_face(m, {f.at(-a, b, p.eave), f.at(a, b, p.eave), r1, r0}, up_out(0, 1), p.roof_color);
            add_face(m, {f.at(-a, -b, p.eave), f.at(a, -b, p.eave), r1, r0}, up_out(0, -1), p.roof_color);
            add_face(m, {f.at(a, -b, p.eave), f.at(a, b, p.eave), r1}, dvec3(f.u, 0), p.wall);
            add_face(m, {f.at(-a, -b, p.eave), f.at(-a, b, p.eave), r0}, dvec3(-f.u, 0), p.wall);
            break;
        }
        case RoofType::hipped: {
            const double ra = std::max(a - b, 0.0);
            const dvec3 r0 = f.at(-ra, 0, p.ridge), r1 = f.at(ra, 0, p.ridge);
            if (ra > 0.01) {
                add_face(m, {f.at(-a, b, p.eave), f.at(a, b, p.eave), r1, r0}, up_out(0, 1), p.roof_color);
                add_face(m, {f.at(-a, -b, p.eave), f.at(a, -b, p.eave), r1, r0}, up_out(0, -1), p.roof_color);
            } else {
                add_face(m, {f.at(-a, b, p.eave), f.at(a, b, p.eave), r1}, up_out(0, 1), p.roof_color);
                add_face(m, {f.at(-a, -b, p.eave), f.at(a, -b, p.eave), r1}, up_out(0, -1), p.roof_color);
            }
            add_face(m, {f.at(a, -b, p.eave), f.at(a, b, p.eave), r1}, up_out(1, 0), p.roof_color);
            add_face(m, {f.at(-a, -b, p.eave), f.at(-a, b, p.eave), r0}, up_out(-1, 0), p.roof_color);
            break;
        }
        case RoofType::pyramid: {
            const dvec3 apex = f.at(0, 0, p.ridge);
            const dvec2 c[4] = {{a, b}, {-a, b}, {-a, -b}, {a, -b}};
            for (int i = 0; i < 4; ++i) {
                const dvec2 q0 = c[i], q1 = c[(i + 1) % 4], mid = (q0 + q1) / 2.0;
                add_face(m, {f.at(q0.x, q0.y, p.eave), f.at(q1.x, q1.y, p.eave), apex}, up_out(mid.x, mid.y),
                         p.roof_color);
            }
            break;
        }
        case RoofType::cylinder:
            break;
    }
}

void add_block(TriMesh& m, const BuildingPart& p) {
    BuildingPart block = p;
    if (p.roof == RoofType::gabled || p.roof == RoofType::hipped || p.roof == RoofType::pyramid)
        block.eave = p.eave + 0.5 * (p.ridge - p.eave);
    if (p.roof == RoofType::cylinder) {
        const dvec3 lo(p.centre - dvec2(p.length / 2), p.base), hi(p.centre + dvec2(p.length / 2), p.eave);
        return add_box(m, lo, hi, p.wall);
    }
    block.roof = RoofType::flat;
    add_part(m, block);
}

std::vector<dvec2> resample(const std::vector<dvec2>& pts, double step) {
    std::vector<dvec2> out{pts.front()};
    for (size_t i = 1; i < pts.size(); ++i) {
        const dvec2 a = pts[i - 1], b = pts[i];
        const double len = glm::length(b - a);
        const int n = std::max(1, int(std::ceil(len / step)));
        for (int k = 1; k <= n; ++k)
            out.push_back(a + (b - a) * (double(k) / n));
    }
    return out;
}

void add_tube(TriMesh& m, const std::vector<dvec3>& pts, double r, Rgba8 color) {
    const int sides = 6;
    const auto base = uint32_t(m.positions.size());
    for (size_t i = 0; i < pts.size(); ++i) {
        const dvec3 a = pts[i > 0 ? i - 1 : 0], b = pts[std::min(i + 1, pts.size() - 1)];
        dvec3 t = glm::normalize(b - a);
        dvec3 side = glm::normalize(glm::cross(t, dvec3(0, 0, 1)));
        if (!std::isfinite(side.x)) side = {1, 0, 0};
        const dvec3 up = glm::cross(side, t);
        for (int k = 0; k < sides; ++k) {
            const double ang = 2 * pi * k / sides;
            const dvec3 d = side * std::cos(ang) + up * std::sin(ang);
            m.positions.push_back(pts[i] + d * r);
            m.normals.push_back(glm::normalize(glm::vec3(d)));
            m.colors.push_back(color);
        }
    }
    for (uint32_t i = 0; i + 1 < pts.size(); ++i)
        for (uint32_t k = 0; k < uint32_t(sides); ++k) {
            const uint32_t k1 = (k + 1) % sides;
            const uint32_t a0 = base + i * sides + k, a1 = base + i * sides + k1;
            const uint32_t b0 = a0 + sides, b1 = a1 + sides;
            m.indices.insert(m.indices.end(), {a0, b0, b1, a0, b1, a1});
        }
}

// A tree: a square trunk and a six-sided crown with smooth normals (a cone for
// conifers, a double cone with a wide middle for broadleaves): 30 vertices.
void add_tree(TriMesh& m, const Tree& t) {
    const Rgba8 bark = rgb(0x5a4632);
    const double trunk_top = t.ground + t.height * (t.conifer ? 0.25 : 0.4);
    const double trunk_r = std::max(0.15, t.height * 0.025);
    for (int i = 0; i < 4; ++i) {
        const double a0 = pi / 2 * i, a1 = pi / 2 * (i + 1);
        const dvec2 d0{std::cos(a0), std::sin(a0)}, d1{std::cos(a1), std::sin(a1)};
        const dvec2 q0 = t.position + trunk_r * d0, q1 = t.position + trunk_r * d1;
        add_face(m,
                 {dvec3(q0, t.ground - 0.2), dvec3(q1, t.ground - 0.2), dvec3(q1, trunk_top),
                  dvec3(q0, trunk_top)},
                 dvec3((d0 + d1) / 2.0, 0), bark);
    }
    const int sides = 6;
    const double r = t.crown_radius;
    const double base = t.conifer ? trunk_top - 0.5 : trunk_top;
    const double middle = t.conifer ? base + 0.3 : base + 0.45 * (t.height - (trunk_top - t.ground));
    const auto first = uint32_t(m.positions.size());
    m.positions.push_back(dvec3(t.position, t.ground + t.height));  // top
    m.normals.push_back({0, 0, 1});
    m.colors.push_back(t.crown);
    m.positions.push_back(dvec3(t.position, base));  // bottom
    m.normals.push_back({0, 0, -1});
    m.colors.push_back(shade(t.crown, 0.8));
    // The ring twice: facing up and out for the upper cone, down and out for the lower
    // one (for conifers the underside is nearly flat and must face down).
    const float down = t.conifer ? -3.0f : -0.3f;
    for (float nz : {0.3f, down}) {
        for (int i = 0; i < sides; ++i) {
            const double a = 2 * pi * i / sides;
            const dvec2 d{std::cos(a), std::sin(a)};
            m.positions.push_back(dvec3(t.position + r * d, middle));
            m.normals.push_back(glm::normalize(glm::vec3(float(d.x), float(d.y), nz)));
            m.colors.push_back(nz > 0 ? t.crown : shade(t.crown, 0.8));
        }
    }
    for (uint32_t i = 0; i < uint32_t(sides); ++i) {
        const uint32_t a = first + 2 + i, b = first + 2 + (i + 1) % sides;
        const uint32_t la = a + sides, lb = b + sides;
        m.indices.insert(m.indices.end(), {a, b, first, lb, la, first + 1});
    }
}

}  // namespace zw::bake
