// Road vehicles (render::Vehicles) on the Vulkan device, validation on: trajectories
// written with the engine's TrajectoryWriter (one vehicle of each class in a row, and a
// car heading east), read back at a time between two samples, placed by the viewer's
// traffic math at the sample town's place in the world (ECEF: eye-relative precision),
// and drawn over a grey ground plane seen from above. Each check compares with the same
// frame without vehicles at pixels found by projecting the vehicles' roofs, so no golden
// image is needed. With 4x MSAA and without.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "app/viewer/traffic_place.h"
#include "engine/scenario/traffic/trajectories.h"
#include "tests/render/fixture.h"

namespace zw {
namespace {

using test::RenderTest;
namespace traffic = scenario::traffic;

constexpr VkExtent2D size = test::render_size;
// A vehicle's roof moves a pixel by more than this from the grey ground.
constexpr int vehicle_min_change = 20;
// Pixels away from every vehicle stay within this of the frame without them.
constexpr int unchanged_tolerance = 2;

constexpr glm::dvec3 origin{632000.0, 5497000.0, 300.0};  // EPSG:25832 + height above sea level
constexpr double geoid = 47.6;

// The front bumpers of the row (bundle-local metres), one class each, heading north.
constexpr double row_y = 8.0;
double row_x(int k) {
    return -20.0 + 8.0 * k;
}
// The car heading east, its front at (east_x, east_y).
constexpr double east_x = 2.0, east_y = -14.0;

// A grey square of ground (bundle-local) in the world through the traffic frame's axes.
gltf::Model ground_plane(const viewer::TrafficFrame& f) {
    gltf::Model m;
    m.name = "ground plane";
    const float lo = -40, hi = 40;
    for (const glm::vec2 p : {glm::vec2{lo, lo}, glm::vec2{hi, lo}, glm::vec2{hi, hi}, glm::vec2{lo, hi}}) {
        gltf::Vertex v{};
        v.position = {p.x, p.y, 0.0f};
        v.normal = {0, 0, 1};
        v.color[0] = v.color[1] = v.color[2] = v.color[3] = 255;
        m.vertices.push_back(v);
    }
    m.indices = {0, 1, 2, 2, 3, 0};
    gltf::Primitive prim;
    prim.vertex_count = 4;
    prim.index_count = 6;
    for (const gltf::Vertex& v : m.vertices)
        prim.bounds.extend(glm::dvec3(v.position));
    gltf::Mesh mesh;
    mesh.name = "plane";
    mesh.bounds = prim.bounds;
    mesh.primitives.push_back(prim);
    m.meshes.push_back(mesh);
    gltf::Material mat;
    mat.base_color = {0.45f, 0.45f, 0.42f, 1.0f};
    m.materials.push_back(mat);
    glm::dmat4 place(1.0);
    place[0] = glm::dvec4(f.east, 0.0);
    place[1] = glm::dvec4(f.north, 0.0);
    place[2] = glm::dvec4(f.up, 0.0);
    place[3] = glm::dvec4(f.origin_world, 1.0);
    m.instances.push_back(gltf::make_instance(0, mesh.bounds, place));
    m.bounds = m.instances[0].world_bounds;
    return m;
}

render::Camera top_camera(const viewer::TrafficFrame& f) {
    render::Camera c;
    c.set_frame(glm::dmat3(glm::normalize(f.east), glm::normalize(f.north), f.up));
    c.look_at(f.world({0, -22, 62}), f.world({0, -2, 0}));
    return c;
}

glm::ivec2 project(const render::Camera& cam, const glm::dvec3& p) {
    const double aspect = double(size.width) / double(size.height);
    const glm::dvec4 clip = cam.projection(aspect) * cam.view_rotation() * glm::dvec4(p - cam.eye(), 1.0);
    const glm::dvec2 ndc = glm::dvec2(clip) / clip.w;
    return {int(std::floor((ndc.x * 0.5 + 0.5) * size.width)),
            int(std::floor((ndc.y * 0.5 + 0.5) * size.height))};
}

int channel_diff(const core::Image& a, const core::Image& b, glm::ivec2 p) {
    int d = 0;
    for (int ch = 0; ch < 3; ++ch)
        d = std::max(d, std::abs(int(a.pixel(p.x, p.y)[ch]) - int(b.pixel(p.x, p.y)[ch])));
    return d;
}

void keep(const core::Image& image, const std::string& name) {
    std::filesystem::create_directories(ZW_RENDER_OUT_DIR);
    core::write_png(std::filesystem::path(ZW_RENDER_OUT_DIR) / ("vehicles_" + name + ".png"), image);
}

// Writes the trajectories: two sample times 2 s apart; every vehicle moves 2 m along its
// heading between them, so at t = 101 s it is 1 m past its first sample.
std::filesystem::path write_trajectories(const std::filesystem::path& dir) {
    const std::filesystem::path path = dir / "trajectories.zwt";
    traffic::TrajectoryWriter w(path.string(), origin);
    for (int step = 0; step < 2; ++step) {
        w.begin_step(100.0 + 2.0 * step);
        for (int k = 0; k < int(traffic::vehicle_class_count); ++k)
            w.add("v" + std::to_string(k), traffic::VehicleClass(k),
                  origin + glm::dvec3(row_x(k), row_y - 1.0 + 2.0 * step, 0.0), 0.0, 1.0);
        w.add("east", traffic::VehicleClass::car, origin + glm::dvec3(east_x - 1.0 + 2.0 * step, east_y, 0.0),
              90.0, 1.0);
    }
    w.finish();
    return path;
}

class VehiclesTest : public RenderTest {
  protected:
    void SetUp() override {
        RenderTest::SetUp();
        dir_ = std::filesystem::temp_directory_path() /
               ("zw_vehicles_test_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        RenderTest::TearDown();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    // Renders without and with the vehicles at t = 101 s; checks every vehicle's roof and
    // the ground around them.
    void check(const std::string& name) {
        traffic::TrajectoryReader reader = traffic::TrajectoryReader::open(write_trajectories(dir_).string());
        const viewer::TrafficFrame f = viewer::TrafficFrame::at(reader.origin(), geoid);
        const render::Camera cam = top_camera(f);
        renderer->set_model(ground_plane(f), *frames);
        const core::Image empty = render(cam);

        const std::vector<traffic::VehicleState> states = reader.state_at(101.0);
        ASSERT_EQ(states.size(), traffic::vehicle_class_count + 1u);
        viewer::VehicleCulling culling;
        culling.eye = cam.eye();
        culling.view_projection = cam.projection(double(size.width) / size.height) * cam.view_rotation();
        std::vector<render::VehicleInstance> instances;
        ASSERT_EQ(viewer::place_vehicles(states, reader.vehicles(), f, culling, instances), 0u);
        renderer->vehicles().set_instances(instances);
        render::DrawStats stats;
        const core::Image shown = render(cam, &stats);
        keep(shown, name);
        EXPECT_GE(stats.draw_calls, 1u + 1u + 5u) << "ground, sky and one draw per kind present";

        for (int k = 0; k < int(traffic::vehicle_class_count); ++k) {
            const glm::vec3 s = render::vehicle_size_m[size_t(k)];
            // The roof's middle: half a length behind the front bumper, which is at row_y.
            const glm::ivec2 roof = project(cam, f.world({row_x(k), row_y - s.x * 0.5, s.z}));
            ASSERT_TRUE(roof.x >= 2 && roof.y >= 2 && roof.x < int(size.width) - 2 &&
                        roof.y < int(size.height) - 2)
                << "class " << k;
            EXPECT_GT(channel_diff(empty, shown, roof), vehicle_min_change)
                << traffic::vehicle_class_name(traffic::VehicleClass(k)) << " at " << roof.x << "," << roof.y;
            // Nothing 2.5 m in front of the bumper, nor beside the vehicle.
            for (const glm::dvec3 p :
                 {glm::dvec3{row_x(k), row_y + 2.5, 0}, glm::dvec3{row_x(k) + 3.2, row_y - 2, 0}})
                EXPECT_LE(channel_diff(empty, shown, project(cam, f.world(p))), unchanged_tolerance)
                    << traffic::vehicle_class_name(traffic::VehicleClass(k));
        }
        // The fire engine is red.
        const glm::vec3 fs = render::vehicle_size_m[size_t(render::VehicleKind::fire_engine)];
        const glm::ivec2 fire = project(cam, f.world({row_x(4), row_y - fs.x * 0.5, fs.z}));
        const uint8_t* px = shown.pixel(fire.x, fire.y);
        EXPECT_GT(int(px[0]), 2 * int(px[1]) + 10);
        EXPECT_GT(int(px[0]), 2 * int(px[2]) + 10);
        // The car heading east: its body lies west of its front bumper (SUMO's angle 90).
        const glm::vec3 car = render::vehicle_size_m[0];
        EXPECT_GT(channel_diff(empty, shown, project(cam, f.world({east_x - car.x * 0.5, east_y, car.z}))),
                  vehicle_min_change);
        EXPECT_LE(channel_diff(empty, shown, project(cam, f.world({east_x + car.x * 0.5, east_y, 0}))),
                  unchanged_tolerance);

        // None handed over: none drawn, the frame as without vehicles.
        renderer->vehicles().set_instances({});
        const core::Image cleared = render(cam);
        EXPECT_EQ(channel_diff(empty, cleared, project(cam, f.world({row_x(4), row_y - 4.5, 0}))), 0);
    }

    std::filesystem::path dir_;
};

TEST_F(VehiclesTest, EachClassStandsWhereItsTrajectorySaysWithMsaa) {
    check("msaa");
}

TEST_F(VehiclesTest, EachClassStandsWhereItsTrajectorySaysWithoutMsaa) {
    use_samples(VK_SAMPLE_COUNT_1_BIT);
    check("no_msaa");
}

}  // namespace
}  // namespace zw
