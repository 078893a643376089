// Road vehicles drawn as instanced low-poly meshes: one procedural mesh per class (car,
// van, truck, bus, fire engine, other: boxes with a cabin, sized like the real vehicles),
// each class its colour, lit like the rest of the scene. The caller hands over the
// vehicles to draw (already culled to the view: the renderer draws every one it gets).
//
// The Renderer owns one Vehicles (Renderer::vehicles()) and draws it in the scene pass
// right after the opaque meshes, before the sky, depth-tested and written like them.
#pragma once

#include <vulkan/vulkan.h>

#include <array>
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

// What a vehicle is drawn as (the same order as scenario::traffic::VehicleClass).
enum class VehicleKind : uint8_t { car, van, truck, bus, fire_engine, other };
inline constexpr uint32_t vehicle_kind_count = 6;

// Length, width, height in metres of each kind's mesh, in VehicleKind's order.
inline constexpr std::array<glm::vec3, vehicle_kind_count> vehicle_size_m = {{
    {4.5f, 1.8f, 1.5f},    // car
    {5.5f, 2.0f, 2.4f},    // van
    {10.0f, 2.5f, 3.5f},   // truck
    {12.0f, 2.55f, 3.1f},  // bus
    {9.0f, 2.5f, 3.2f},    // fire engine
    {4.0f, 1.8f, 1.6f},    // other
}};

// One vehicle to draw. Its mesh's origin is the middle of its front bumper on the road
// (where SUMO puts a vehicle's position); the body reaches `length` back along -forward.
struct VehicleInstance {
    glm::dvec3 position{0.0};    // world coordinates (doubles: made eye-relative when drawn)
    glm::vec3 forward{1, 0, 0};  // unit, world axes: where the vehicle heads
    glm::vec3 up{0, 0, 1};       // unit, world axes: the local up (the mesh's roof side)
    VehicleKind kind = VehicleKind::car;
};

// The vehicles the Renderer draws (see the top of this file). set_instances only copies;
// the next Renderer::render() writes them, relative to the eye, into its frame slot's
// host-visible buffer (48 bytes a vehicle) and draws one instanced call per kind present.
//
// Costs: set_instances O(n) (a copy, grouped by kind); each render O(n) to write the
// buffer; the GPU draws n x (at most 72) triangles. Static mesh data: a few KiB.
class Vehicles {
  public:
    Vehicles();
    ~Vehicles();
    Vehicles(const Vehicles&) = delete;
    Vehicles& operator=(const Vehicles&) = delete;

    // The vehicles to draw from the next render() on (replacing the previous ones).
    // Instances of a kind beyond VehicleKind::other are drawn as `other`.
    void set_instances(std::span<const VehicleInstance> vehicles);
    size_t size() const { return instances_.size(); }
    bool visible = true;

    // A | B compare (as render::Water's split): the vehicles of scenario B, drawn right of
    // split_x while those of set_instances() (A) are drawn left of it, each side cut at the
    // line by the scissor. With split_x < 0, B's are not drawn and A's fill the width.
    void set_instances_b(std::span<const VehicleInstance> vehicles);
    size_t size_b() const { return instances_.size() - first_[vehicle_kind_count]; }
    float split_x = -1;  // framebuffer x (pixels) where side B begins; < 0: only side A

  private:
    friend class Renderer;
    struct Gpu;
    struct DrawArgs {
        gpu::Context* ctx = nullptr;
        VkRenderPass render_pass = VK_NULL_HANDLE;
        VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
        VkPipelineLayout layout = VK_NULL_HANDLE;  // the scene layout, frame set bound at 0
        uint32_t slot = 0;
        VkExtent2D extent{};  // the target's: the full-width scissor, and the split's
    };
    bool drawable() const { return visible && !instances_.empty(); }
    // Before the scene pass: the mesh (once) and this slot's instances, relative to `eye`.
    void prepare(gpu::Context& ctx, gpu::FrameRing& frames, const gpu::Frame& frame, const glm::dvec3& eye);
    // Inside the scene pass. Returns triangles drawn.
    uint64_t draw(VkCommandBuffer cmd, const DrawArgs& args, uint32_t* draw_calls);

    // Side A's instances grouped by kind, in kind order, then side B's the same way.
    std::vector<VehicleInstance> instances_;
    std::array<uint32_t, vehicle_kind_count + 1> first_{};    // A's kind k: [first_[k], first_[k + 1])
    std::array<uint32_t, vehicle_kind_count + 1> first_b_{};  // B's kind k, in instances_ too
    // Appends `vehicles` grouped by kind to instances_, their ranges into `first`.
    void group(std::span<const VehicleInstance> vehicles,
               std::array<uint32_t, vehicle_kind_count + 1>& first);
    std::unique_ptr<Gpu> gpu_;
};

}  // namespace zw::render
