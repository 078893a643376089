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

// The image a material's base colour samples, UINT32_MAX for none (or a dangling index).
uint32_t texture_image(const Model& model, const Material& mat) {
    if (mat.base_color_texture < 0 || size_t(mat.base_color_texture) >= model.textures.size())
        return UINT32_MAX;
    const uint32_t image = model.textures[size_t(mat.base_color_texture)].image;
    return image < model.images.size() ? image : UINT32_MAX;
}

bool has_pixels(const TextureImage& img) {
    return img.width > 0 && img.height > 0 && img.rgba.size() == size_t(img.width) * size_t(img.height) * 4;
}

// Half the size (rounded up), each pixel the mean of up to 2x2 source pixels.
TextureImage halve(const TextureImage& src) {
    TextureImage out{src.name, std::max(1, (src.width + 1) / 2), std::max(1, (src.height + 1) / 2), {}};
    out.rgba.resize(size_t(out.width) * size_t(out.height) * 4);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x)
            for (int c = 0; c < 4; ++c) {
                unsigned sum = 0, n = 0;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) {
                        const int sx = 2 * x + dx, sy = 2 * y + dy;
                        if (sx >= src.width || sy >= src.height) continue;
                        sum += src.rgba[(size_t(sy) * size_t(src.width) + size_t(sx)) * 4 + size_t(c)];
                        ++n;
                    }
                out.rgba[(size_t(y) * size_t(out.width) + size_t(x)) * 4 + size_t(c)] =
                    uint8_t((sum + n / 2) / n);
            }
    return out;
}

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
    const InstanceTransform identity;
    identity_instance_ = gpu::Buffer(ctx, sizeof(InstanceTransform),
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
    d.bindings = {{0, sizeof(Vertex), VK_VERTEX_INPUT_RATE_VERTEX}, {1, 4, VK_VERTEX_INPUT_RATE_VERTEX}};
    d.attributes = {
        {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, position)},
        {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, normal)},
        {2, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(Vertex, uv)},
        {3, 0, VK_FORMAT_R8G8B8A8_UNORM, offsetof(Vertex, color)},
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
        d.attributes = {{0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, position)},
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

VkPipeline Renderer::Pipelines::for_primitive(const Primitive& p, const Material& m) const {
    if (p.topology == Topology::lines) return line;
    if (p.topology == Topology::points) return point;
    return m.double_sided ? double_sided.get() : mesh.get();
}

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
    if (!model.vertices.empty() && model.feature_ids.size() == model.vertices.size()) {
        g->feature_ids = gpu::Buffer(ctx_, model.feature_ids.size() * sizeof(uint32_t),
                                     VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | dst, gpu::MemoryUsage::gpu_only,
                                     model.name + " feature ids");
        upload.to_buffer(g->feature_ids, model.feature_ids.data(),
                         model.feature_ids.size() * sizeof(uint32_t));
        bytes += g->feature_ids.allocation().size;
    }
    g->indices = gpu::Buffer(ctx_, std::max<size_t>(model.indices.size() * 4, 4),
                             VK_BUFFER_USAGE_INDEX_BUFFER_BIT | dst, gpu::MemoryUsage::gpu_only,
                             model.name + " indices");
    upload.to_buffer(g->indices, model.indices.data(), model.indices.size() * 4);
    bytes += g->vertices.allocation().size + g->indices.allocation().size;
    if (!model.instance_transforms.empty()) {
        const size_t size = model.instance_transforms.size() * sizeof(InstanceTransform);
        g->instances = gpu::Buffer(ctx_, size, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | dst,
                                   gpu::MemoryUsage::gpu_only, model.name + " instances");
        upload.to_buffer(g->instances, model.instance_transforms.data(), size);
        bytes += g->instances.allocation().size;
        for (const InstanceTransform& t : model.instance_transforms)
            g->instance_features = g->instance_features || t.feature != UINT32_MAX;
    }

    // Only images that a material samples go to the GPU. `images` is sized once, before
    // any upload is recorded: nothing may move while the batch holds its copies.
    std::vector<bool> sampled(model.images.size(), false);
    for (const Material& mat : model.materials)
        if (const uint32_t i = texture_image(model, mat); i < sampled.size()) sampled[i] = true;
    const uint32_t max_extent = ctx_.properties().limits.maxImageDimension2D;
    const VkImageUsageFlags tex_usage =
        VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    g->images.resize(model.images.size());
    for (size_t i = 0; i < model.images.size(); ++i) {
        const TextureImage& img = model.images[i];
        if (!sampled[i] || !has_pixels(img)) continue;
        // Larger than the device can hold: halved (2x2 box filter) until it fits.
        TextureImage reduced;
        const TextureImage* src = &img;
        while (uint32_t(src->width) > max_extent || uint32_t(src->height) > max_extent) {
            reduced = halve(*src);
            src = &reduced;
        }
        const uint32_t mips = mip_count(src->width, src->height);
        g->images[i] = gpu::Image(ctx_,
                                  gpu::ImageDesc{{uint32_t(src->width), uint32_t(src->height)},
                                                 VK_FORMAT_R8G8B8A8_SRGB,
                                                 tex_usage,
                                                 VK_SAMPLE_COUNT_1_BIT,
                                                 mips},
                                  model.name + " image " + img.name);
        upload.to_image(g->images[i], src->rgba.data(), src->rgba.size());
        bytes += g->images[i].allocation().size;
    }

    const auto n = uint32_t(model.materials.size());
    const VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, n},
                                          {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1}};
    VkDescriptorPoolCreateInfo dpi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    dpi.maxSets = n + 1;
    dpi.poolSizeCount = 2;
    dpi.pPoolSizes = sizes;
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
    {
        const VkDescriptorSetLayout layout = instance_layout_;
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &layout;
        ZW_VK(vkAllocateDescriptorSets(ctx_.device(), &ai, &g->instance_set));
        const gpu::Buffer& copies = g->instances ? g->instances : identity_instance_;
        VkDescriptorBufferInfo bi{copies.handle(), 0, VK_WHOLE_SIZE};
        VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        w.dstSet = g->instance_set;
        w.descriptorCount = 1;
        w.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        w.pBufferInfo = &bi;
        vkUpdateDescriptorSets(ctx_.device(), 1, &w, 0, nullptr);
    }
    for (uint32_t i = 0; i < n; ++i) {
        const Material& mat = model.materials[i];
        VkDescriptorImageInfo ii{sampler_for({}), white_.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
        if (const uint32_t image = texture_image(model, mat); image < g->images.size() && g->images[image]) {
            ii.sampler = sampler_for(model.textures[size_t(mat.base_color_texture)].sampler);
            ii.imageView = g->images[image].view();
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
    model.instance_transforms = {};
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

DrawModel Renderer::own_draw() const {
    DrawModel d;
    d.model = model_.get();
    d.gpu = gpu_model_.get();
    return d;
}

struct Renderer::DrawState {
    Frustum frustum;
    glm::dvec3 eye;
    const Pipelines* pipelines = nullptr;
    bool pick = false;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkDescriptorSet material = VK_NULL_HANDLE;
    std::vector<uint32_t> highlight_rows;  // per property table + 1, for the model being drawn
};

void Renderer::draw_model(VkCommandBuffer cmd, const DrawModel& d, uint32_t draw_number, DrawState& st,
                          DrawStats& stats) {
    const Model& model = *d.model;
    const GpuModel& g = *d.gpu;
    const bool features = static_cast<bool>(g.feature_ids);
    // Which feature of each property table is highlighted, looked up when first needed
    // (once per model and frame, only while something is highlighted).
    constexpr uint32_t unknown = no_feature - 1;
    const bool highlighting = !st.pick && features && highlight.active();
    if (highlighting) st.highlight_rows.assign(model.property_tables.size() + 1, unknown);
    bool bound_buffers = false;
    for (const MeshInstance& inst : model.instances) {
        // A MeshInstance of an instanced mesh that indexes past the model's copies (a
        // model not made by make_instanced) is not drawn rather than read out of range.
        const bool instanced = inst.instance_count > 0;
        if (instanced && (!g.instances || g.instances.size() / sizeof(InstanceTransform) <
                                              uint64_t(inst.first_instance) + inst.instance_count))
            continue;
        Aabb rel = inst.world_bounds;
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
        for (const Primitive& p : model.meshes[inst.mesh].primitives) {
            const Material& mat = model.materials[p.material];
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

void Renderer::record_pick(gpu::FrameRing& frames, const gpu::Frame& frame, const Camera& camera,
                           VkExtent2D extent) {
    if (!pick_target_) {
        pick_target_ = std::make_unique<gpu::PickTarget>(ctx_, pick_region, passes_.setup().depth_format);
        pick_ = make_pipelines(PassKind::pick);
    }
    const auto [x, y] = *pick_request_;
    pick_request_.reset();
    if (x >= extent.width || y >= extent.height) {  // off the screen (a resize in between): a miss
        pick_in_flight_ = PickInFlight{frame.number, x, y, extent.width, extent.height, {}, false};
        return;
    }
    const VkCommandBuffer cmd = frame.cmd;
    // The full frame's viewport moved so that pixel (x - r, y - r) lands on the target's
    // first texel: the same rasterisation as the frame, for pick_region^2 pixels only.
    const VkViewport viewport{-float(int64_t(x) - int64_t(pick_radius)),
                              -float(int64_t(y) - int64_t(pick_radius)),
                              float(extent.width),
                              float(extent.height),
                              0,
                              1};
    const VkRect2D area{{0, 0}, {pick_region, pick_region}};
    VkClearValue clears[2]{};
    clears[0].color.uint32[0] = no_feature;  // draw 0, table 0, written 0: nothing drawn
    clears[1].depthStencil = {0.0f, 0};      // reverse Z
    VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    rp.renderPass = pick_target_->pass();
    rp.framebuffer = pick_target_->framebuffer();
    rp.renderArea = area;
    rp.clearValueCount = 2;
    rp.pClearValues = clears;
    frames.begin_pass("pick");
    vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    vkCmdSetViewport(cmd, 0, 1, &viewport);
    vkCmdSetScissor(cmd, 0, 1, &area);
    VkDescriptorSet frame_set = frame_sets_[frame.slot];
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 0, 1, &frame_set, 0,
                            nullptr);
    const double aspect = double(extent.width) / double(std::max(extent.height, 1u));
    DrawState st{Frustum(camera.projection(aspect) * camera.view_rotation()), camera.eye(), &pick_};
    st.pick = true;
    DrawStats stats;  // not counted in the frame's
    PickInFlight pick{frame.number, x, y, extent.width, extent.height, {}, true};
    // Every drawn layer, translucent ones too (nearest surface wins): a feature one can
    // see can be picked.
    if (model_) draw_model(cmd, own_draw(), 0, st, stats);
    for (size_t i = 0; i < streamed.size(); ++i) {
        const DrawModel& d = streamed[i];
        pick.draws.emplace_back(d.uri ? *d.uri : std::string(), d.layer);
        if (d.model && d.gpu && d.opacity > 0) draw_model(cmd, d, uint32_t(i + 1), st, stats);
    }
    vkCmdEndRenderPass(cmd);
    pick_target_->record_readback(cmd);
    frames.end_pass();
    pick_in_flight_ = std::move(pick);
}

std::optional<PickHit> Renderer::take_pick(const gpu::FrameRing& frames) {
    if (!pick_in_flight_ || !frames.finished(pick_in_flight_->frame)) return std::nullopt;
    const PickInFlight p = std::move(*pick_in_flight_);
    pick_in_flight_.reset();
    PickHit hit;
    hit.x = p.x;
    hit.y = p.y;
    if (!p.drawn) return hit;
    const std::vector<uint32_t> texels = pick_target_->read();
    std::vector<PickSample> region(texels.size() / 4);
    for (size_t i = 0; i < region.size(); ++i)
        region[i] = {texels[i * 4], texels[i * 4 + 1], texels[i * 4 + 2], texels[i * 4 + 3]};
    const std::optional<size_t> chosen = choose_sample(
        region, int64_t(p.x) - int64_t(pick_radius), int64_t(p.y) - int64_t(pick_radius), p.width, p.height);
    if (!chosen) return hit;
    const PickSample& s = region[*chosen];
    if (s.draw == 0) {
        if (!model_) return hit;
        hit.own_model = true;
    } else if (s.draw - 1 < p.draws.size()) {
        hit.content = p.draws[s.draw - 1].first;
        hit.layer = p.draws[s.draw - 1].second;
    } else {
        return hit;
    }
    hit.hit = true;
    hit.feature = s.feature;
    hit.table = int32_t(s.table) - 1;
    return hit;
}

DrawStats Renderer::render(gpu::FrameRing& frames, const gpu::Frame& frame, gpu::RenderTarget& target,
                           size_t output, const Camera& camera, const OverlayFn& overlay, bool readback) {
    const VkCommandBuffer cmd = frame.cmd;
    const VkExtent2D extent = target.extent();
    write_frame_uniforms(frame.slot, camera, extent);
    water_.prepare(ctx_, frames, frame);  // uploads, before the render pass
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
