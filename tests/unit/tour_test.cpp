// Tours (engine/twin/tour): the file format and the camera flight between two views.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "engine/core/error.h"
#include "engine/twin/tour.h"

namespace {

using zw::twin::CameraFlight;
using zw::twin::parse_tour;
using zw::twin::plan_flight;
using zw::twin::SurfaceGrid;
using zw::twin::Tour;
using zw::twin::tour_json;
using zw::twin::TourView;

std::string tour_with_view(const std::string& view) {
    return R"({"format": "zwilling-tour", "format_version": 1, "views": [)" + view + "]}";
}

// The message parse_tour throws for `text`, "" when it parses.
std::string error_of(const std::string& text) {
    try {
        parse_tour(text, "t.json");
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "";
}

TEST(Tour, ReadsEveryFieldOfAView) {
    const Tour t = parse_tour(R"({"format": "zwilling-tour", "format_version": 1, "id": "rundgang",
        "title_de": "Rundgang", "title_en": "Walk", "views": [
        {"id": "markt", "title_de": "Markt", "caption_de": "Der Marktplatz", "caption_en": "The square",
         "eye": [10, -200, 80], "target": [0, 0, 0], "flight_s": 5, "dwell_s": 8,
         "layers": ["terrain", "buildings"], "flood": "hq100", "flood_compare": null, "flood_split": 0.4,
         "traffic": "", "time_s": 9000, "play": true},
        {"eye": [1, 2, 3], "target": [4, 5, 6]}]})",
                              "t.json");
    ASSERT_EQ(t.views.size(), 2u);
    EXPECT_EQ(t.id, "rundgang");
    const TourView& v = t.views[0];
    EXPECT_EQ(v.caption_en, "The square");
    EXPECT_EQ(v.eye, glm::dvec3(10, -200, 80));
    EXPECT_EQ(v.flight_s, 5.0);
    EXPECT_EQ(v.dwell_s, 8.0);
    EXPECT_EQ(v.layers, (std::vector<std::string>{"terrain", "buildings"}));
    EXPECT_EQ(v.flood, "hq100");
    EXPECT_EQ(v.flood_compare, "");  // null: none shown
    EXPECT_EQ(v.traffic, "");
    EXPECT_FALSE(v.traffic_b);  // absent: as it is
    EXPECT_EQ(v.time_s, 9000.0);
    EXPECT_TRUE(v.play);
    // Defaults of the second view.
    EXPECT_FALSE(t.views[1].flight_s);
    EXPECT_EQ(t.views[1].dwell_s, 6.0);
    EXPECT_FALSE(t.views[1].layers);
    EXPECT_FALSE(t.views[1].play);
}

TEST(Tour, WritesWhatItReads) {
    Tour t;
    t.id = "eigene";
    t.title_de = "Eigene Ansichten";
    TourView a;
    a.caption_de = "Brücke über den Seebach — Pegel 1,2 m";
    a.eye = {12.3456, -7.0001, 35.5};
    a.target = {0, 100, 0};
    a.flood = "hq100-baseline";
    a.flood_compare = "";
    a.time_s = 5400;
    a.layers = std::vector<std::string>{"terrain"};
    TourView b;
    b.eye = {1, 1, 1};
    b.target = {2, 2, 2};
    b.flight_s = 2.5;
    b.play = true;
    t.views = {a, b};
    Tour back = parse_tour(tour_json(t), "written");
    EXPECT_NEAR(back.views[0].eye.x, 12.346, 1e-9);  // to the millimetre
    back.views[0].eye.x = a.eye.x;
    back.views[0].eye.y = a.eye.y;
    EXPECT_EQ(back, t);
}

// The class of broken files: each is refused with the field it concerns and what to do.
TEST(Tour, RefusesBrokenFilesNamingTheField) {
    const struct {
        std::string text, says;
    } cases[] = {
        {"", "is not JSON"},
        {"[1, 2]", "must be a JSON object"},
        {R"({"format": "zwilling-flood-scenario", "format_version": 1, "views": []})", "format must be"},
        {R"({"format": "zwilling-tour", "format_version": 2, "views": []})", "format_version must be 1"},
        {R"({"format": "zwilling-tour", "format_version": 1})", "views must be a list of at least one"},
        {R"({"format": "zwilling-tour", "format_version": 1, "views": []})", "views must be a list"},
        {tour_with_view("3"), "views[0] must be an object"},
        {tour_with_view(R"({"target": [0, 0, 0]})"), "views[0].eye is missing"},
        {tour_with_view(R"({"eye": [0, 0], "target": [0, 0, 0]})"), "views[0].eye must be three numbers"},
        {tour_with_view(R"({"eye": [0, 0, "a"], "target": [0, 0, 0]})"), "views[0].eye must be three"},
        {tour_with_view(R"({"eye": [0, 0, 1e300], "target": [0, 0, 0]})"), "views[0].eye must be three"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [1, 1, 1]})"), "views[0].target is where the eye is"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "dwell_s": -1})"),
         "views[0].dwell_s must be a number from 0 to 3600 seconds"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "flight_s": 0})"), "views[0].flight_s"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "time_s": "9:00"})"), "views[0].time_s"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "flood_split": 2})"), "flood_split"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "flood": 3})"), "views[0].flood must be"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "layers": "buildings"})"),
         "views[0].layers must be a list"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "play": 1})"), "views[0].play must be"},
        {tour_with_view(R"({"eye": [1, 1, 1], "target": [0, 0, 0], "caption_de": 7})"),
         "views[0].caption_de must be a string"},
        {std::string(5000, '[') + std::string(5000, ']'), "nests deeper"},
    };
    for (const auto& c : cases) {
        const std::string e = error_of(c.text);
        EXPECT_NE(e.find("t.json"), std::string::npos) << c.text.substr(0, 100) << ": " << e;
        EXPECT_NE(e.find(c.says), std::string::npos) << c.text.substr(0, 100) << ": " << e;
    }
}

// A flat plain at z = 0 with one block `height` high on x in [-20, 20], all y: a wall
// between the two ends of a flight.
SurfaceGrid plain_with_wall(double height) {
    SurfaceGrid g;
    g.nx = g.ny = 200;
    g.cell_m = 5;
    g.origin = {-497.5, -497.5};
    g.z.assign(size_t(g.nx) * g.ny, 0.0f);
    for (uint32_t r = 0; r < g.ny; ++r)
        for (uint32_t c = 0; c < g.nx; ++c)
            if (std::abs(g.origin.x + c * g.cell_m) <= 20) g.z[size_t(r) * g.nx + c] = float(height);
    return g;
}

TEST(Tour, SurfaceGridFindsTheHighestCellNearAPoint) {
    const SurfaceGrid g = plain_with_wall(30);
    EXPECT_EQ(g.highest_near({0, 0}, 1), 30.0);
    EXPECT_EQ(g.highest_near({-100, 0}, 5), 0.0);
    EXPECT_EQ(g.highest_near({-30, 0}, 12), 30.0);  // the wall's edge cell at -17.5 .. -22.5 is in reach
    EXPECT_FALSE(g.highest_near({2000, 0}, 5));     // off the grid
    // A turned grid (grid convergence): the same plain turned by 2 degrees.
    SurfaceGrid t = g;
    const double a = 2.0 * 3.14159265358979 / 180.0;
    t.east = {std::cos(a), std::sin(a)};
    t.north = {-std::sin(a), std::cos(a)};
    t.origin = t.east * g.origin.x + t.north * g.origin.y;
    EXPECT_EQ(t.highest_near(t.north * 300.0, 1), 30.0);  // along the turned wall
    EXPECT_EQ(t.highest_near(t.east * 100.0 + t.north * 300.0, 1), 0.0);
}

TEST(Tour, FlightStartsAndEndsAtTheViewsAtRest) {
    const glm::dvec3 e0(-300, -50, 1.7), t0(-300, 50, 1.7), e1(400, 200, 120), t1(0, 0, 0);
    const CameraFlight f = plan_flight(e0, t0, e1, t1, std::nullopt, nullptr);
    EXPECT_GE(f.duration_s, 3.0);
    EXPECT_LE(f.duration_s, 14.0);
    EXPECT_LT(glm::length(f.at(0).eye - e0), 1e-9);
    EXPECT_LT(glm::length(f.at(0).target - t0), 1e-9);
    EXPECT_LT(glm::length(f.at(f.duration_s).eye - e1), 1e-9);
    EXPECT_LT(glm::length(f.at(f.duration_s).target - t1), 1e-9);
    EXPECT_LT(glm::length(f.at(-1).eye - e0), 1e-9);  // clamped
    const double dt = 1.0 / 60.0;
    // No jumps: at 60 frames a second no frame moves the eye more than 2.5x the mean step
    // (eased twice, the peak speed is 2.25x the mean), and the step changes smoothly from
    // one frame to the next (by less than 5 % of the longest).
    double longest = 0, path = 0, last = 0, change = 0;
    for (double t = dt; t <= f.duration_s + 1e-9; t += dt) {
        const double step = glm::length(f.at(t).eye - f.at(t - dt).eye);
        longest = std::max(longest, step);
        change = std::max(change, std::abs(step - last));
        last = step;
        path += step;
    }
    EXPECT_LT(longest, 2.5 * path / (f.duration_s / dt));
    EXPECT_LT(change, 0.05 * longest);
    // At rest at both ends: the first and last frames move the eye by less than 1 % of the
    // mean step.
    const double mean = path / (f.duration_s / dt);
    EXPECT_LT(glm::length(f.at(dt).eye - e0), 0.01 * mean);
    EXPECT_LT(glm::length(f.at(f.duration_s - dt).eye - e1), 0.01 * mean);
    EXPECT_EQ(plan_flight(e0, t0, e1, t1, 4.5, nullptr).duration_s, 4.5);
}

TEST(Tour, FlightClimbsOverAWallBetweenItsEnds) {
    for (const double height : {0.0, 25.0, 80.0}) {
        const SurfaceGrid g = plain_with_wall(height);
        // Street level on either side of the wall, looking along the street.
        const glm::dvec3 e0(-150, 0, 1.7), e1(150, 30, 1.7);
        const CameraFlight f =
            plan_flight(e0, e0 + glm::dvec3(0, 100, 0), e1, e1 + glm::dvec3(0, 100, 0), std::nullopt, &g);
        double lowest = std::numeric_limits<double>::infinity();
        for (int i = 1; i < 1000; ++i) {
            const glm::dvec3 p = f.at(f.duration_s * i / 1000.0).eye;
            if (glm::length(glm::dvec2(p - e0)) < g.cell_m || glm::length(glm::dvec2(p - e1)) < g.cell_m)
                continue;  // the ends are where the views put them
            lowest = std::min(lowest, p.z - *g.highest_near(glm::dvec2(p), 0));
        }
        EXPECT_GE(lowest, zw::twin::flight_clearance_m - 0.5) << "wall " << height << " m";
        // And no higher than it needs: the arc of a flight this long (a fifth of 300 m), or
        // what the wall asks for at the middle (3/4 of the lift is reached there) with room.
        EXPECT_LT(f.lift_m, std::max(0.2 * 302, 1.5 * (height + zw::twin::flight_clearance_m) / 0.75))
            << height;
    }
}

TEST(Tour, FlightAboveTheSurfaceWithoutWallsKeepsItsArc) {
    const SurfaceGrid g = plain_with_wall(0);
    const glm::dvec3 e0(-400, -400, 300), e1(400, 400, 300);
    const CameraFlight with = plan_flight(e0, {0, 0, 0}, e1, {0, 0, 0}, std::nullopt, &g);
    const CameraFlight without = plan_flight(e0, {0, 0, 0}, e1, {0, 0, 0}, std::nullopt, nullptr);
    EXPECT_EQ(with.lift_m, without.lift_m);
    EXPECT_GT(with.lift_m, 0.0);  // long flights climb a little: the town is seen on the way
}

}  // namespace
