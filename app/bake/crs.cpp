#include "app/bake/crs.h"

#include <glm/gtc/matrix_inverse.hpp>

#include "engine/geo/utm.h"

namespace zw::bake {

Frame::Frame(double origin_easting, double origin_northing, double origin_height, double undulation_m)
    : easting_(origin_easting),
      northing_(origin_northing),
      height_(origin_height),
      undulation_(undulation_m) {
    origin_ = geo::utm_to_geodetic({easting_, northing_}, geo::epsg25832_zone, height_ + undulation_);
    enu_to_ecef_ = geo::enu_to_ecef(origin_);
    ecef_to_enu_ = glm::affineInverse(enu_to_ecef_);
}

glm::dvec3 Frame::to_enu(const glm::dvec3& local) const {
    const geo::Geodetic g = geo::utm_to_geodetic({easting_ + local.x, northing_ + local.y},
                                                 geo::epsg25832_zone, height_ + local.z + undulation_);
    return glm::dvec3(ecef_to_enu_ * glm::dvec4(geo::geodetic_to_ecef(g), 1.0));
}

glm::dmat3 Frame::rotation_at(const glm::dvec3& local) const {
    const glm::dvec3 p = to_enu(local);
    const glm::dvec3 east = glm::normalize(to_enu(local + glm::dvec3(1, 0, 0)) - p);
    glm::dvec3 up = glm::normalize(to_enu(local + glm::dvec3(0, 0, 1)) - p);
    const glm::dvec3 north = glm::normalize(glm::cross(up, east));
    up = glm::cross(east, north);
    return glm::dmat3(east, north, up);
}

}  // namespace zw::bake
