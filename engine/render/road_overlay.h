// What a traffic scenario shows on its roads: coloured ribbons laid along the lanes (speed,
// flow or level of service; hatched where a road is closed) and the closures' barriers and
// signs. The caller builds the triangles (the viewer, from the SUMO network); this draws
// them: the ribbons flat-coloured (their colours must read like the legend, so the sun does
// not shade them) and pulled a little towards the eye so that the draped road tiles never
// cover them, the barriers and signs lit like the scene.
//
// The Renderer owns one RoadOverlay (Renderer::road_overlay()) and draws it in the scene
// pass after the opaque meshes, before the vehicles and the sky, depth-tested and written.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <glm/glm.hpp>

namespace zw::gpu {
class Context;
class FrameRing;
struct Frame;
}  // namespace zw::gpu

namespace zw::render {

// One corner of a triangle (shaders/road.vert's vertex, 48 bytes).
struct RoadVertex {
    glm::vec3 position{0.0f};   // world metres relative to the mesh's anchor
    glm::vec3 normal{0, 0, 1};  // unit, world axes
    // Linear rgb; a: how much the sun and sky shade it (0: drawn as given, 1: lit like
    // the scene's meshes).
    glm::vec4 color{1.0f};
    // Stripes: where `stripe_period` > 0, the colour alternates with white every half
    // period of `stripe` (metres, interpolated across the triangle: a coordinate that
    // runs diagonally across a ribbon or board gives diagonal stripes).
    float stripe = 0;
    float stripe_period = 0;
};
static_assert(sizeof(RoadVertex) == 48);

// A triangle list in two parts: ribbons first (drawn flat, pulled towards the eye), then
// the props (barriers and signs, drawn where they stand).
struct RoadMesh {
    glm::dvec3 anchor{0.0};  // world position the vertices are relative to (near them: floats)
    std::vector<RoadVertex> ribbons;
    std::vector<RoadVertex> props;
};

// The road overlay the Renderer draws (see the top of this file). set_mesh only moves the
// mesh in; the next render() copies it into its frame slot's host-visible buffer (once
// per slot and change, so twice per change with two frames in flight) and draws it with
// two calls.
//
// Costs: 48 bytes a vertex per frame slot on the GPU; a change costs one copy per slot. A
// small town's network as ribbons is some 10^5 vertices (5 MB).
class RoadOverlay {
  public:
    RoadOverlay();
    ~RoadOverlay();
    RoadOverlay(const RoadOverlay&) = delete;
    RoadOverlay& operator=(const RoadOverlay&) = delete;

    // The triangles to draw from the next render() on (replacing the previous ones).
    // Each part must hold whole triangles (a multiple of 3 vertices; the rest is not drawn).
    void set_mesh(RoadMesh mesh);
    void clear() { set_mesh({}); }
    const RoadMesh& mesh() const { return mesh_; }
    bool empty() const { return mesh_.ribbons.empty() && mesh_.props.empty(); }
    bool visible = true;

  private:
    friend class Renderer;
    struct Gpu;
    struct DrawArgs {
        gpu::Context* ctx = nullptr;
        VkRenderPass render_pass = VK_NULL_HANDLE;
        VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
        VkPipelineLayout layout = VK_NULL_HANDLE;  // the scene layout, frame set bound at 0
        uint32_t slot = 0;
        glm::dvec3 eye{0.0};
    };
    bool drawable() const { return visible && !empty(); }
    // Before the scene pass: copies a changed mesh into this slot's buffer.
    void prepare(gpu::Context& ctx, gpu::FrameRing& frames, const gpu::Frame& frame);
    // Inside the scene pass. Returns triangles drawn.
    uint64_t draw(VkCommandBuffer cmd, const DrawArgs& args, uint32_t* draw_calls);

    RoadMesh mesh_;
    uint64_t version_ = 0;  // bumped by every set_mesh
    std::unique_ptr<Gpu> gpu_;
};

}  // namespace zw::render
