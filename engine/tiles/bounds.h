// Bounding volumes of 3D Tiles in world space, and the math selection needs on them:
// distance from the camera, frustum tests, containment. Pure math, no Vulkan.
//
// Every volume is turned into an oriented box (Obb) in world coordinates (ECEF for
// georeferenced tilesets) when a tileset is parsed: `box` and `sphere` through the
// tile's transform chain, `region` (EPSG:4979 radians and metres, never transformed)
// by enclosing the curved region. Selection only ever sees Obbs plus their spheres.
#pragma once

#include <array>
#include <span>

#include <glm/glm.hpp>

namespace zw::tiles {

// center + half_axes * [-1, 1]^3. The columns of half_axes are the half-axis vectors
// (3D Tiles `box` layout); they need not be orthogonal after a skewing transform, and a
// column may be zero (a flat box).
struct Obb {
    glm::dvec3 center{0.0};
    glm::dmat3 half_axes{1.0};
};

struct Sphere {
    glm::dvec3 center{0.0};
    double radius = 0;
};

// EPSG:4979 region: longitudes and latitudes in radians, heights in metres above the WGS84 ellipsoid.
struct Region {
    double west = 0, south = 0, east = 0, north = 0, min_height = 0, max_height = 0;
};

// A tile's or a content's volume as selection uses it.
struct Bounds {
    Obb box;
    Sphere sphere;  // encloses box (for a `sphere` volume: that sphere, which box encloses)
};

// 3D Tiles `box` (12 numbers) through `transform`.
Bounds bounds_from_box(std::span<const double, 12> box, const glm::dmat4& transform);
// 3D Tiles `sphere` (4 numbers) through `transform`: the centre is transformed and the
// radius scaled by the largest scale factor of the transform's 3x3 part.
Bounds bounds_from_sphere(std::span<const double, 4> sphere, const glm::dmat4& transform);
// A region in ECEF: an Obb aligned with east-north-up at the region's centre that
// encloses the whole region (its curved top and bottom surfaces included).
Bounds bounds_from_region(const Region& region);

// The bounding sphere of an Obb.
Sphere enclosing_sphere(const Obb& box);

// The largest factor by which `transform` scales a length (the largest column norm of
// its 3x3 part). Geometric errors of transformed tiles are scaled by it.
double max_scale(const glm::dmat4& transform);

// Euclidean distance from `p` to the box (0 inside).
double distance(const Obb& box, const glm::dvec3& p);
bool contains(const Obb& box, const glm::dvec3& p);

// Frustum planes as (normal, d) with normal·p + d >= 0 inside, normals pointing inwards.
struct CullingVolume {
    std::array<glm::dvec4, 6> planes{};
    int count = 0;

    // From a Vulkan clip matrix (projection * view, 0 <= z <= w); a degenerate plane
    // (the far plane of an infinite projection) is dropped.
    static CullingVolume from_matrix(const glm::dmat4& view_projection);
    // False only when the box is entirely outside one plane.
    bool visible(const Obb& box) const;
    bool visible(const Sphere& sphere) const;
};

// The eight children of `box` split at its centre along its half axes: index bit 0 is
// the x half, bit 1 the y half, bit 2 the z half (octree); for a quadtree only x and y
// are split (z keeps the full extent) and indices 0..3 are used.
Obb subdivide(const Obb& box, unsigned child_index, bool octree);
Region subdivide(const Region& region, unsigned child_index, bool octree);

}  // namespace zw::tiles
