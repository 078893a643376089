#include "engine/render/road_overlay.h"

#include <cstring>
#include <string>

#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/pipeline.h"

namespace zw::render {
namespace {

// Reverse Z scale towards the eye (like DrawModel::depth_pull): more than the draped
// layers' 0.004, so that the road tiles, which follow the terrain more coarsely than the
// SUMO network, never cover a ribbon, and less than the water's 0.006, so that a flooded
// road's ribbon lies under the water.
constexpr float ribbon_depth_pull = 0.005f;

// shaders/road.vert's push block.
struct RoadPush {
    glm::vec4 offset;  // xyz: anchor minus eye; w: depth pull
};
static_assert(sizeof(RoadPush) <= 128);

}  // namespace

struct RoadOverlay::Gpu {
    gpu::Pipeline pipeline;
    gpu::Buffer slots[gpu::frames_in_flight];  // ribbons, then props
    uint64_t slot_version[gpu::frames_in_flight] = {};
};

RoadOverlay::RoadOverlay() = default;
RoadOverlay::~RoadOverlay() = default;

void RoadOverlay::set_mesh(RoadMesh mesh) {
    mesh_ = std::move(mesh);
    ++version_;
}

void RoadOverlay::prepare(gpu::Context& ctx, gpu::FrameRing& frames, const gpu::Frame& frame) {
    if (!drawable()) return;
    if (!gpu_) gpu_ = std::make_unique<Gpu>();
    Gpu& g = *gpu_;
    if (g.slot_version[frame.slot] == version_) return;
    // This slot's previous frame has finished (FrameRing::begin waited for it).
    gpu::Buffer& buf = g.slots[frame.slot];
    const size_t ribbons = mesh_.ribbons.size(), props = mesh_.props.size();
    const VkDeviceSize bytes = VkDeviceSize(ribbons + props) * sizeof(RoadVertex);
    if (!buf || buf.size() < bytes) {
        if (buf) frames.defer(std::move(buf));
        VkDeviceSize size = 1024 * sizeof(RoadVertex);
        while (size < bytes)
            size *= 2;
        buf = gpu::Buffer(ctx, size, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, gpu::MemoryUsage::upload,
                          "road overlay slot " + std::to_string(frame.slot));
    }
    auto* out = static_cast<RoadVertex*>(buf.mapped());
    if (ribbons) std::memcpy(out, mesh_.ribbons.data(), ribbons * sizeof(RoadVertex));
    if (props) std::memcpy(out + ribbons, mesh_.props.data(), props * sizeof(RoadVertex));
    g.slot_version[frame.slot] = version_;
}

uint64_t RoadOverlay::draw(VkCommandBuffer cmd, const DrawArgs& a, uint32_t* draw_calls) {
    if (!drawable() || !gpu_) return 0;
    Gpu& g = *gpu_;
    if (g.slot_version[a.slot] != version_) return 0;  // not prepared for this slot
    if (!g.pipeline) {
        gpu::GraphicsPipelineDesc d;
        d.vertex_shader = "road.vert";
        d.fragment_shader = "road.frag";
        d.layout = a.layout;
        d.render_pass = a.render_pass;
        d.samples = a.samples;
        d.bindings = {{0, sizeof(RoadVertex), VK_VERTEX_INPUT_RATE_VERTEX}};
        d.attributes = {
            {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(RoadVertex, position)},
            {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(RoadVertex, normal)},
            {2, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(RoadVertex, color)},
            {3, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(RoadVertex, stripe)},
        };
        // Ribbons are seen from above only and boards from both sides: no culling, and
        // no winding convention for the caller to get wrong.
        d.cull = VK_CULL_MODE_NONE;
        d.depth_test = true;
        d.depth_write = true;
        g.pipeline = gpu::make_graphics_pipeline(*a.ctx, d, "road overlay pipeline");
    }
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, g.pipeline);
    const VkBuffer vb = g.slots[a.slot].handle();
    const VkDeviceSize offset = 0;
    vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &offset);
    const glm::vec3 rel(mesh_.anchor - a.eye);
    uint64_t triangles = 0;
    auto part = [&](uint32_t first, size_t count, float pull) {
        const uint32_t n = uint32_t(count / 3 * 3);
        if (n == 0) return;
        const RoadPush push{glm::vec4(rel, pull)};
        vkCmdPushConstants(cmd, a.layout, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                           sizeof(push), &push);
        vkCmdDraw(cmd, n, 1, first, 0);
        triangles += n / 3;
        if (draw_calls) ++*draw_calls;
    };
    part(0, mesh_.ribbons.size(), ribbon_depth_pull);
    part(uint32_t(mesh_.ribbons.size()), mesh_.props.size(), 0.0f);
    return triangles;
}

}  // namespace zw::render
