// Models onto the GPU: vertex, index, feature-id and instance buffers, textures (halved
// until the device takes them, mipmapped) and the samplers glTF asks for.
#include <algorithm>

#include "engine/gpu/check.h"
#include "engine/gpu/context.h"
#include "engine/gpu/upload.h"
#include "engine/render/renderer.h"
#include "engine/render/renderer_internal.h"

namespace zw::render {
namespace {

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

// The image a material's base colour samples, UINT32_MAX for none (or a dangling index).
uint32_t texture_image(const gltf::Model& model, const gltf::Material& mat) {
    if (mat.base_color_texture < 0 || size_t(mat.base_color_texture) >= model.textures.size())
        return UINT32_MAX;
    const uint32_t image = model.textures[size_t(mat.base_color_texture)].image;
    return image < model.images.size() ? image : UINT32_MAX;
}

bool has_pixels(const gltf::TextureImage& img) {
    return img.width > 0 && img.height > 0 && img.rgba.size() == size_t(img.width) * size_t(img.height) * 4;
}

// Half the size (rounded up), each pixel the mean of up to 2x2 source pixels.
gltf::TextureImage halve(const gltf::TextureImage& src) {
    gltf::TextureImage out{src.name, std::max(1, (src.width + 1) / 2), std::max(1, (src.height + 1) / 2), {}};
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

VkSampler Renderer::sampler_for(const gltf::SamplerDesc& d) {
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

std::shared_ptr<GpuModel> Renderer::create_gpu_model(const gltf::Model& model, gpu::UploadBatch& upload,
                                                     uint64_t* gpu_bytes) {
    auto g = std::make_shared<GpuModel>();
    uint64_t bytes = 0;
    const VkBufferUsageFlags dst = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    g->vertices = gpu::Buffer(ctx_, std::max<size_t>(model.vertices.size() * sizeof(gltf::Vertex), 4),
                              VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | dst, gpu::MemoryUsage::gpu_only,
                              model.name + " vertices");
    upload.to_buffer(g->vertices, model.vertices.data(), model.vertices.size() * sizeof(gltf::Vertex));
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
        const size_t size = model.instance_transforms.size() * sizeof(gltf::InstanceTransform);
        g->instances = gpu::Buffer(ctx_, size, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | dst,
                                   gpu::MemoryUsage::gpu_only, model.name + " instances");
        upload.to_buffer(g->instances, model.instance_transforms.data(), size);
        bytes += g->instances.allocation().size;
        for (const gltf::InstanceTransform& t : model.instance_transforms)
            g->instance_features = g->instance_features || t.feature != UINT32_MAX;
    }

    // Only images that a material samples go to the GPU. `images` is sized once, before
    // any upload is recorded: nothing may move while the batch holds its copies.
    std::vector<bool> sampled(model.images.size(), false);
    for (const gltf::Material& mat : model.materials)
        if (const uint32_t i = texture_image(model, mat); i < sampled.size()) sampled[i] = true;
    const uint32_t max_extent = ctx_.properties().limits.maxImageDimension2D;
    const VkImageUsageFlags tex_usage =
        VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    g->images.resize(model.images.size());
    for (size_t i = 0; i < model.images.size(); ++i) {
        const gltf::TextureImage& img = model.images[i];
        if (!sampled[i] || !has_pixels(img)) continue;
        // Larger than the device can hold: halved (2x2 box filter) until it fits.
        gltf::TextureImage reduced;
        const gltf::TextureImage* src = &img;
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
        const gltf::Material& mat = model.materials[i];
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

void Renderer::set_model(gltf::Model model, gpu::FrameRing& frames) {
    gpu::UploadBatch upload(ctx_);
    std::shared_ptr<GpuModel> g = create_gpu_model(model, upload, nullptr);
    upload.submit();
    if (gpu_model_) frames.defer(std::move(gpu_model_));
    gpu_model_ = std::move(g);
    // The GPU has the vertex and pixel data now; keep only the structure for drawing.
    model.vertices = {};
    model.indices = {};
    model.instance_transforms = {};
    for (gltf::TextureImage& img : model.images)
        img.rgba = {};
    model_ = std::make_unique<gltf::Model>(std::move(model));
}

std::shared_ptr<GpuModel> Renderer::upload(const gltf::Model& model, gpu::FrameRing& frames,
                                           VkCommandBuffer cmd, uint64_t* gpu_bytes) {
    gpu::UploadBatch batch(ctx_);
    std::shared_ptr<GpuModel> g = create_gpu_model(model, batch, gpu_bytes);
    frames.defer(batch.record(cmd));
    return g;
}

}  // namespace zw::render
