#include "engine/gpu/pick_target.h"

#include <cstring>

#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::gpu {

PickTarget::PickTarget(Context& ctx, uint32_t size, VkFormat depth_format) : size_(size) {
    VkAttachmentDescription attachments[2]{};
    VkAttachmentDescription& color = attachments[0];
    color.format = color_format;
    color.samples = VK_SAMPLE_COUNT_1_BIT;
    color.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
    color.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    color.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
    color.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    color.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    color.finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    VkAttachmentDescription& depth = attachments[1];
    depth = color;
    depth.format = depth_format;
    depth.storeOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    depth.finalLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
    VkAttachmentReference color_ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkAttachmentReference depth_ref{1, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
    VkSubpassDescription subpass{};
    subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
    subpass.colorAttachmentCount = 1;
    subpass.pColorAttachments = &color_ref;
    subpass.pDepthStencilAttachment = &depth_ref;
    // In: after the previous pick's copy out of the colour image and its depth writes.
    // Out: the copy to the readback buffer waits for the colour writes.
    VkSubpassDependency deps[2]{};
    deps[0].srcSubpass = VK_SUBPASS_EXTERNAL;
    deps[0].dstSubpass = 0;
    deps[0].srcStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT;
    deps[0].srcAccessMask = VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
    deps[0].dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                           VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                           VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT;
    deps[0].dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT |
                            VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT |
                            VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
    deps[1].srcSubpass = 0;
    deps[1].dstSubpass = VK_SUBPASS_EXTERNAL;
    deps[1].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    deps[1].srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    deps[1].dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT;
    deps[1].dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
    VkRenderPassCreateInfo info{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
    info.attachmentCount = 2;
    info.pAttachments = attachments;
    info.subpassCount = 1;
    info.pSubpasses = &subpass;
    info.dependencyCount = 2;
    info.pDependencies = deps;
    VkRenderPass pass = VK_NULL_HANDLE;
    ZW_VK(vkCreateRenderPass(ctx.device(), &info, nullptr, &pass));
    pass_ = RenderPass(ctx.device(), pass);
    ctx.set_name(pass, VK_OBJECT_TYPE_RENDER_PASS, "pick pass");

    const VkExtent2D extent{size, size};
    color_ = Image(
        ctx, {extent, color_format, VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
        "pick ids");
    depth_ = Image(ctx,
                   {extent, depth_format,
                    VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT,
                    VK_SAMPLE_COUNT_1_BIT, 1, VK_IMAGE_ASPECT_DEPTH_BIT},
                   "pick depth");
    const VkImageView views[] = {color_.view(), depth_.view()};
    VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    fi.renderPass = pass;
    fi.attachmentCount = 2;
    fi.pAttachments = views;
    fi.width = size;
    fi.height = size;
    fi.layers = 1;
    VkFramebuffer fb = VK_NULL_HANDLE;
    ZW_VK(vkCreateFramebuffer(ctx.device(), &fi, nullptr, &fb));
    framebuffer_ = Framebuffer(ctx.device(), fb);
    ctx.set_name(fb, VK_OBJECT_TYPE_FRAMEBUFFER, "pick framebuffer");
    readback_ = Buffer(ctx, VkDeviceSize(size) * size * 16, VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                       MemoryUsage::readback, "pick readback");
}

void PickTarget::record_readback(VkCommandBuffer cmd) {
    record_image_readback(cmd, color_.handle(), VkExtent2D{size_, size_}, readback_.handle());
}

std::vector<uint32_t> PickTarget::read() const {
    std::vector<uint32_t> texels(size_t(size_) * size_ * 4);
    std::memcpy(texels.data(), readback_.mapped(), texels.size() * sizeof(uint32_t));
    return texels;
}

}  // namespace zw::gpu
