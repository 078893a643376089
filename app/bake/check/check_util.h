// Small helpers shared by the tileset and glb checks: column-major 4x4 matrices, 3D Tiles
// boxes and containment with a tolerance, glTF node transforms, and reading numbers out
// of JSON with a sentence per bad entry. Internal to zw_bake_check.
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zw::bake::check {

using nlohmann::json;

// ---- small math: column-major 4x4, boxes ------------------------------------------------

using Vec3 = std::array<double, 3>;

struct Mat4 {
    std::array<double, 16> m{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};  // m[col * 4 + row]
};

inline Mat4 operator*(const Mat4& a, const Mat4& b) {
    Mat4 r;
    for (int c = 0; c < 4; ++c)
        for (int row = 0; row < 4; ++row) {
            double s = 0;
            for (int k = 0; k < 4; ++k)
                s += a.m[k * 4 + row] * b.m[c * 4 + k];
            r.m[c * 4 + row] = s;
        }
    return r;
}

inline Vec3 transform_point(const Mat4& t, const Vec3& p) {
    const auto& m = t.m;
    return {m[0] * p[0] + m[4] * p[1] + m[8] * p[2] + m[12], m[1] * p[0] + m[5] * p[1] + m[9] * p[2] + m[13],
            m[2] * p[0] + m[6] * p[1] + m[10] * p[2] + m[14]};
}

inline Vec3 sub(const Vec3& a, const Vec3& b) {
    return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
inline double dot(const Vec3& a, const Vec3& b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
inline Vec3 cross(const Vec3& a, const Vec3& b) {
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
inline double length(const Vec3& a) {
    return std::sqrt(dot(a, a));
}
inline Vec3 scaled(const Vec3& a, double s) {
    return {a[0] * s, a[1] * s, a[2] * s};
}

// glTF is y-up, 3D Tiles z-up: a glTF point (x, y, z) is the tile-frame point (x, -z, y).
inline Vec3 y_up_to_z_up(const Vec3& p) {
    return {p[0], -p[2], p[1]};
}

// A 3D Tiles box: centre and three half-axes.
struct Box {
    Vec3 center{};
    std::array<Vec3, 3> half{};
};

inline std::array<Vec3, 8> corners(const Box& b) {
    std::array<Vec3, 8> out{};
    for (int i = 0; i < 8; ++i) {
        Vec3 p = b.center;
        for (int a = 0; a < 3; ++a) {
            const double s = (i >> a) & 1 ? 1.0 : -1.0;
            for (int k = 0; k < 3; ++k)
                p[k] += s * b.half[a][k];
        }
        out[static_cast<size_t>(i)] = p;
    }
    return out;
}

// A box ready for containment tests: unit axis directions (a zero half-axis, as in a
// flat tile, gets a direction perpendicular to the others) and the inverse of the
// direction matrix, so that a point's coordinates along the axes are exact distances
// for the usual orthogonal boxes.
struct BoxFrame {
    Vec3 center{};
    std::array<double, 3> half{};
    std::array<Vec3, 3> inv_rows{};  // rows of the inverse of [dir0 dir1 dir2]
};

inline std::optional<BoxFrame> make_frame(const Box& b) {
    BoxFrame f;
    f.center = b.center;
    std::array<Vec3, 3> dir{};
    std::array<bool, 3> zero{};
    for (int a = 0; a < 3; ++a) {
        f.half[a] = length(b.half[a]);
        zero[a] = f.half[a] < 1e-12;
        if (!zero[a]) dir[a] = scaled(b.half[a], 1.0 / f.half[a]);
    }
    const int zeros = zero[0] + zero[1] + zero[2];
    if (zeros == 3) {
        dir = {Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}};
    } else if (zeros == 2) {
        const int a = !zero[0] ? 0 : !zero[1] ? 1 : 2;
        const Vec3 helper = std::abs(dir[a][0]) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
        Vec3 u = cross(dir[a], helper);
        u = scaled(u, 1.0 / length(u));
        dir[(a + 1) % 3] = u;
        dir[(a + 2) % 3] = cross(dir[a], u);
    }
    if (zeros == 1) {
        const int a = zero[0] ? 0 : zero[1] ? 1 : 2;
        const Vec3 c = cross(dir[(a + 1) % 3], dir[(a + 2) % 3]);
        const double l = length(c);
        if (l < 1e-9) return std::nullopt;
        dir[a] = scaled(c, 1.0 / l);
    }
    // Inverse of the matrix with columns dir: rows are cross products over the determinant.
    const double det = dot(dir[0], cross(dir[1], dir[2]));
    if (std::abs(det) < 1e-9) return std::nullopt;
    f.inv_rows = {scaled(cross(dir[1], dir[2]), 1 / det), scaled(cross(dir[2], dir[0]), 1 / det),
                  scaled(cross(dir[0], dir[1]), 1 / det)};
    return f;
}

// How far `p` lies outside the box, in metres along the worst axis (negative: inside).
inline double outside_by(const BoxFrame& f, const Vec3& p) {
    const Vec3 d = sub(p, f.center);
    double worst = -1e300;
    for (int a = 0; a < 3; ++a)
        worst = std::max(worst, std::abs(dot(f.inv_rows[a], d)) - f.half[a]);
    return worst;
}

// "scheme:" at the start, as in RFC 3986 (which also makes "C:/..." a scheme).
inline bool has_scheme(const std::string& uri) {
    if (uri.empty() || !std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
    for (char c : uri) {
        if (c == ':') return true;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
}

inline bool is_colour(const std::string& s) {
    if (s.size() != 7 || s[0] != '#') return false;
    for (size_t i = 1; i < 7; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

inline std::string fmt(double v) {
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

inline bool is_finite_number(const json& j) {
    return j.is_number() && std::isfinite(j.get<double>());
}

inline std::string describe(const json& j) {
    if (j.is_null()) return "null (a NaN or infinity written by a JSON library?)";
    return j.dump();
}

// Reads `count` finite numbers; appends a sentence per bad entry.
inline std::optional<std::vector<double>> finite_numbers(const json& j, size_t count, const std::string& what,
                                                         std::vector<std::string>& problems) {
    if (!j.is_array() || j.size() != count) {
        problems.push_back(what + " is not an array of " + std::to_string(count) + " numbers");
        return std::nullopt;
    }
    std::vector<double> out;
    bool ok = true;
    for (size_t i = 0; i < count; ++i) {
        if (!is_finite_number(j[i])) {
            problems.push_back(what + "[" + std::to_string(i) +
                               "] is not a finite number: " + describe(j[i]));
            ok = false;
        } else {
            out.push_back(j[i].get<double>());
        }
    }
    if (!ok) return std::nullopt;
    return out;
}

inline std::optional<Mat4> read_mat4(const json& j, const std::string& what,
                                     std::vector<std::string>& problems) {
    const auto v = finite_numbers(j, 16, what, problems);
    if (!v) return std::nullopt;
    Mat4 m;
    std::copy(v->begin(), v->end(), m.m.begin());
    return m;
}

// ---- glTF node transforms ----------------------------------------------------------------

inline std::optional<Mat4> node_matrix(const json& node, const std::string& what,
                                       std::vector<std::string>& problems) {
    if (node.contains("matrix")) return read_mat4(node["matrix"], what + ".matrix", problems);
    Mat4 t, r, s;
    if (node.contains("translation")) {
        const auto v = finite_numbers(node["translation"], 3, what + ".translation", problems);
        if (!v) return std::nullopt;
        t.m[12] = (*v)[0], t.m[13] = (*v)[1], t.m[14] = (*v)[2];
    }
    if (node.contains("rotation")) {
        const auto q = finite_numbers(node["rotation"], 4, what + ".rotation", problems);
        if (!q) return std::nullopt;
        const double x = (*q)[0], y = (*q)[1], z = (*q)[2], w = (*q)[3];
        r.m = {1 - 2 * (y * y + z * z),
               2 * (x * y + z * w),
               2 * (x * z - y * w),
               0,
               2 * (x * y - z * w),
               1 - 2 * (x * x + z * z),
               2 * (y * z + x * w),
               0,
               2 * (x * z + y * w),
               2 * (y * z - x * w),
               1 - 2 * (x * x + y * y),
               0,
               0,
               0,
               0,
               1};
    }
    if (node.contains("scale")) {
        const auto v = finite_numbers(node["scale"], 3, what + ".scale", problems);
        if (!v) return std::nullopt;
        s.m[0] = (*v)[0], s.m[5] = (*v)[1], s.m[10] = (*v)[2];
    }
    return t * r * s;
}

inline std::optional<size_t> index_in(const json& j, const json& array) {
    if (!j.is_number_integer() && !j.is_number_unsigned()) return std::nullopt;
    const auto v = j.get<int64_t>();
    if (v < 0 || !array.is_array() || static_cast<size_t>(v) >= array.size()) return std::nullopt;
    return static_cast<size_t>(v);
}

inline const json& member(const json& j, const char* key) {
    static const json empty;
    return (j.is_object() && j.contains(key)) ? j[key] : empty;
}

inline size_t component_size(int component_type) {
    switch (component_type) {
        case 5120:
        case 5121:
            return 1;
        case 5122:
        case 5123:
            return 2;
        case 5125:
        case 5126:
            return 4;
        default:
            return 0;
    }
}

inline size_t component_count(const std::string& type) {
    static const std::map<std::string, size_t> counts{{"SCALAR", 1}, {"VEC2", 2}, {"VEC3", 3}, {"VEC4", 4},
                                                      {"MAT2", 4},   {"MAT3", 9}, {"MAT4", 16}};
    const auto it = counts.find(type);
    return it == counts.end() ? 0 : it->second;
}

}  // namespace zw::bake::check
