// Graphics pipelines from SPIR-V that glslc compiled at build time (embedded in the
// binary, so the viewer needs no shader files at run time).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "engine/gpu/resources.h"

namespace zw::gpu {

// SPIR-V words of a shader compiled from shaders/NAME (e.g. "mesh.vert").
// Throws zw::Error for an unknown name.
std::span<const uint32_t> shader_code(const std::string& name);

ShaderModule make_shader(const Context& ctx, const std::string& name);

struct GraphicsPipelineDesc {
    std::string vertex_shader;  // names for shader_code()
    std::string fragment_shader;
    std::vector<VkVertexInputBindingDescription> bindings;
    std::vector<VkVertexInputAttributeDescription> attributes;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkRenderPass render_pass = VK_NULL_HANDLE;
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
    VkCullModeFlags cull = VK_CULL_MODE_BACK_BIT;
    VkPrimitiveTopology topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
    bool depth_test = true;
    bool depth_write = true;
    VkCompareOp depth_compare = VK_COMPARE_OP_GREATER_OR_EQUAL;  // reverse Z
    bool alpha_blend = false;
};

// Viewport and scissor are dynamic state.
Pipeline make_graphics_pipeline(const Context& ctx, const GraphicsPipelineDesc& desc,
                                const std::string& name);

}  // namespace zw::gpu
