#include "engine/tiles/bounds.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/geo/geo.h"

namespace zw::tiles {
namespace {

constexpr double pi = std::numbers::pi;

// The longitude span of a region; a region whose west is east of its east crosses
// the antimeridian.
double longitude_span(const Region& r) {
    return r.east >= r.west ? r.east - r.west : r.east - r.west + 2.0 * pi;
}

double wrap_longitude(double lon) {
    return lon > pi ? lon - 2.0 * pi : lon;
}

// Closest point to `b` of { A t : t in R^k } for the k columns in `a`, by the normal
// equations. False when the columns are (nearly) linearly dependent.
bool least_squares(const glm::dvec3* a, int k, const glm::dvec3& b, double* t) {
    if (k == 1) {
        const double aa = glm::dot(a[0], a[0]);
        if (aa <= 0) return false;
        t[0] = glm::dot(a[0], b) / aa;
        return true;
    }
    if (k == 2) {
        const double a00 = glm::dot(a[0], a[0]), a01 = glm::dot(a[0], a[1]), a11 = glm::dot(a[1], a[1]);
        const double det = a00 * a11 - a01 * a01;
        if (det <= 1e-12 * a00 * a11) return false;
        const double b0 = glm::dot(a[0], b), b1 = glm::dot(a[1], b);
        t[0] = (b0 * a11 - b1 * a01) / det;
        t[1] = (b1 * a00 - b0 * a01) / det;
        return true;
    }
    const glm::dmat3 m(a[0], a[1], a[2]);
    const double det = glm::determinant(m);
    const double scale = glm::length(a[0]) * glm::length(a[1]) * glm::length(a[2]);
    if (std::abs(det) <= 1e-9 * scale || scale == 0) return false;
    const glm::dvec3 x = glm::inverse(m) * b;
    t[0] = x.x;
    t[1] = x.y;
    t[2] = x.z;
    return true;
}

// Exact distance from `d` (relative to the centre) to a parallelepiped with any half
// axes: the closest point has some coordinates on a bound (-1 or 1) and the rest free,
// where the free ones solve a least-squares problem. Trying all 27 assignments and
// keeping the best feasible one finds it; an optimum always exists with linearly
// independent free columns, so skipping singular systems loses nothing.
double distance_general(const glm::dmat3& h, const glm::dvec3& d) {
    double best = glm::length(d) + glm::length(h[0]) + glm::length(h[1]) + glm::length(h[2]);
    for (int code = 0; code < 27; ++code) {
        const int state[3] = {code % 3, (code / 3) % 3, code / 9};  // 0 free, 1 at -1, 2 at +1
        glm::dvec3 rest = d;
        glm::dvec3 free_cols[3];
        int k = 0;
        for (int i = 0; i < 3; ++i) {
            if (state[i] == 0) {
                free_cols[k++] = h[i];
            } else {
                rest -= h[i] * (state[i] == 1 ? -1.0 : 1.0);
            }
        }
        double t[3] = {0, 0, 0};
        if (k > 0 && !least_squares(free_cols, k, rest, t)) continue;
        bool feasible = true;
        glm::dvec3 p = rest;
        for (int j = 0; j < k; ++j) {
            if (t[j] < -1.0 - 1e-12 || t[j] > 1.0 + 1e-12) feasible = false;
            p -= free_cols[j] * t[j];
        }
        if (feasible) best = std::min(best, glm::length(p));
    }
    return best;
}

bool is_orthogonal(const glm::dmat3& h) {
    for (int i = 0; i < 3; ++i) {
        for (int j = i + 1; j < 3; ++j) {
            const double scale = glm::length(h[i]) * glm::length(h[j]);
            if (std::abs(glm::dot(h[i], h[j])) > 1e-9 * scale) return false;
        }
    }
    return true;
}

}  // namespace

Sphere enclosing_sphere(const Obb& box) {
    // By symmetry the eight corners lie at four distances from the centre.
    const glm::dvec3 &a = box.half_axes[0], &b = box.half_axes[1], &c = box.half_axes[2];
    const double r = std::max(
        {glm::length(a + b + c), glm::length(a + b - c), glm::length(a - b + c), glm::length(a - b - c)});
    return {box.center, r};
}

double max_scale(const glm::dmat4& transform) {
    return std::max({glm::length(glm::dvec3(transform[0])), glm::length(glm::dvec3(transform[1])),
                     glm::length(glm::dvec3(transform[2]))});
}

Bounds bounds_from_box(std::span<const double, 12> box, const glm::dmat4& transform) {
    const glm::dmat3 linear(transform);
    Bounds out;
    out.box.center = glm::dvec3(transform * glm::dvec4(box[0], box[1], box[2], 1.0));
    for (int i = 0; i < 3; ++i) {
        out.box.half_axes[i] = linear * glm::dvec3(box[3 + 3 * i], box[4 + 3 * i], box[5 + 3 * i]);
    }
    out.sphere = enclosing_sphere(out.box);
    return out;
}

Bounds bounds_from_sphere(std::span<const double, 4> sphere, const glm::dmat4& transform) {
    Bounds out;
    out.sphere.center = glm::dvec3(transform * glm::dvec4(sphere[0], sphere[1], sphere[2], 1.0));
    out.sphere.radius = std::abs(sphere[3]) * max_scale(transform);
    // The world-axis cube around the sphere; the sphere itself stays the tighter volume.
    out.box.center = out.sphere.center;
    out.box.half_axes = glm::dmat3(out.sphere.radius);
    return out;
}

Bounds bounds_from_region(const Region& region) {
    const double span_lon = longitude_span(region);
    const double span_lat = region.north - region.south;
    const double lon_c = wrap_longitude(region.west + 0.5 * span_lon);
    const double lat_c = 0.5 * (region.south + region.north);
    constexpr double deg = 180.0 / pi;
    const glm::dmat4 enu = geo::enu_to_ecef({lat_c * deg, lon_c * deg, 0.0});
    const glm::dmat3 rot(enu);  // orthonormal: its transpose takes ECEF directions to ENU
    const glm::dvec3 origin(enu[3]);

    // Sample the region's top and bottom surfaces on a grid and enclose the samples in
    // ENU. Between samples a surface bends away from them by at most R * h^2 / 8 for a
    // grid step of h radians (the second derivative of a point on the ellipsoid is
    // bounded by its largest radius of curvature), so that is added as padding; a
    // finer grid for larger regions keeps the padding small.
    constexpr double step_max = 0.02;  // radians (~130 km)
    const int n_lon = std::clamp(static_cast<int>(std::ceil(span_lon / step_max)), 4, 128);
    const int n_lat = std::clamp(static_cast<int>(std::ceil(span_lat / step_max)), 4, 128);
    glm::dvec3 lo(1e300), hi(-1e300);
    for (const double h : {region.min_height, region.max_height}) {
        for (int i = 0; i <= n_lon; ++i) {
            const double lon = wrap_longitude(region.west + span_lon * i / n_lon);
            for (int j = 0; j <= n_lat; ++j) {
                const double lat = region.south + span_lat * j / n_lat;
                const glm::dvec3 p = geo::geodetic_to_ecef({lat * deg, lon * deg, h});
                const glm::dvec3 local = glm::transpose(rot) * (p - origin);
                lo = glm::min(lo, local);
                hi = glm::max(hi, local);
            }
        }
    }
    const double radius = 6.4e6 + std::max(std::abs(region.min_height), std::abs(region.max_height));
    const double step_lon = span_lon / n_lon, step_lat = span_lat / n_lat;
    const double pad = radius * (step_lon * step_lon + step_lat * step_lat) / 8.0;
    lo -= glm::dvec3(pad);
    hi += glm::dvec3(pad);

    Bounds out;
    const glm::dvec3 c = 0.5 * (lo + hi), half = 0.5 * (hi - lo);
    out.box.center = origin + rot * c;
    for (int i = 0; i < 3; ++i) {
        out.box.half_axes[i] = rot[i] * half[i];
    }
    out.sphere = enclosing_sphere(out.box);
    return out;
}

double distance(const Obb& box, const glm::dvec3& p) {
    const glm::dvec3 d = p - box.center;
    if (!is_orthogonal(box.half_axes)) return distance_general(box.half_axes, d);
    // Orthogonal axes: clamp the coordinate along each non-zero axis; whatever is left
    // of `d` (including the part across zero-length axes) is the distance vector.
    glm::dvec3 rest = d;
    for (int i = 0; i < 3; ++i) {
        const double len = glm::length(box.half_axes[i]);
        if (len == 0) continue;
        const glm::dvec3 u = box.half_axes[i] / len;
        const double t = std::clamp(glm::dot(d, u), -len, len);
        rest -= u * t;
    }
    return glm::length(rest);
}

bool contains(const Obb& box, const glm::dvec3& p) {
    const double size = std::max(
        {glm::length(box.half_axes[0]), glm::length(box.half_axes[1]), glm::length(box.half_axes[2]), 1.0});
    return distance(box, p) <= 1e-9 * size;
}

CullingVolume CullingVolume::from_matrix(const glm::dmat4& vp) {
    // Gribb-Hartmann: the clip-space inequalities -w <= x <= w, -w <= y <= w and
    // 0 <= z <= w as planes in the space `vp` takes from (glm is column-major).
    const glm::dvec4 row0{vp[0][0], vp[1][0], vp[2][0], vp[3][0]};
    const glm::dvec4 row1{vp[0][1], vp[1][1], vp[2][1], vp[3][1]};
    const glm::dvec4 row2{vp[0][2], vp[1][2], vp[2][2], vp[3][2]};
    const glm::dvec4 row3{vp[0][3], vp[1][3], vp[2][3], vp[3][3]};
    const glm::dvec4 candidates[6] = {row3 + row0, row3 - row0, row3 + row1, row3 - row1, row2, row3 - row2};
    double largest = 0;
    for (const glm::dvec4& c : candidates) {
        largest = std::max(largest, glm::length(glm::dvec3(c)));
    }
    CullingVolume out;
    for (const glm::dvec4& c : candidates) {
        const double len = glm::length(glm::dvec3(c));
        // z >= 0 of an infinite reverse-Z projection has no normal: it holds everywhere.
        if (len <= 1e-12 * largest || len == 0) continue;
        out.planes[out.count++] = c / len;
    }
    return out;
}

bool CullingVolume::visible(const Obb& box) const {
    for (int i = 0; i < count; ++i) {
        const glm::dvec3 n(planes[i]);
        const double r = std::abs(glm::dot(n, box.half_axes[0])) + std::abs(glm::dot(n, box.half_axes[1])) +
                         std::abs(glm::dot(n, box.half_axes[2]));
        if (glm::dot(n, box.center) + planes[i].w < -r) return false;
    }
    return true;
}

bool CullingVolume::visible(const Sphere& sphere) const {
    for (int i = 0; i < count; ++i) {
        if (glm::dot(glm::dvec3(planes[i]), sphere.center) + planes[i].w < -sphere.radius) return false;
    }
    return true;
}

Obb subdivide(const Obb& box, unsigned child_index, bool octree) {
    Obb out;
    out.center = box.center;
    for (int i = 0; i < 3; ++i) {
        if (i == 2 && !octree) {
            out.half_axes[2] = box.half_axes[2];
            continue;
        }
        const bool upper = (child_index >> i) & 1u;
        out.half_axes[i] = box.half_axes[i] * 0.5;
        out.center += box.half_axes[i] * (upper ? 0.5 : -0.5);
    }
    return out;
}

Region subdivide(const Region& region, unsigned child_index, bool octree) {
    Region out = region;
    const double lon_mid = wrap_longitude(region.west + 0.5 * longitude_span(region));
    const double lat_mid = 0.5 * (region.south + region.north);
    if (child_index & 1u) {
        out.west = lon_mid;
    } else {
        out.east = lon_mid;
    }
    if (child_index & 2u) {
        out.south = lat_mid;
    } else {
        out.north = lat_mid;
    }
    if (octree) {
        const double h_mid = 0.5 * (region.min_height + region.max_height);
        if (child_index & 4u) {
            out.min_height = h_mid;
        } else {
            out.max_height = h_mid;
        }
    }
    return out;
}

}  // namespace zw::tiles
