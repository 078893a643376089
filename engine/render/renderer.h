// The forward renderer: a sky pass and the glTF meshes of one Model, drawn relative to
// the eye with per-mesh frustum culling, inside the scene render pass.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "engine/gpu/frames.h"
#include "engine/gpu/target.h"
#include "engine/gpu/upload.h"
#include "engine/render/camera.h"
#include "engine/render/model.h"

namespace zw::render {

struct SceneSettings {
    double sun_azimuth_deg = 135;  // clockwise from north, in the camera's local frame
    double sun_elevation_deg = 40;
    float sun_intensity = 1.0f;
    float fog_density = 0.00025f;  // per metre (half the contrast gone after ~2.8 km); 0 disables fog
};

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
    const Model* model = nullptr;
    const GpuModel* gpu = nullptr;
    // > 0: drawn that fraction of its distance nearer to the eye (draped on terrain).
    float depth_pull = 0;
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
    void set_model(Model model, gpu::FrameRing& frames);
    const Model* model() const { return model_.get(); }

    // Records the upload of `model` into `cmd`, the command buffer `frames` is recording
    // (before its render passes; no waiting). Staging memory is freed with that frame.
    // `gpu_bytes` receives the device memory the result holds.
    std::shared_ptr<GpuModel> upload(const Model& model, gpu::FrameRing& frames, VkCommandBuffer cmd,
                                     uint64_t* gpu_bytes = nullptr);

    // Streamed models drawn by the next render() after the renderer's own model, in
    // this order (nearest first), each culled per mesh instance.
    std::vector<DrawModel> streamed;

    // Records one whole frame into frames' current command buffer: scene pass (sky and
    // meshes), overlay pass, and the readback copy when asked (offscreen targets only).
    DrawStats render(gpu::FrameRing& frames, const gpu::Frame& frame, gpu::RenderTarget& target,
                     size_t output, const Camera& camera, const OverlayFn& overlay = {},
                     bool readback = false);

    SceneSettings settings;

  private:
    std::shared_ptr<GpuModel> create_gpu_model(const Model& model, gpu::UploadBatch& upload,
                                               uint64_t* gpu_bytes);
    struct DrawState;
    void draw_model(VkCommandBuffer cmd, const Model& model, const GpuModel& gpu, float depth_pull,
                    DrawState& state, DrawStats& stats);
    void write_frame_uniforms(uint32_t slot, const Camera& camera, VkExtent2D extent);
    DrawStats draw_meshes(VkCommandBuffer cmd, uint32_t slot, const Camera& camera, VkExtent2D extent);
    VkSampler sampler_for(const SamplerDesc& desc);

    gpu::Context& ctx_;
    const gpu::RenderPasses& passes_;
    gpu::DescriptorSetLayout frame_layout_;
    gpu::DescriptorSetLayout material_layout_;
    gpu::PipelineLayout pipeline_layout_;
    gpu::Pipeline sky_pipeline_;
    gpu::Pipeline mesh_pipeline_;
    gpu::Pipeline mesh_double_sided_pipeline_;
    gpu::Pipeline line_pipeline_;
    gpu::Pipeline point_pipeline_;
    gpu::DescriptorPool frame_pool_;
    std::vector<gpu::Buffer> frame_uniforms_;  // one per frame in flight
    std::vector<VkDescriptorSet> frame_sets_;
    std::map<std::tuple<int, int, int, int>, gpu::Sampler> samplers_;
    gpu::Image white_;  // bound for materials without a texture
    std::unique_ptr<Model> model_;
    std::shared_ptr<GpuModel> gpu_model_;
};

}  // namespace zw::render
