// Mesh helpers shared by the model and CityGML importers (not part of the public API).
#pragma once

#include <string>

#include <glm/glm.hpp>

#include "app/bake/feature_layer.h"

namespace zw::bake::import_detail {

// Linear colour factors in [0, 1] (clamped; NaN counts as 0) to sRGB-encoded bytes;
// alpha stays linear.
Rgba8 linear_to_srgb8(double r, double g, double b, double a = 1.0);

// Twice the area of a triangle is below what any real surface has (1e-10 m², or a
// needle whose height is below 1e-8 of its longest edge).
bool is_degenerate(const glm::dvec3& a, const glm::dvec3& b, const glm::dvec3& c);

// The closed axis-aligned box around `mesh` as 12 triangles with face normals, 4
// vertices per face: the top coloured `top`, the bottom `bottom`, the sides `sides`.
// Faces of zero area (a flat mesh) are left out. `mesh` must not be empty.
TriMesh bounding_block(const TriMesh& mesh, Rgba8 sides, Rgba8 top, Rgba8 bottom);

// Area-weighted mean of the mesh's vertex colours (white for an empty mesh).
Rgba8 mean_color(const TriMesh& mesh);

// Drops vertices no triangle uses (after degenerate triangles were skipped).
void drop_unused_vertices(TriMesh& mesh);

// The id a layer gets: `id` or, if empty, `fallback`; an error naming `file` unless it is
// a valid layer id (layer_id_problem in app/bake/bundle.h: lowercase ASCII letters,
// digits, '_', '-', not a name the bundle reserves such as `scenarios`).
std::string checked_layer_id(const std::string& id, const std::string& fallback, const std::string& file);

}  // namespace zw::bake::import_detail
