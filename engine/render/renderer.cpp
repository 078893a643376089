#include "engine/render/renderer.h"

#include <cmath>
#include <cstring>

#include "engine/core/error.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"
#include "engine/gpu/pipeline.h"
#include "engine/gpu/upload.h"

namespace zw::render {
namespace {

struct FrameUniforms {
    glm::mat4 view_proj;
    glm::mat4 inv_view_proj;
    glm::vec4 sun_dir;
    glm::vec4 sun_color;
    glm::vec4 sky_zenith;
    glm::vec4 sky_horizon;
    glm::vec4 ground_color;
    glm::vec4 up;
    glm::vec4 fog;
};

struct DrawPush {
    glm::mat4 model;
    glm::vec4 normal_cols[3];
    glm::vec4 base_color;
};
static_assert(sizeof(DrawPush) == 128, "push constants must fit the guaranteed 128 bytes");

VkFilter to_filter(int gl) {
    return gl == 9728 || gl == 9984 || gl == 9986 ? VK_FILTER_NEAREST : VK_FILTER_LINEAR;
}
VkSamplerMipmapMode to_mip(int gl) {
    return gl == 9984 || gl == 9985 ? VK_SAMPLER_MIPMAP_MODE_NEAREST : VK_SAMPLER_MIPMAP_MODE_LINEAR;
}
VkSamplerAddressMode to_wrap(int gl) {
    if (gl == 33071) return VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    if (gl == 33648) return VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT;
    return VK_SAMPLER_ADDRESS_MODE_REPEAT;
}

const uint8_t white_pixel[4] = {255, 255, 255, 255};

uint32_t mip_count(int w, int h) {
    uint32_t levels = 1;
    while ((w | h) >> levels)
        ++levels;
    return levels;
}

}  // namespace

// Everything on the GPU for one Model.
struct GpuModel {
    gpu::Buffer vertices;
    gpu::Buffer indices;
    std::vector<gpu::Image> images;
    gpu::DescriptorPool pool;
    std::vector<VkDescriptorSet> material_sets;
};

Renderer::Renderer(gpu::Context& ctx, const gpu::RenderPasses& passes) : ctx_(ctx), passes_(passes) {
    VkDevice dev = ctx.device();
    auto make_layout = [&](VkDescriptorType type, VkShaderStageFlags stages, const char* name) {
        VkDescriptorSetLayoutBinding b{0, type, 1, stages, nullptr};
        VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
        info.bindingCount = 1;
        info.pBindings = &b;
        VkDescriptorSetLayout layout = VK_NULL_HANDLE;
        ZW_VK(vkCreateDescriptorSetLayout(dev, &info, nullptr, &layout));
        ctx.set_name(layout, VK_OBJECT_TYPE_DESCRIPTOR_SET_LAYOUT, name);
        return gpu::DescriptorSetLayout(dev, layout);
    };
    frame_layout_ =
        make_layout(VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
                    VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, "frame uniforms layout");
    material_layout_ = make_layout(VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_SHADER_STAGE_FRAGMENT_BIT,
                                   "material layout");

    const VkDescriptorSetLayout set_layouts[] = {frame_layout_, material_layout_};
    VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(DrawPush)};
    VkPipelineLayoutCreateInfo pli{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pli.setLayoutCount = 2;
    pli.pSetLayouts = set_layouts;
    pli.pushConstantRangeCount = 1;
    pli.pPushConstantRanges = &push;
    VkPipelineLayout pl = VK_NULL_HANDLE;
    ZW_VK(vkCreatePipelineLayout(dev, &pli, nullptr, &pl));
    pipeline_layout_ = gpu::PipelineLayout(dev, pl);
    ctx.set_name(pl, VK_OBJECT_TYPE_PIPELINE_LAYOUT, "scene pipeline layout");

    gpu::GraphicsPipelineDesc sky;
    sky.vertex_shader = "sky.vert";
    sky.fragment_shader = "sky.frag";
    sky.layout = pipeline_layout_;
    sky.render_pass = passes.scene();
    sky.samples = passes.setup().samples;
    sky.cull = VK_CULL_MODE_NONE;
    // Drawn after the meshes at depth 0 (infinitely far): the depth test leaves only the
    // pixels no mesh covered, so the sky costs no overdraw.
    sky.depth_test = true;
    sky.depth_write = false;
    sky_pipeline_ = gpu::make_graphics_pipeline(ctx, sky, "sky pipeline");

    gpu::GraphicsPipelineDesc mesh = sky;
    mesh.vertex_shader = "mesh.vert";
    mesh.fragment_shader = "mesh.frag";
    mesh.bindings = {{0, sizeof(Vertex), VK_VERTEX_INPUT_RATE_VERTEX}};
    mesh.attributes = {
        {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, position)},
        {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, normal)},
        {2, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(Vertex, uv)},
        {3, 0, VK_FORMAT_R8G8B8A8_UNORM, offsetof(Vertex, color)},
    };
    mesh.depth_test = true;
    mesh.depth_write = true;
    mesh.cull = VK_CULL_MODE_BACK_BIT;
    mesh_pipeline_ = gpu::make_graphics_pipeline(ctx, mesh, "mesh pipeline");
    mesh.cull = VK_CULL_MODE_NONE;
    mesh_double_sided_pipeline_ = gpu::make_graphics_pipeline(ctx, mesh, "mesh pipeline (double-sided)");
    // Point and line primitives (3D Tiles point clouds, networks) with the same shaders.
    mesh.topology = VK_PRIMITIVE_TOPOLOGY_LINE_LIST;
    line_pipeline_ = gpu::make_graphics_pipeline(ctx, mesh, "line pipeline");
    mesh.topology = VK_PRIMITIVE_TOPOLOGY_POINT_LIST;
    point_pipeline_ = gpu::make_graphics_pipeline(ctx, mesh, "point pipeline");

    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, gpu::frames_in_flight};
    VkDescriptorPoolCreateInfo dpi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    dpi.maxSets = gpu::frames_in_flight;
    dpi.poolSizeCount = 1;
    dpi.pPoolSizes = &size;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    ZW_VK(vkCreateDescriptorPool(dev, &dpi, nullptr, &pool));
    frame_pool_ = gpu::DescriptorPool(dev, pool);
    ctx.set_name(pool, VK_OBJECT_TYPE_DESCRIPTOR_POOL, "frame descriptor pool");
    for (uint32_t i = 0; i < gpu::frames_in_flight; ++i) {
        frame_uniforms_.emplace_back(ctx, sizeof(FrameUniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                     gpu::MemoryUsage::upload, "frame uniforms " + std::to_string(i));
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = pool;
        ai.descriptorSetCount = 1;
        const VkDescriptorSetLayout layout = frame_layout_;
        ai.pSetLayouts = &layout;
        VkDescriptorSet set = VK_NULL_HANDLE;
        ZW_VK(vkAllocateDescriptorSets(dev, &ai, &set));
        VkDescriptorBufferInfo bi{frame_uniforms_.back().handle(), 0, sizeof(FrameUniforms)};
        VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        w.dstSet = set;
        w.descriptorCount = 1;
        w.descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
        w.pBufferInfo = &bi;
        vkUpdateDescriptorSets(dev, 1, &w, 0, nullptr);
        frame_sets_.push_back(set);
    }
    white_ = gpu::Image(
        ctx, {{1, 1}, VK_FORMAT_R8G8B8A8_SRGB, VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT},
        "white texture");
    gpu::UploadBatch upload(ctx);
    upload.to_image(white_, white_pixel, 4);
    upload.submit();
}

Renderer::~Renderer() = default;

VkSampler Renderer::sampler_for(const SamplerDesc& d) {
    const auto key = std::make_tuple(d.mag_filter, d.min_filter, d.wrap_s, d.wrap_t);
    auto it = samplers_.find(key);
    if (it != samplers_.end()) return it->second;
    VkSamplerCreateInfo info{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    info.magFilter = to_filter(d.mag_filter);
    info.minFilter = to_filter(d.min_filter);
    info.mipmapMode = to_mip(d.min_filter);
    info.addressModeU = to_wrap(d.wrap_s);
    info.addressModeV = to_wrap(d.wrap_t);
    info.addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT;
    // Filters without mipmaps (LINEAR/NEAREST min filters) sample level 0 only.
    info.maxLod = (d.min_filter == 9728 || d.min_filter == 9729) ? 0.0f : VK_LOD_CLAMP_NONE;
    VkSampler s = VK_NULL_HANDLE;
    ZW_VK(vkCreateSampler(ctx_.device(), &info, nullptr, &s));
    ctx_.set_name(s, VK_OBJECT_TYPE_SAMPLER, "gltf sampler");
    return samplers_.emplace(key, gpu::Sampler(ctx_.device(), s)).first->second;
}

std::shared_ptr<GpuModel> Renderer::create_gpu_model(const Model& model, gpu::UploadBatch& upload,
                                                     uint64_t* gpu_bytes) {
    auto g = std::make_shared<GpuModel>();
    uint64_t bytes = 0;
    const VkBufferUsageFlags dst = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    g->vertices = gpu::Buffer(ctx_, std::max<size_t>(model.vertices.size() * sizeof(Vertex), 4),
                              VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | dst, gpu::MemoryUsage::gpu_only,
                              model.name + " vertices");
    upload.to_buffer(g->vertices, model.vertices.data(), model.vertices.size() * sizeof(Vertex));
    g->indices = gpu::Buffer(ctx_, std::max<size_t>(model.indices.size() * 4, 4),
                             VK_BUFFER_USAGE_INDEX_BUFFER_BIT | dst, gpu::MemoryUsage::gpu_only,
                             model.name + " indices");
    upload.to_buffer(g->indices, model.indices.data(), model.indices.size() * 4);
    bytes += g->vertices.allocation().size + g->indices.allocation().size;

    const VkImageUsageFlags tex_usage =
        VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    bool textured = false;
    for (const Material& mat : model.materials)
        textured = textured || mat.base_color_texture >= 0;
    for (const TextureImage& img : model.images) {
        if (img.width == 0 || !textured) {
            g->images.emplace_back();
            continue;
        }
        const uint32_t mips = mip_count(img.width, img.height);
        g->images.emplace_back(ctx_,
                               gpu::ImageDesc{{uint32_t(img.width), uint32_t(img.height)},
                                              VK_FORMAT_R8G8B8A8_SRGB,
                                              tex_usage,
                                              VK_SAMPLE_COUNT_1_BIT,
                                              mips},
                               model.name + " image " + img.name);
        upload.to_image(g->images.back(), img.rgba.data(), img.rgba.size());
        bytes += g->images.back().allocation().size;
    }

    const auto n = uint32_t(model.materials.size());
    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, n};
    VkDescriptorPoolCreateInfo dpi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    dpi.maxSets = n;
    dpi.poolSizeCount = 1;
    dpi.pPoolSizes = &size;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    ZW_VK(vkCreateDescriptorPool(ctx_.device(), &dpi, nullptr, &pool));
    g->pool = gpu::DescriptorPool(ctx_.device(), pool);
    ctx_.set_name(pool, VK_OBJECT_TYPE_DESCRIPTOR_POOL, model.name + " materials");
    std::vector<VkDescriptorSetLayout> layouts(n, material_layout_);
    g->material_sets.resize(n);
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = pool;
    ai.descriptorSetCount = n;
    ai.pSetLayouts = layouts.data();
    ZW_VK(vkAllocateDescriptorSets(ctx_.device(), &ai, g->material_sets.data()));
    for (uint32_t i = 0; i < n; ++i) {
        const Material& mat = model.materials[i];
        VkDescriptorImageInfo ii{sampler_for({}), white_.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
        if (mat.base_color_texture >= 0) {
            const Texture& t = model.textures[mat.base_color_texture];
            if (g->images[t.image]) {
                ii.sampler = sampler_for(t.sampler);
                ii.imageView = g->images[t.image].view();
            }
        }
        VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        w.dstSet = g->material_sets[i];
        w.descriptorCount = 1;
        w.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
        w.pImageInfo = &ii;
        vkUpdateDescriptorSets(ctx_.device(), 1, &w, 0, nullptr);
    }
    if (gpu_bytes) *gpu_bytes = bytes;
    return g;
}

void Renderer::set_model(Model model, gpu::FrameRing& frames) {
    gpu::UploadBatch upload(ctx_);
    std::shared_ptr<GpuModel> g = create_gpu_model(model, upload, nullptr);
    upload.submit();
    if (gpu_model_) frames.defer(std::move(gpu_model_));
    gpu_model_ = std::move(g);
    // The GPU has the vertex and pixel data now; keep only the structure for drawing.
    model.vertices = {};
    model.indices = {};
    for (TextureImage& img : model.images)
        img.rgba = {};
    model_ = std::make_unique<Model>(std::move(model));
}

std::shared_ptr<GpuModel> Renderer::upload(const Model& model, gpu::FrameRing& frames, VkCommandBuffer cmd,
                                           uint64_t* gpu_bytes) {
    gpu::UploadBatch batch(ctx_);
    std::shared_ptr<GpuModel> g = create_gpu_model(model, batch, gpu_bytes);
    frames.defer(batch.record(cmd));
    return g;
}

void Renderer::write_frame_uniforms(uint32_t slot, const Camera& camera, VkExtent2D extent) {
    const double aspect = double(extent.width) / double(std::max(extent.height, 1u));
    const glm::dmat4 vp = camera.projection(aspect) * camera.view_rotation();
    const double az = glm::radians(settings.sun_azimuth_deg), el = glm::radians(settings.sun_elevation_deg);
    const glm::dvec3 sun_local{std::cos(el) * std::sin(az), std::cos(el) * std::cos(az), std::sin(el)};
    FrameUniforms u;
    u.view_proj = glm::mat4(vp);
    u.inv_view_proj = glm::mat4(glm::inverse(vp));
    u.sun_dir = glm::vec4(glm::vec3(glm::normalize(camera.frame() * sun_local)), 0.0f);
    u.sun_color = glm::vec4(glm::vec3(1.0f, 0.93f, 0.82f) * 1.15f * settings.sun_intensity, 0.0f);
    u.sky_zenith = {0.16f, 0.33f, 0.70f, 0.0f};
    u.sky_horizon = {0.62f, 0.72f, 0.84f, 0.0f};
    u.ground_color = {0.28f, 0.26f, 0.22f, 0.0f};
    u.up = glm::vec4(glm::vec3(camera.up()), 0.0f);
    u.fog = {settings.fog_density, 0.0f, 0.0f, 0.0f};
    std::memcpy(frame_uniforms_[slot].mapped(), &u, sizeof(u));
}

struct Renderer::DrawState {
    Frustum frustum;
    glm::dvec3 eye;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkDescriptorSet material = VK_NULL_HANDLE;
    VkBuffer vertices = VK_NULL_HANDLE;
};

void Renderer::draw_model(VkCommandBuffer cmd, const Model& model, const GpuModel& g, float depth_pull,
                          DrawState& st, DrawStats& stats) {
    bool bound_buffers = false;
    for (const MeshInstance& inst : model.instances) {
        Aabb rel = inst.world_bounds;
        rel.min -= st.eye;
        rel.max -= st.eye;
        if (!st.frustum.intersects(rel)) {
            ++stats.meshes_culled;
            continue;
        }
        ++stats.meshes_visible;
        if (!bound_buffers) {
            const VkDeviceSize offset = 0;
            const VkBuffer vb = g.vertices.handle();
            vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &offset);
            vkCmdBindIndexBuffer(cmd, g.indices.handle(), 0, VK_INDEX_TYPE_UINT32);
            bound_buffers = true;
        }
        DrawPush push;
        push.model = relative_to_eye(inst.world, st.eye);
        for (int c = 0; c < 3; ++c)
            push.normal_cols[c] = glm::vec4(inst.normal_matrix[c], 0.0f);
        push.normal_cols[0].w = depth_pull;
        for (const Primitive& p : model.meshes[inst.mesh].primitives) {
            const Material& mat = model.materials[p.material];
            VkPipeline want = mat.double_sided ? mesh_double_sided_pipeline_.get() : mesh_pipeline_.get();
            if (p.topology == Topology::lines) want = line_pipeline_;
            if (p.topology == Topology::points) want = point_pipeline_;
            if (want != st.pipeline) {
                vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, want);
                st.pipeline = want;
            }
            const VkDescriptorSet set = g.material_sets[p.material];
            if (set != st.material) {
                vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 1, 1, &set, 0,
                                        nullptr);
                st.material = set;
            }
            push.base_color = mat.base_color;
            vkCmdPushConstants(cmd, pipeline_layout_,
                               VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(push),
                               &push);
            if (p.index_count)
                vkCmdDrawIndexed(cmd, p.index_count, 1, p.first_index, int32_t(p.first_vertex), 0);
            else
                vkCmdDraw(cmd, p.vertex_count, 1, p.first_vertex, 0);
            ++stats.draw_calls;
            stats.triangles += p.triangle_count();
        }
    }
}

DrawStats Renderer::draw_meshes(VkCommandBuffer cmd, uint32_t slot, const Camera& camera, VkExtent2D extent) {
    DrawStats stats;
    VkDescriptorSet frame_set = frame_sets_[slot];
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 0, 1, &frame_set, 0,
                            nullptr);
    const double aspect = double(extent.width) / double(std::max(extent.height, 1u));
    DrawState st{Frustum(camera.projection(aspect) * camera.view_rotation()), camera.eye()};
    if (model_) draw_model(cmd, *model_, *gpu_model_, 0.0f, st, stats);
    for (const DrawModel& d : streamed)
        if (d.model && d.gpu) draw_model(cmd, *d.model, *d.gpu, d.depth_pull, st, stats);
    // The sky last, at depth 0 (infinitely far): only pixels no mesh covered pay for it.
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, sky_pipeline_);
    vkCmdDraw(cmd, 3, 1, 0, 0);
    ++stats.draw_calls;
    ++stats.triangles;
    return stats;
}

DrawStats Renderer::render(gpu::FrameRing& frames, const gpu::Frame& frame, gpu::RenderTarget& target,
                           size_t output, const Camera& camera, const OverlayFn& overlay, bool readback) {
    const VkCommandBuffer cmd = frame.cmd;
    const VkExtent2D extent = target.extent();
    write_frame_uniforms(frame.slot, camera, extent);
    const VkViewport viewport{0, 0, float(extent.width), float(extent.height), 0, 1};
    const VkRect2D scissor{{0, 0}, extent};

    VkClearValue clears[3]{};
    clears[0].color = {{0, 0, 0, 1}};
    clears[1].depthStencil = {0.0f, 0};  // reverse Z: 0 is infinitely far
    clears[2].color = {{0, 0, 0, 1}};
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.renderPass = passes_.scene();
    rp.framebuffer = target.scene_framebuffer(output);
    rp.renderArea = scissor;
    rp.clearValueCount = passes_.setup().samples == VK_SAMPLE_COUNT_1_BIT ? 2 : 3;
    rp.pClearValues = clears;
    frames.begin_pass("scene");
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    vkCmdSetViewport(cmd, 0, 1, &viewport);
    vkCmdSetScissor(cmd, 0, 1, &scissor);
    const DrawStats stats = draw_meshes(cmd, frame.slot, camera, extent);
    vkCmdEndRenderPass(cmd);
    frames.end_pass();

    rp.renderPass = passes_.overlay();
    rp.framebuffer = target.overlay_framebuffer(output);
    rp.clearValueCount = 0;
    frames.begin_pass("overlay");
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    if (overlay) overlay(cmd);
    vkCmdEndRenderPass(cmd);
    frames.end_pass();

    if (readback) target.record_readback(cmd);
    return stats;
}

}  // namespace zw::render
