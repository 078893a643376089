// Private to the renderer's files (renderer.cpp, gpu_model.cpp, pick_pass.cpp): what
// one model holds on the GPU and the state of one pass over the drawn models. Not part
// of the module's interface.
#pragma once

#include <vector>

#include "engine/gpu/resources.h"
#include "engine/render/frustum.h"
#include "engine/render/renderer.h"

namespace zw::render {

// Everything on the GPU for one Model.
struct GpuModel {
    gpu::Buffer vertices;
    // The second vertex stream: per vertex the EXT_mesh_features id (UINT32_MAX: none).
    // Models without feature ids have none; they bind `vertices` in its place (4 bytes a
    // vertex read from a 36-byte-a-vertex buffer stay inside it) and the shaders ignore
    // it (flags bit 0 clear): no memory spent on terrain and other feature-less content.
    gpu::Buffer feature_ids;
    gpu::Buffer indices;
    // Model::instance_transforms (GPU instancing); none: the renderer's single identity.
    gpu::Buffer instances;
    bool instance_features = false;                 // some copy has a feature id
    VkDescriptorSet instance_set = VK_NULL_HANDLE;  // set 2: `instances`, or the renderer's identity
    std::vector<gpu::Image> images;
    gpu::DescriptorPool pool;
    std::vector<VkDescriptorSet> material_sets;
};

struct Renderer::DrawState {
    Frustum frustum;
    glm::dvec3 eye;
    const Pipelines* pipelines = nullptr;
    bool pick = false;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkDescriptorSet material = VK_NULL_HANDLE;
    std::vector<uint32_t> highlight_rows;  // per property table + 1, for the model being drawn
};

}  // namespace zw::render
