#include "engine/render/vehicles.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/pipeline.h"

namespace zw::render {
namespace {

// shaders/vehicles.vert's vertex: the mesh in the vehicle's frame (x forward from the
// front bumper, y left, z up from the road), its normal and linear colour.
struct MeshVertex {
    glm::vec3 position;
    glm::vec3 normal;
    glm::vec3 color;
};

// shaders/vehicles.vert's per-instance stream.
struct GpuInstance {
    glm::vec4 offset;   // xyz: position minus the eye
    glm::vec4 forward;  // xyz: unit heading
    glm::vec4 up;       // xyz: unit up
};
static_assert(sizeof(GpuInstance) == 48);

// Linear colours.
constexpr glm::vec3 glass{0.04f, 0.06f, 0.09f};
constexpr glm::vec3 tyres{0.03f, 0.03f, 0.03f};
constexpr std::array<glm::vec3, vehicle_kind_count> body_color = {{
    {0.30f, 0.40f, 0.62f},  // car: blue-grey
    {0.78f, 0.78f, 0.76f},  // van: white
    {0.75f, 0.50f, 0.12f},  // truck: ochre load box
    {0.85f, 0.66f, 0.05f},  // bus: yellow
    {0.80f, 0.03f, 0.02f},  // fire engine: red
    {0.16f, 0.36f, 0.18f},  // other (tractors, bicycles): green, unlike the grey road
}};
constexpr glm::vec3 truck_cab{0.10f, 0.16f, 0.40f};
constexpr glm::vec3 beacon{0.10f, 0.25f, 0.95f};

// An axis-aligned box as 12 triangles with outward normals.
void box(std::vector<MeshVertex>& out, glm::vec3 lo, glm::vec3 hi, glm::vec3 color) {
    const glm::vec3 c[8] = {{lo.x, lo.y, lo.z}, {hi.x, lo.y, lo.z}, {hi.x, hi.y, lo.z}, {lo.x, hi.y, lo.z},
                            {lo.x, lo.y, hi.z}, {hi.x, lo.y, hi.z}, {hi.x, hi.y, hi.z}, {lo.x, hi.y, hi.z}};
    struct Face {
        int a, b, cc, d;
        glm::vec3 n;
    };
    const Face faces[6] = {{0, 3, 2, 1, {0, 0, -1}}, {4, 5, 6, 7, {0, 0, 1}}, {0, 1, 5, 4, {0, -1, 0}},
                           {2, 3, 7, 6, {0, 1, 0}},  {1, 2, 6, 5, {1, 0, 0}}, {3, 0, 4, 7, {-1, 0, 0}}};
    for (const Face& f : faces)
        for (int i : {f.a, f.b, f.cc, f.cc, f.d, f.a})
            out.push_back({c[i], f.n, color});
}

// The mesh of one kind: an underbody with the wheels, the body and a cabin or window band.
void vehicle_mesh(std::vector<MeshVertex>& out, VehicleKind kind) {
    const glm::vec3 s = vehicle_size_m[size_t(kind)];
    const float l = s.x, w = s.y * 0.5f, h = s.z;
    const glm::vec3 body = body_color[size_t(kind)];
    const float wheel_top = std::min(0.35f, h * 0.2f);
    box(out, {-0.92f * l, -0.94f * w, 0.0f}, {-0.06f * l, 0.94f * w, wheel_top}, tyres);
    switch (kind) {
        case VehicleKind::car:
        case VehicleKind::other:
            box(out, {-l, -w, wheel_top}, {0.0f, w, 0.6f * h}, body);
            box(out, {-0.78f * l, -0.9f * w, 0.6f * h}, {-0.3f * l, 0.9f * w, 0.9f * h}, glass);
            box(out, {-0.76f * l, -0.88f * w, 0.9f * h}, {-0.32f * l, 0.88f * w, h}, body);
            break;
        case VehicleKind::van:
            box(out, {-l, -w, wheel_top}, {0.0f, w, 0.5f * h}, body);
            box(out, {-l, -w, 0.5f * h}, {-0.22f * l, w, h}, body);
            box(out, {-0.22f * l, -0.92f * w, 0.5f * h}, {-0.06f * l, 0.92f * w, 0.85f * h}, glass);
            break;
        case VehicleKind::truck:
        case VehicleKind::fire_engine: {
            const glm::vec3 cab = kind == VehicleKind::truck ? truck_cab : body;
            const float cab_l = kind == VehicleKind::truck ? 0.2f : 0.26f;
            box(out, {-cab_l * l, -w, wheel_top}, {0.0f, w, 0.55f * h}, cab);
            box(out, {-cab_l * l, -0.95f * w, 0.55f * h}, {-0.02f * l, 0.95f * w, 0.78f * h}, glass);
            box(out, {-cab_l * l, -w, 0.78f * h}, {-0.02f * l, w, 0.85f * h}, cab);
            box(out, {-l, -w, wheel_top}, {-(cab_l + 0.02f) * l, w, h}, body);
            if (kind == VehicleKind::fire_engine)
                box(out, {-0.7f * cab_l * l, -0.6f * w, 0.85f * h}, {-0.3f * cab_l * l, 0.6f * w, 0.9f * h},
                    beacon);
            break;
        }
        case VehicleKind::bus:
            box(out, {-l, -w, wheel_top}, {0.0f, w, h}, body);
            box(out, {-0.98f * l, -1.01f * w, 0.5f * h}, {0.005f * l, 1.01f * w, 0.85f * h}, glass);
            break;
    }
}

}  // namespace

struct Vehicles::Gpu {
    gpu::Pipeline pipeline;
    gpu::Buffer mesh;  // every kind's triangles, host-visible (a few KiB, written once)
    std::array<uint32_t, vehicle_kind_count + 1> mesh_first{};
    gpu::Buffer slots[gpu::frames_in_flight];  // GpuInstance per vehicle
    uint32_t slot_count[gpu::frames_in_flight] = {};
};

Vehicles::Vehicles() = default;
Vehicles::~Vehicles() = default;

void Vehicles::group(std::span<const VehicleInstance> vehicles,
                     std::array<uint32_t, vehicle_kind_count + 1>& first) {
    // Grouped by kind (a counting sort), so that each kind is one instanced draw.
    std::array<uint32_t, vehicle_kind_count> count{};
    auto kind_of = [](const VehicleInstance& v) {
        return std::min<uint32_t>(uint32_t(v.kind), vehicle_kind_count - 1);
    };
    for (const VehicleInstance& v : vehicles)
        ++count[kind_of(v)];
    first[0] = uint32_t(instances_.size());
    for (uint32_t k = 0; k < vehicle_kind_count; ++k)
        first[k + 1] = first[k] + count[k];
    instances_.resize(instances_.size() + vehicles.size());
    std::array<uint32_t, vehicle_kind_count> next{};
    for (uint32_t k = 0; k < vehicle_kind_count; ++k)
        next[k] = first[k];
    for (const VehicleInstance& v : vehicles) {
        VehicleInstance& dst = instances_[next[kind_of(v)]++];
        dst = v;
        dst.kind = VehicleKind(kind_of(v));
    }
}

void Vehicles::set_instances(std::span<const VehicleInstance> vehicles) {
    // B's instances are kept behind A's.
    const std::vector<VehicleInstance> b(instances_.begin() + first_[vehicle_kind_count], instances_.end());
    instances_.clear();
    group(vehicles, first_);
    group(b, first_b_);
}

void Vehicles::set_instances_b(std::span<const VehicleInstance> vehicles) {
    instances_.resize(first_[vehicle_kind_count]);
    group(vehicles, first_b_);
}

void Vehicles::prepare(gpu::Context& ctx, gpu::FrameRing& frames, const gpu::Frame& frame,
                       const glm::dvec3& eye) {
    if (!drawable()) return;
    if (!gpu_) gpu_ = std::make_unique<Gpu>();
    Gpu& g = *gpu_;
    if (!g.mesh) {
        std::vector<MeshVertex> mesh;
        for (uint32_t k = 0; k < vehicle_kind_count; ++k) {
            g.mesh_first[k] = uint32_t(mesh.size());
            vehicle_mesh(mesh, VehicleKind(k));
        }
        g.mesh_first[vehicle_kind_count] = uint32_t(mesh.size());
        const VkDeviceSize bytes = VkDeviceSize(mesh.size()) * sizeof(MeshVertex);
        g.mesh = gpu::Buffer(ctx, bytes, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, gpu::MemoryUsage::upload,
                             "vehicle meshes");
        std::memcpy(g.mesh.mapped(), mesh.data(), bytes);
    }
    // This slot's previous frame has finished (FrameRing::begin waited for it).
    gpu::Buffer& buf = g.slots[frame.slot];
    const VkDeviceSize bytes = VkDeviceSize(instances_.size()) * sizeof(GpuInstance);
    if (!buf || buf.size() < bytes) {
        if (buf) frames.defer(std::move(buf));
        VkDeviceSize size = 64 * sizeof(GpuInstance);
        while (size < bytes)
            size *= 2;
        buf = gpu::Buffer(ctx, size, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, gpu::MemoryUsage::upload,
                          "vehicle instances slot " + std::to_string(frame.slot));
    }
    auto* out = static_cast<GpuInstance*>(buf.mapped());
    for (const VehicleInstance& v : instances_)
        *out++ = {glm::vec4(glm::vec3(v.position - eye), 0.0f), glm::vec4(v.forward, 0.0f),
                  glm::vec4(v.up, 0.0f)};
    g.slot_count[frame.slot] = uint32_t(instances_.size());
}

uint64_t Vehicles::draw(VkCommandBuffer cmd, const DrawArgs& a, uint32_t* draw_calls) {
    if (!drawable() || !gpu_ || !gpu_->mesh) return 0;
    Gpu& g = *gpu_;
    if (g.slot_count[a.slot] != instances_.size()) return 0;  // not prepared for this slot
    if (!g.pipeline) {
        gpu::GraphicsPipelineDesc d;
        d.vertex_shader = "vehicles.vert";
        d.fragment_shader = "vehicles.frag";
        d.layout = a.layout;
        d.render_pass = a.render_pass;
        d.samples = a.samples;
        d.bindings = {{0, sizeof(MeshVertex), VK_VERTEX_INPUT_RATE_VERTEX},
                      {1, sizeof(GpuInstance), VK_VERTEX_INPUT_RATE_INSTANCE}};
        d.attributes = {
            {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(MeshVertex, position)},
            {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(MeshVertex, normal)},
            {2, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(MeshVertex, color)},
            {3, 1, VK_FORMAT_R32G32B32_SFLOAT, offsetof(GpuInstance, offset)},
            {4, 1, VK_FORMAT_R32G32B32_SFLOAT, offsetof(GpuInstance, forward)},
            {5, 1, VK_FORMAT_R32G32B32_SFLOAT, offsetof(GpuInstance, up)},
        };
        // Closed boxes: culling would save little, and no winding convention to get wrong.
        d.cull = VK_CULL_MODE_NONE;
        d.depth_test = true;
        d.depth_write = true;
        g.pipeline = gpu::make_graphics_pipeline(*a.ctx, d, "vehicles pipeline");
    }
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, g.pipeline);
    const VkBuffer vbs[2] = {g.mesh.handle(), g.slots[a.slot].handle()};
    const VkDeviceSize offsets[2] = {0, 0};
    vkCmdBindVertexBuffers(cmd, 0, 2, vbs, offsets);
    uint64_t triangles = 0;
    auto draw_side = [&](const std::array<uint32_t, vehicle_kind_count + 1>& first) {
        for (uint32_t k = 0; k < vehicle_kind_count; ++k) {
            const uint32_t n = first[k + 1] - first[k];
            if (n == 0) continue;
            const uint32_t verts = g.mesh_first[k + 1] - g.mesh_first[k];
            vkCmdDraw(cmd, verts, n, g.mesh_first[k], first[k]);
            triangles += uint64_t(verts / 3) * n;
            if (draw_calls) ++*draw_calls;
        }
    };
    const uint32_t width = a.extent.width, height = a.extent.height;
    if (split_x < 0 || width == 0) {
        draw_side(first_);
        return triangles;
    }
    // A left of the split, B right of it; then the full scissor again for what follows.
    const uint32_t x = std::min(width, uint32_t(std::max(0.0f, std::round(split_x))));
    const VkRect2D left{{0, 0}, {x, height}}, right{{int32_t(x), 0}, {width - x, height}},
        full{{0, 0}, {width, height}};
    if (x > 0) {
        vkCmdSetScissor(cmd, 0, 1, &left);
        draw_side(first_);
    }
    if (x < width) {
        vkCmdSetScissor(cmd, 0, 1, &right);
        draw_side(first_b_);
    }
    vkCmdSetScissor(cmd, 0, 1, &full);
    return triangles;
}

}  // namespace zw::render
