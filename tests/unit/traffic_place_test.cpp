// The traffic's placement math (app/viewer/traffic_place.h): the timeline's time as the
// traffic's, bundle-local positions in the world, SUMO's heading as a direction, and
// which vehicles are culled before they reach the renderer.
#include <gtest/gtest.h>

#include <cmath>

#include "app/viewer/traffic_place.h"
#include "engine/render/camera.h"
#include "engine/scenario/world_grid.h"

namespace zw {
namespace {

using scenario::traffic::VehicleClass;
using scenario::traffic::VehicleInfo;
using scenario::traffic::VehicleState;

// Near the sample town's origin (EPSG:25832, height above sea level) and its geoid.
constexpr glm::dvec3 origin{632000.0, 5497000.0, 300.0};
constexpr double geoid = 47.6;

TEST(TrafficPlace, TimelineTimeIsTrafficTimeAfterTheScenarioBegin) {
    EXPECT_DOUBLE_EQ(viewer::traffic_time(21600, 0), 21600);     // 6:00 at the start
    EXPECT_DOUBLE_EQ(viewer::traffic_time(21600, 5400), 27000);  // 7:30
    EXPECT_DOUBLE_EQ(viewer::traffic_duration(21600, 36000), 14400);
    EXPECT_DOUBLE_EQ(viewer::traffic_duration(36000, 21600), 0) << "end before begin: nothing to play";
}

TEST(TrafficPlace, LocalPositionsLandWhereWorldOfPutsThem) {
    const viewer::TrafficFrame f = viewer::TrafficFrame::at(origin, geoid);
    // Within 1 cm of the exact conversion up to 3 km from the origin, on hills too.
    for (const glm::dvec3 p :
         {glm::dvec3{0, 0, 0}, glm::dvec3{120.5, -40.25, 3}, glm::dvec3{2000, 2000, 25},
          glm::dvec3{-3000, 0, -12}, glm::dvec3{0, -3000, 40}, glm::dvec3{2100, -2100, 0}}) {
        const glm::dvec3 exact = scenario::world_of(origin.x + p.x, origin.y + p.y, origin.z + p.z, geoid);
        EXPECT_LT(glm::length(f.world(p) - exact), 0.01) << p.x << ", " << p.y << ", " << p.z;
    }
}

TEST(TrafficPlace, SumoHeadingTurnsClockwiseFromGridNorth) {
    const viewer::TrafficFrame f = viewer::TrafficFrame::at(origin, geoid);
    const glm::dvec3 east = glm::normalize(f.east), north = glm::normalize(f.north);
    EXPECT_GT(glm::dot(f.forward(0), north), 0.999999);
    EXPECT_GT(glm::dot(f.forward(90), east), 0.999999);
    EXPECT_GT(glm::dot(f.forward(180), -north), 0.999999);
    EXPECT_GT(glm::dot(f.forward(270), -east), 0.999999);
    for (double a : {0.0, 33.0, 145.0, 359.0}) {
        const glm::dvec3 fw = f.forward(a);
        EXPECT_NEAR(glm::length(fw), 1.0, 1e-12);
        EXPECT_NEAR(glm::dot(fw, f.up), 0.0, 1e-12) << "level";
        // Clockwise seen from above: a later angle lies to the right, below up x forward.
        EXPECT_LT(glm::dot(glm::cross(fw, f.forward(a + 10)), f.up), 0.0);
    }
    // Between north and east the direction is sin/cos of the angle: 30 degrees.
    EXPECT_NEAR(glm::dot(f.forward(30), east), 0.5, 1e-6);
}

TEST(TrafficPlace, OnlyVehiclesInTheViewAndWithinTheDistanceAreDrawn) {
    const viewer::TrafficFrame f = viewer::TrafficFrame::at(origin, geoid);
    render::Camera cam;
    cam.set_frame(glm::dmat3(glm::normalize(f.east), glm::normalize(f.north), f.up));
    // At the origin 2 m up, looking north.
    cam.look_at(f.world({0, 0, 2}), f.world({0, 100, 2}));
    viewer::VehicleCulling c;
    c.eye = cam.eye();
    c.view_projection = cam.projection(16.0 / 9.0) * cam.view_rotation();
    c.max_distance_m = 1000;
    const std::vector<VehicleInfo> table = {{"car", VehicleClass::car, 0, 10},
                                            {"fire", VehicleClass::fire_engine, 0, 10},
                                            {"behind", VehicleClass::bus, 0, 10},
                                            {"far", VehicleClass::truck, 0, 10},
                                            {"aside", VehicleClass::van, 0, 10}};
    std::vector<VehicleState> states(5);
    states[0] = {0, {0, 50, 0}, 0, 10};     // ahead
    states[1] = {1, {10, 200, 0}, 90, 10};  // ahead, heading east
    states[2] = {2, {0, -80, 0}, 0, 10};    // behind the eye
    states[3] = {3, {0, 1500, 0}, 0, 10};   // ahead, beyond the distance
    states[4] = {4, {-300, 20, 0}, 0, 10};  // far off to the left (west), outside the view
    std::vector<render::VehicleInstance> out;
    const size_t culled = viewer::place_vehicles(states, table, f, c, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(culled, 3u);
    EXPECT_EQ(out[0].kind, render::VehicleKind::car);
    EXPECT_EQ(out[1].kind, render::VehicleKind::fire_engine);
    EXPECT_LT(glm::length(out[0].position - f.world({0, 50, 0})), 1e-6);
    EXPECT_GT(glm::dot(glm::dvec3(out[1].forward), glm::normalize(f.east)), 0.9999);
    EXPECT_GT(glm::dot(glm::dvec3(out[0].up), f.up), 0.9999);
    // Out is cleared each call; a vehicle number past the table is drawn as `other`.
    const std::vector<VehicleState> unknown = {{7, {0, 50, 0}, 0, 0}};
    viewer::place_vehicles(unknown, table, f, c, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, render::VehicleKind::other);
}

}  // namespace
}  // namespace zw
