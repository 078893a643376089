// Geodesy in double precision: WGS84 geodetic <-> ECEF, and local east-north-up frames.
#pragma once

#include <glm/glm.hpp>

namespace zw::geo {

struct Geodetic {
    double lat_deg = 0;
    double lon_deg = 0;
    double height_m = 0;  // above the WGS84 ellipsoid
};

// WGS84 geodetic coordinates to Earth-centred, Earth-fixed metres.
glm::dvec3 geodetic_to_ecef(const Geodetic& g);

// The 4x4 transform from a local east-north-up frame at `g` (x east, y north, z up,
// metres) to ECEF. Column-major, as glTF and 3D Tiles store transforms.
glm::dmat4 enu_to_ecef(const Geodetic& g);

// The east, north and up axes (columns, unit) of the local frame at the ECEF point `p`:
// up is the WGS84 ellipsoid's normal there, east is horizontal (as CesiumJS's
// eastNorthUpToFixedFrame; i3dm EAST_NORTH_UP). At the poles east is +x.
glm::dmat3 enu_axes_at_ecef(const glm::dvec3& p);

// Weisendorf, the reference town (market square, ~300 m a.s.l.).
inline constexpr Geodetic weisendorf{49.617, 10.833, 300.0};

}  // namespace zw::geo
