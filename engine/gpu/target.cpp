#include "engine/gpu/target.h"

#include <cstring>

#include "engine/core/error.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::gpu {
namespace {

RenderPass make_pass(const Context& ctx, const VkRenderPassCreateInfo& info, const char* name) {
    VkRenderPass pass = VK_NULL_HANDLE;
    ZW_VK(vkCreateRenderPass(ctx.device(), &info, nullptr, &pass));
    ctx.set_name(pass, VK_OBJECT_TYPE_RENDER_PASS, name);
    return {ctx.device(), pass};
}

constexpr VkPipelineStageFlags attachment_stages = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                                                   VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                                                   VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT;
constexpr VkAccessFlags attachment_writes =
    VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
constexpr VkAccessFlags attachment_access =
    attachment_writes | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT;

}  // namespace

RenderPasses::RenderPasses(const Context& ctx, const PassSetup& setup) : setup_(setup) {
    const bool msaa = setup.samples != VK_SAMPLE_COUNT_1_BIT;
    // Scene: [color (MSAA or output), depth, resolve output if MSAA]. Depth and MSAA
    // color are transient; only the resolved output is stored.
    std::vector<VkAttachmentDescription> attachments;
    VkAttachmentDescription color{};
    color.format = setup.color_format;
    color.samples = setup.samples;
    color.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
    color.storeOp = msaa ? VK_ATTACHMENT_STORE_OP_DONT_CARE : VK_ATTACHMENT_STORE_OP_STORE;
    color.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
    color.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    color.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    color.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    attachments.push_back(color);
    VkAttachmentDescription depth = color;
    depth.format = setup.depth_format;
    depth.storeOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    depth.finalLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
    attachments.push_back(depth);
    if (msaa) {
        VkAttachmentDescription resolve = color;
        resolve.samples = VK_SAMPLE_COUNT_1_BIT;
        resolve.loadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
        resolve.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
        attachments.push_back(resolve);
    }
    VkAttachmentReference color_ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkAttachmentReference depth_ref{1, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
    VkAttachmentReference resolve_ref{2, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription subpass{};
    subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
    subpass.colorAttachmentCount = 1;
    subpass.pColorAttachments = &color_ref;
    subpass.pDepthStencilAttachment = &depth_ref;
    subpass.pResolveAttachments = msaa ? &resolve_ref : nullptr;
    // Orders this frame's attachment writes after the previous frame's (the depth and
    // MSAA images are shared by frames in flight) and after the previous readback copy.
    VkSubpassDependency in{};
    in.srcSubpass = VK_SUBPASS_EXTERNAL;
    in.dstSubpass = 0;
    in.srcStageMask = attachment_stages | VK_PIPELINE_STAGE_TRANSFER_BIT;
    in.srcAccessMask = attachment_writes;
    in.dstStageMask = attachment_stages;
    in.dstAccessMask = attachment_access;
    VkRenderPassCreateInfo info{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
    info.attachmentCount = static_cast<uint32_t>(attachments.size());
    info.pAttachments = attachments.data();
    info.subpassCount = 1;
    info.pSubpasses = &subpass;
    info.dependencyCount = 1;
    info.pDependencies = &in;
    scene_ = make_pass(ctx, info, "scene pass");

    // Overlay: draws over the resolved output and hands it to presentation or readback.
    VkAttachmentDescription out{};
    out.format = setup.color_format;
    out.samples = VK_SAMPLE_COUNT_1_BIT;
    out.loadOp = VK_ATTACHMENT_LOAD_OP_LOAD;
    out.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    out.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
    out.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    out.initialLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    out.finalLayout = setup.present ? VK_IMAGE_LAYOUT_PRESENT_SRC_KHR : VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    VkAttachmentReference out_ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription overlay_subpass{};
    overlay_subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
    overlay_subpass.colorAttachmentCount = 1;
    overlay_subpass.pColorAttachments = &out_ref;
    VkSubpassDependency deps[2]{};
    deps[0].srcSubpass = VK_SUBPASS_EXTERNAL;
    deps[0].dstSubpass = 0;
    deps[0].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    deps[0].srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    deps[0].dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    deps[0].dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    deps[1].srcSubpass = 0;
    deps[1].dstSubpass = VK_SUBPASS_EXTERNAL;
    deps[1].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    deps[1].srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    deps[1].dstStageMask =
        setup.present ? VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT : VK_PIPELINE_STAGE_TRANSFER_BIT;
    deps[1].dstAccessMask = setup.present ? 0 : VK_ACCESS_TRANSFER_READ_BIT;
    VkRenderPassCreateInfo overlay_info{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
    overlay_info.attachmentCount = 1;
    overlay_info.pAttachments = &out;
    overlay_info.subpassCount = 1;
    overlay_info.pSubpasses = &overlay_subpass;
    overlay_info.dependencyCount = 2;
    overlay_info.pDependencies = deps;
    overlay_ = make_pass(ctx, overlay_info, "overlay pass");
}

RenderTarget::RenderTarget(Context& ctx, const RenderPasses& passes, VkExtent2D extent,
                           std::span<const VkImage> outputs)
    : ctx_(ctx), passes_(passes), extent_(extent) {
    const PassSetup& s = passes.setup();
    const bool msaa = s.samples != VK_SAMPLE_COUNT_1_BIT;
    if (extent.width == 0 || extent.height == 0)
        fail("cannot render to an empty ", extent.width, "x", extent.height, " target");
    if (msaa)
        msaa_color_ =
            Image(ctx,
                  {extent, s.color_format,
                   VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT, s.samples},
                  "msaa color");
    depth_ = Image(ctx,
                   {extent, s.depth_format,
                    VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT,
                    s.samples, 1, VK_IMAGE_ASPECT_DEPTH_BIT},
                   "depth");
    std::vector<VkImageView> output_views;
    if (outputs.empty()) {
        offscreen_ = Image(
            ctx,
            {extent, s.color_format, VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
            "offscreen output");
        readback_ = Buffer(ctx, VkDeviceSize(extent.width) * extent.height * 4,
                           VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUsage::readback, "readback");
        framebuffers_.resize(1);
        output_views.push_back(offscreen_.view());
    } else {
        framebuffers_.resize(outputs.size());
        for (size_t i = 0; i < outputs.size(); ++i) {
            framebuffers_[i].view = make_view(ctx, outputs[i], s.color_format, VK_IMAGE_ASPECT_COLOR_BIT,
                                              "swapchain image " + std::to_string(i));
            output_views.push_back(framebuffers_[i].view);
        }
    }
    for (size_t i = 0; i < framebuffers_.size(); ++i) {
        std::vector<VkImageView> scene_views;
        if (msaa)
            scene_views = {msaa_color_.view(), depth_.view(), output_views[i]};
        else
            scene_views = {output_views[i], depth_.view()};
        VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
        fi.renderPass = passes.scene();
        fi.attachmentCount = static_cast<uint32_t>(scene_views.size());
        fi.pAttachments = scene_views.data();
        fi.width = extent.width;
        fi.height = extent.height;
        fi.layers = 1;
        VkFramebuffer fb = VK_NULL_HANDLE;
        ZW_VK(vkCreateFramebuffer(ctx.device(), &fi, nullptr, &fb));
        framebuffers_[i].scene = Framebuffer(ctx.device(), fb);
        ctx.set_name(fb, VK_OBJECT_TYPE_FRAMEBUFFER, "scene framebuffer " + std::to_string(i));
        fi.renderPass = passes.overlay();
        fi.attachmentCount = 1;
        fi.pAttachments = &output_views[i];
        ZW_VK(vkCreateFramebuffer(ctx.device(), &fi, nullptr, &fb));
        framebuffers_[i].overlay = Framebuffer(ctx.device(), fb);
        ctx.set_name(fb, VK_OBJECT_TYPE_FRAMEBUFFER, "overlay framebuffer " + std::to_string(i));
    }
}

void RenderTarget::record_readback(VkCommandBuffer cmd) {
    if (!offscreen_) fail("readback needs an offscreen target");
    record_image_readback(cmd, offscreen_.handle(), extent_, readback_.handle());
}

core::Image RenderTarget::read_image() const {
    core::Image image{int(extent_.width), int(extent_.height), {}};
    image.rgba.resize(size_t(extent_.width) * extent_.height * 4);
    std::memcpy(image.rgba.data(), readback_.mapped(), image.rgba.size());
    const VkFormat f = passes_.setup().color_format;
    if (f == VK_FORMAT_B8G8R8A8_SRGB || f == VK_FORMAT_B8G8R8A8_UNORM)
        for (size_t i = 0; i < image.rgba.size(); i += 4)
            std::swap(image.rgba[i], image.rgba[i + 2]);
    for (size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;  // screenshots are opaque
    return image;
}

}  // namespace zw::gpu
