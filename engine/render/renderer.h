// The forward renderer: a sky pass and the glTF meshes of one Model, drawn relative to
// the eye with per-mesh frustum culling, inside the scene render pass; translucent
// layers after the sky; a highlighted feature; and, only when asked, a pick pass that
// reads the feature id under a pixel back to the CPU.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/gltf/model.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/pick_target.h"
#include "engine/gpu/target.h"
#include "engine/gpu/upload.h"
#include "engine/render/camera.h"
#include "engine/render/picking.h"
#include "engine/render/road_overlay.h"
#include "engine/render/scene_settings.h"
#include "engine/render/vehicles.h"
#include "engine/render/water.h"

namespace zw::render {

struct DrawStats {
    uint32_t draw_calls = 0;
    uint64_t triangles = 0;
    uint32_t meshes_visible = 0;
    uint32_t meshes_culled = 0;
};

// Called inside the overlay render pass (for ImGui).
using OverlayFn = std::function<void(VkCommandBuffer)>;

// A Model's vertex, index and texture data and material descriptors on the GPU.
struct GpuModel;

// One streamed model to draw this frame (a tile content), besides the renderer's own model.
struct DrawModel {
    const gltf::Model* model = nullptr;
    const GpuModel* gpu = nullptr;
    // > 0: drawn that fraction of its distance nearer to the eye (draped on terrain).
    float depth_pull = 0;
    // 1: opaque. Below 1 drawn after the opaque draws and the sky, blended; 0: not drawn.
    float opacity = 1.0f;
    uint32_t layer = UINT32_MAX;       // the streamer's layer index (UINT32_MAX: none)
    const std::string* uri = nullptr;  // the content URI (picking and highlight matching)
};

// What the pick pass found under a pixel; see Renderer::request_pick().
struct PickHit {
    uint32_t x = 0, y = 0;  // the pixel asked for
    bool hit = false;       // a feature was found (at that pixel or within pick_radius of it)
    uint32_t feature = no_feature;
    int32_t table = -1;      // the property table the feature id indexes
    bool own_model = false;  // in the renderer's own model, else in a streamed draw:
    std::string content;     // its DrawModel::uri (copied when the pick was recorded)
    uint32_t layer = UINT32_MAX;
};

class Renderer {
  public:
    Renderer(gpu::Context& ctx, const gpu::RenderPasses& passes);
    ~Renderer();
    Renderer(const Renderer&) = delete;
    Renderer& operator=(const Renderer&) = delete;

    // Uploads `model` (blocking, at load time) and keeps its meshes, instances and
    // materials for drawing; its vertex, index and pixel arrays are released once on
    // the GPU. The previous model's GPU data is freed once no frame in flight uses it.
    void set_model(gltf::Model model, gpu::FrameRing& frames);
    const gltf::Model* model() const { return model_.get(); }

    // Records the upload of `model` into `cmd`, the command buffer `frames` is recording
    // (before its render passes; no waiting). Staging memory is freed with that frame.
    // `gpu_bytes` receives the device memory the result holds.
    std::shared_ptr<GpuModel> upload(const gltf::Model& model, gpu::FrameRing& frames, VkCommandBuffer cmd,
                                     uint64_t* gpu_bytes = nullptr);

    // Streamed models drawn by the next render() after the renderer's own model, in
    // this order (nearest first), each culled per mesh instance.
    std::vector<DrawModel> streamed;

    // Records one whole frame into frames' current command buffer: scene pass (opaque
    // meshes, road overlay, vehicles, sky, translucent layers), the pick pass if one was requested, overlay
    // pass, and the readback copy when asked (offscreen targets only).
    DrawStats render(gpu::FrameRing& frames, const gpu::Frame& frame, gpu::RenderTarget& target,
                     size_t output, const Camera& camera, const OverlayFn& overlay = {},
                     bool readback = false);

    SceneSettings settings;

    // Picking: the next render() also draws the pick pass, the region around framebuffer
    // pixel (x, y) with feature ids, and reads it back (nothing in frames without a pick).
    // A request while one is in flight replaces its pixel if not yet recorded, else waits.
    void request_pick(uint32_t x, uint32_t y) { pick_request_ = {x, y}; }
    // The finished pick once the GPU is done with its frame (never waits); nullopt before.
    std::optional<PickHit> take_pick(const gpu::FrameRing& frames);
    bool pick_pending() const { return pick_request_ || pick_in_flight_; }

    // The feature drawn highlighted in every draw that holds it (inactive: none).
    Highlight highlight;

    // The flood's water surface, drawn last in the scene pass (blended, after the
    // translucent layers) when it has a grid, a frame and is visible; never picked.
    Water& water() { return water_; }
    const Water& water() const { return water_; }
    // Road vehicles (traffic), drawn after the opaque meshes and before the sky; never picked.
    Vehicles& vehicles() { return vehicles_; }
    const Vehicles& vehicles() const { return vehicles_; }
    // The traffic's road colours, closures' barriers and signs, drawn after the opaque
    // meshes and before the vehicles; never picked.
    RoadOverlay& road_overlay() { return road_overlay_; }
    const RoadOverlay& road_overlay() const { return road_overlay_; }
    // The extent of the target the last render() drew ({0, 0} before the first): where a
    // caller's split in fractions of the width lies in pixels.
    VkExtent2D extent() const { return last_extent_; }

  private:
    std::shared_ptr<GpuModel> create_gpu_model(const gltf::Model& model, gpu::UploadBatch& upload,
                                               uint64_t* gpu_bytes);
    // The pipelines of one kind of pass, one per primitive kind.
    struct Pipelines {
        gpu::Pipeline mesh, double_sided, line, point;
        VkPipeline for_primitive(const gltf::Primitive& p, const gltf::Material& m) const;
    };
    enum class PassKind { opaque, blended, pick };
    Pipelines make_pipelines(PassKind kind) const;
    DrawModel own_draw() const;  // the renderer's own model as a draw
    struct DrawState;
    void draw_model(VkCommandBuffer cmd, const DrawModel& d, uint32_t draw_number, DrawState& state,
                    DrawStats& stats);
    void write_frame_uniforms(uint32_t slot, const Camera& camera, VkExtent2D extent);
    DrawStats draw_meshes(VkCommandBuffer cmd, uint32_t slot, const Camera& camera, VkExtent2D extent);
    void record_pick(gpu::FrameRing& frames, const gpu::Frame& frame, const Camera& camera,
                     VkExtent2D extent);
    VkSampler sampler_for(const gltf::SamplerDesc& desc);

    gpu::Context& ctx_;
    const gpu::RenderPasses& passes_;
    gpu::DescriptorSetLayout frame_layout_;
    gpu::DescriptorSetLayout material_layout_;
    gpu::DescriptorSetLayout instance_layout_;
    gpu::PipelineLayout pipeline_layout_;
    gpu::Pipeline sky_pipeline_;
    Pipelines opaque_;
    Pipelines blended_;  // made when a layer is first drawn translucent
    Pipelines pick_;     // made with pick_target_ at the first pick
    gpu::DescriptorPool frame_pool_;
    std::vector<gpu::Buffer> frame_uniforms_;  // one per frame in flight
    std::vector<VkDescriptorSet> frame_sets_;
    std::map<std::tuple<int, int, int, int>, gpu::Sampler> samplers_;
    gpu::Image white_;               // bound for materials without a texture
    gpu::Buffer identity_instance_;  // the copies (set 2) of draws that are not instanced
    std::unique_ptr<gltf::Model> model_;
    std::shared_ptr<GpuModel> gpu_model_;

    struct PickInFlight {
        uint64_t frame = 0;  // the frame that recorded it
        uint32_t x = 0, y = 0, width = 0, height = 0;
        // Per draw number - 1 (streamed draws of that frame): content URI and layer.
        std::vector<std::pair<std::string, uint32_t>> draws;
        bool drawn = true;  // false: the pixel was off the screen, nothing was recorded
    };
    std::optional<std::pair<uint32_t, uint32_t>> pick_request_;
    std::optional<PickInFlight> pick_in_flight_;
    std::unique_ptr<gpu::PickTarget> pick_target_;
    Water water_;
    Vehicles vehicles_;
    RoadOverlay road_overlay_;
    VkExtent2D last_extent_{};
};

}  // namespace zw::render
