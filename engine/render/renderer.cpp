#include "engine/render/renderer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/core/error.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"
#include "engine/gpu/pipeline.h"
#include "engine/gpu/upload.h"
#include "engine/render/renderer_internal.h"

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

// shaders/draw.glsl's Draw block (std430: each scalar in the fourth slot of a vec3).
struct DrawPush {
    glm::mat4 model;
    glm::vec3 normal_x;
    float depth_pull = 0;
    glm::vec3 normal_y;
    uint32_t feature_arg = no_feature;  // scene: the highlighted feature; pick: the draw number
    glm::vec3 normal_z;
    uint32_t flags = 0;  // feature_ids_valid | (pick) property table + 1 << 8
    glm::vec4 base_color;
};
static_assert(sizeof(DrawPush) == 128, "push constants must fit the guaranteed 128 bytes");
static_assert(offsetof(DrawPush, normal_y) == 80 && offsetof(DrawPush, base_color) == 112);
constexpr uint32_t feature_ids_valid = 1;
constexpr uint32_t instance_features_valid = 2;  // the instance's feature id wins over the vertex's

const uint8_t white_pixel[4] = {255, 255, 255, 255};

}  // namespace

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
    // Set 2: the copies of instanced meshes, read by gl_InstanceIndex (a storage buffer,
    // not an instance-rate vertex stream, so that no draw reads past a small buffer).
    instance_layout_ =
        make_layout(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, VK_SHADER_STAGE_VERTEX_BIT, "instances layout");
    material_layout_ = make_layout(VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_SHADER_STAGE_FRAGMENT_BIT,
                                   "material layout");

    const VkDescriptorSetLayout set_layouts[] = {frame_layout_, material_layout_, instance_layout_};
    VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(DrawPush)};
    VkPipelineLayoutCreateInfo pli{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pli.setLayoutCount = 3;
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

    opaque_ = make_pipelines(PassKind::opaque);

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
    // The copies of every draw that is not instanced: one identity.
    const gltf::InstanceTransform identity;
    identity_instance_ = gpu::Buffer(ctx, sizeof(gltf::InstanceTransform),
                                     VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                     gpu::MemoryUsage::gpu_only, "identity instance");
    gpu::UploadBatch upload(ctx);
    upload.to_image(white_, white_pixel, 4);
    upload.to_buffer(identity_instance_, &identity, sizeof identity);
    upload.submit();
}

Renderer::~Renderer() = default;

Renderer::Pipelines Renderer::make_pipelines(PassKind kind) const {
    gpu::GraphicsPipelineDesc d;
    d.vertex_shader = "mesh.vert";
    d.fragment_shader = "mesh.frag";
    d.layout = pipeline_layout_;
    d.render_pass = passes_.scene();
    d.samples = passes_.setup().samples;
    d.bindings = {{0, sizeof(gltf::Vertex), VK_VERTEX_INPUT_RATE_VERTEX},
                  {1, 4, VK_VERTEX_INPUT_RATE_VERTEX}};
    d.attributes = {
        {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(gltf::Vertex, position)},
        {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(gltf::Vertex, normal)},
        {2, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(gltf::Vertex, uv)},
        {3, 0, VK_FORMAT_R8G8B8A8_UNORM, offsetof(gltf::Vertex, color)},
        {4, 1, VK_FORMAT_R32_UINT, 0},
    };

    d.depth_test = true;
    d.depth_write = true;
    std::string tag = "mesh pipeline";
    if (kind == PassKind::blended) {
        // Translucent layers test against the opaque depth but do not write it: what
        // lies behind them (drawn before) shows through, and their own surfaces never
        // cut holes into each other by draw order; overlapping translucent surfaces
        // blend in draw order (far to near per content) instead of being sorted.
        d.alpha_blend = true;
        d.depth_write = false;
        tag = "blended mesh pipeline";
    } else if (kind == PassKind::pick) {
        d.vertex_shader = "pick.vert";
        d.fragment_shader = "pick.frag";
        d.render_pass = pick_target_->pass();
        d.samples = VK_SAMPLE_COUNT_1_BIT;
        d.attributes = {{0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(gltf::Vertex, position)},
                        {4, 1, VK_FORMAT_R32_UINT, 0}};

        tag = "pick pipeline";
    }
    Pipelines p;
    d.cull = VK_CULL_MODE_BACK_BIT;
    p.mesh = gpu::make_graphics_pipeline(ctx_, d, tag);
    d.cull = VK_CULL_MODE_NONE;
    p.double_sided = gpu::make_graphics_pipeline(ctx_, d, tag + " (double-sided)");
    // Point and line primitives (3D Tiles point clouds, networks) with the same shaders.
    d.topology = VK_PRIMITIVE_TOPOLOGY_LINE_LIST;
    p.line = gpu::make_graphics_pipeline(ctx_, d, tag + " (lines)");
    d.topology = VK_PRIMITIVE_TOPOLOGY_POINT_LIST;
    p.point = gpu::make_graphics_pipeline(ctx_, d, tag + " (points)");
    return p;
}

VkPipeline Renderer::Pipelines::for_primitive(const gltf::Primitive& p, const gltf::Material& m) const {
    if (p.topology == gltf::Topology::lines) return line;
    if (p.topology == gltf::Topology::points) return point;
    return m.double_sided ? double_sided.get() : mesh.get();
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
    u.sun_color = glm::vec4(settings.sun_tint * 1.15f * settings.sun_intensity, 0.0f);
    u.sky_zenith = {0.16f, 0.33f, 0.70f, 0.0f};
    u.sky_horizon = {0.62f, 0.72f, 0.84f, 0.0f};
    u.ground_color = {0.28f, 0.26f, 0.22f, 0.0f};
    if (settings.daylight < 1.0f) {
        // Towards night the sky, the fog and the ambient light (both from these colours) darken.
        const float d = std::clamp(settings.daylight, 0.0f, 1.0f);
        u.sky_zenith = glm::mix(glm::vec4(0.012f, 0.02f, 0.05f, 0.0f), u.sky_zenith, d);
        u.sky_horizon = glm::mix(glm::vec4(0.05f, 0.065f, 0.1f, 0.0f), u.sky_horizon, d);
        u.ground_color = glm::mix(glm::vec4(0.035f, 0.035f, 0.04f, 0.0f), u.ground_color, d);
    }
    u.up = glm::vec4(glm::vec3(camera.up()), 0.0f);
    const double eye_height = glm::dot(camera.eye() - settings.fog_ground, camera.up());
    u.fog = {settings.fog_density, settings.fog_height_falloff,
             settings.fog_height_falloff > 0 ? float(eye_height) : 0.0f, 0.0f};
    std::memcpy(frame_uniforms_[slot].mapped(), &u, sizeof(u));
}

DrawModel Renderer::own_draw() const {
    DrawModel d;
    d.model = model_.get();
    d.gpu = gpu_model_.get();
    return d;
}

void Renderer::draw_model(VkCommandBuffer cmd, const DrawModel& d, uint32_t draw_number, DrawState& st,
                          DrawStats& stats) {
    const gltf::Model& model = *d.model;
    const GpuModel& g = *d.gpu;
    const bool features = static_cast<bool>(g.feature_ids);
    // Which feature of each property table is highlighted, looked up when first needed
    // (once per model and frame, only while something is highlighted).
    constexpr uint32_t unknown = no_feature - 1;
    const bool highlighting = !st.pick && features && highlight.active();
    if (highlighting) st.highlight_rows.assign(model.property_tables.size() + 1, unknown);
    bool bound_buffers = false;
    for (const gltf::MeshInstance& inst : model.instances) {
        // A MeshInstance of an instanced mesh that indexes past the model's copies (a
        // model not made by make_instanced) is not drawn rather than read out of range.
        const bool instanced = inst.instance_count > 0;
        if (instanced && (!g.instances || g.instances.size() / sizeof(gltf::InstanceTransform) <
                                              uint64_t(inst.first_instance) + inst.instance_count))
            continue;
        geo::Aabb rel = inst.world_bounds;
        rel.min -= st.eye;
        rel.max -= st.eye;
        if (!st.frustum.intersects(rel)) {
            ++stats.meshes_culled;
            continue;
        }
        ++stats.meshes_visible;
        if (!bound_buffers) {
            const VkDeviceSize offsets[2] = {0, 0};
            const VkBuffer vbs[2] = {g.vertices.handle(),
                                     features ? g.feature_ids.handle() : g.vertices.handle()};
            vkCmdBindVertexBuffers(cmd, 0, 2, vbs, offsets);
            vkCmdBindIndexBuffer(cmd, g.indices.handle(), 0, VK_INDEX_TYPE_UINT32);
            vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 2, 1,
                                    &g.instance_set, 0, nullptr);
            bound_buffers = true;
        }
        const uint32_t copies = instanced ? inst.instance_count : 1;
        const uint32_t first_copy = instanced ? inst.first_instance : 0;
        DrawPush push;
        push.model = relative_to_eye(inst.world, st.eye);
        push.normal_x = inst.normal_matrix[0];
        push.normal_y = inst.normal_matrix[1];
        push.normal_z = inst.normal_matrix[2];
        push.depth_pull = d.depth_pull;
        for (const gltf::Primitive& p : model.meshes[inst.mesh].primitives) {
            const gltf::Material& mat = model.materials[p.material];
            const VkPipeline want = st.pipelines->for_primitive(p, mat);
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
            push.base_color.a *= d.opacity;
            push.flags = (features ? feature_ids_valid : 0) |
                         (instanced && g.instance_features ? instance_features_valid : 0);
            if (st.pick) {
                push.feature_arg = draw_number;
                push.flags |= uint32_t(p.property_table + 1) << 8;
            } else if (highlighting) {
                uint32_t& row = st.highlight_rows[size_t(p.property_table + 1)];
                if (row == unknown)
                    row = highlighted_feature(model, d.uri, d.layer, p.property_table, highlight);
                push.feature_arg = row;
            } else {
                push.feature_arg = no_feature;
            }
            vkCmdPushConstants(cmd, pipeline_layout_,
                               VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(push),
                               &push);
            if (p.index_count)
                vkCmdDrawIndexed(cmd, p.index_count, copies, p.first_index, int32_t(p.first_vertex),
                                 first_copy);
            else
                vkCmdDraw(cmd, p.vertex_count, copies, p.first_vertex, first_copy);
            ++stats.draw_calls;
            stats.triangles += uint64_t(p.triangle_count()) * copies;
        }
    }
}

DrawStats Renderer::draw_meshes(VkCommandBuffer cmd, uint32_t slot, const Camera& camera, VkExtent2D extent) {
    DrawStats stats;
    VkDescriptorSet frame_set = frame_sets_[slot];
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 0, 1, &frame_set, 0,
                            nullptr);
    const double aspect = double(extent.width) / double(std::max(extent.height, 1u));
    DrawState st{Frustum(camera.projection(aspect) * camera.view_rotation()), camera.eye(), &opaque_};
    if (model_) draw_model(cmd, own_draw(), 0, st, stats);
    bool translucent = false;
    for (const DrawModel& d : streamed) {
        if (!d.model || !d.gpu || d.opacity <= 0) continue;
        if (d.opacity < 1) {
            translucent = true;
            continue;
        }
        draw_model(cmd, d, 0, st, stats);
    }
    RoadOverlay::DrawArgs road_args;
    road_args.ctx = &ctx_;
    road_args.render_pass = passes_.scene();
    road_args.samples = passes_.setup().samples;
    road_args.layout = pipeline_layout_;
    road_args.slot = slot;
    road_args.eye = camera.eye();
    stats.triangles += road_overlay_.draw(cmd, road_args, &stats.draw_calls);
    Vehicles::DrawArgs vehicle_args;
    vehicle_args.ctx = &ctx_;
    vehicle_args.render_pass = passes_.scene();
    vehicle_args.samples = passes_.setup().samples;
    vehicle_args.layout = pipeline_layout_;
    vehicle_args.slot = slot;
    vehicle_args.extent = extent;
    stats.triangles += vehicles_.draw(cmd, vehicle_args, &stats.draw_calls);
    // The sky after the opaque meshes, at depth 0 (infinitely far): only pixels no mesh
    // covered pay for it.
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, sky_pipeline_);
    vkCmdDraw(cmd, 3, 1, 0, 0);
    ++stats.draw_calls;
    ++stats.triangles;
    if (translucent) {
        // Translucent layers last, over the sky too, farthest content first (streamed is
        // nearest first).
        if (!blended_.mesh) blended_ = make_pipelines(PassKind::blended);
        st.pipelines = &blended_;
        st.pipeline = VK_NULL_HANDLE;
        for (auto it = streamed.rbegin(); it != streamed.rend(); ++it)
            if (it->model && it->gpu && it->opacity > 0 && it->opacity < 1)
                draw_model(cmd, *it, 0, st, stats);
    }
    // The flood on top of everything: it covers flooded translucent layers too.
    Water::DrawArgs water_args;
    water_args.ctx = &ctx_;
    water_args.render_pass = passes_.scene();
    water_args.samples = passes_.setup().samples;
    water_args.layout = pipeline_layout_;
    water_args.slot = slot;
    water_args.eye = camera.eye();
    water_args.extent = extent;
    stats.triangles += water_.draw(cmd, water_args, &stats.draw_calls);
    return stats;
}

DrawStats Renderer::render(gpu::FrameRing& frames, const gpu::Frame& frame, gpu::RenderTarget& target,
                           size_t output, const Camera& camera, const OverlayFn& overlay, bool readback) {
    const VkCommandBuffer cmd = frame.cmd;
    const VkExtent2D extent = target.extent();
    last_extent_ = extent;
    write_frame_uniforms(frame.slot, camera, extent);
    water_.prepare(ctx_, frames, frame);  // uploads, before the render pass
    vehicles_.prepare(ctx_, frames, frame, camera.eye());
    road_overlay_.prepare(ctx_, frames, frame);
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
    // One pick at a time: the target and its readback are not per frame in flight.
    if (pick_request_ && !pick_in_flight_) record_pick(frames, frame, camera, extent);

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
