// Universal Transverse Mercator on the GRS80/WGS84 ellipsoid (Krüger series to n^4,
// sub-millimetre inside a zone). EPSG:25832 is ETRS89 / UTM zone 32N.
#pragma once

#include "engine/geo/geo.h"

namespace zw::geo {

struct Utm {
    double easting = 0;   // metres, false easting 500 km included
    double northing = 0;  // metres, northern hemisphere
};

// Latitude/longitude to UTM in `zone` (northern hemisphere). Height passes through.
Utm geodetic_to_utm(double lat_deg, double lon_deg, int zone);
// UTM easting/northing in `zone` (northern hemisphere) back to latitude/longitude.
Geodetic utm_to_geodetic(const Utm& utm, int zone, double height_m = 0);

// EPSG:25832: UTM zone 32N.
inline constexpr int epsg25832_zone = 32;

}  // namespace zw::geo
