// The bake's coordinate frames. Sources are in EPSG:25832 (UTM 32N) with heights
// above sea level; the bake works in a local frame (x = easting - origin easting,
// y = northing - origin northing, z = height - origin height); tiles are written in
// the east-north-up frame at the origin, which the tileset's root transform takes
// to ECEF. Conversions are exact per point (no flat-earth shortcut: 2 km from the
// origin the ellipsoid has dropped 0.3 m below the tangent plane).
#pragma once

#include <glm/glm.hpp>

#include "engine/geo/geo.h"

namespace zw::bake {

class Frame {
  public:
    // `undulation_m`: geoid height, added to heights above sea level for ECEF.
    Frame(double origin_easting, double origin_northing, double origin_height, double undulation_m);

    double origin_easting() const { return easting_; }
    double origin_northing() const { return northing_; }
    double origin_height() const { return height_; }
    double undulation() const { return undulation_; }
    const geo::Geodetic& origin_geodetic() const { return origin_; }  // ellipsoidal height
    const glm::dmat4& enu_to_ecef() const { return enu_to_ecef_; }

    // Bake-local point to the east-north-up frame at the origin.
    glm::dvec3 to_enu(const glm::dvec3& local) const;
    // The rotation that takes bake-local directions near `local` to ENU directions
    // (grid convergence: about 1.4 degrees at Weisendorf).
    glm::dmat3 rotation_at(const glm::dvec3& local) const;

  private:
    double easting_, northing_, height_, undulation_;
    geo::Geodetic origin_;
    glm::dmat4 enu_to_ecef_;
    glm::dmat4 ecef_to_enu_;
};

}  // namespace zw::bake
