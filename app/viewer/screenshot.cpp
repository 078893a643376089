#include "app/viewer/screenshot.h"

#include <cstring>
#include <exception>
#include <utility>

#include "engine/core/image.h"
#include "engine/core/log.h"

namespace zw::viewer {

std::optional<ShotResult> WindowShot::record(gpu::Context& ctx, VkCommandBuffer cmd,
                                             const gpu::Swapchain* swapchain, uint32_t image,
                                             VkExtent2D extent, const std::string& path) {
    if (!swapchain || !swapchain->readable())  // headless: --screenshot writes the image
        return ShotResult{true, swapchain
                                    ? "this display's images cannot be copied; use --headless --screenshot"
                                    : "headless: use --screenshot FILE"};
    buffer_ = gpu::Buffer(ctx, VkDeviceSize(extent.width) * extent.height * 4,
                          VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUsage::readback, "window screenshot");
    const VkImage vk_image = swapchain->images()[image];
    gpu::transition(cmd, vk_image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                    VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                    VK_ACCESS_TRANSFER_READ_BIT);
    gpu::record_image_readback(cmd, vk_image, extent, buffer_.handle());
    gpu::transition(cmd, vk_image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                    VK_IMAGE_LAYOUT_PRESENT_SRC_KHR, VK_PIPELINE_STAGE_TRANSFER_BIT,
                    VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
    path_ = path;
    extent_ = extent;
    return std::nullopt;
}

std::optional<ShotResult> WindowShot::write(gpu::FrameRing& frames, VkFormat format) {
    if (path_.empty()) return std::nullopt;
    frames.drain();
    core::Image image{int(extent_.width), int(extent_.height), {}};
    image.rgba.resize(size_t(extent_.width) * extent_.height * 4);
    std::memcpy(image.rgba.data(), buffer_.mapped(), image.rgba.size());
    for (size_t i = 0; i < image.rgba.size(); i += 4) {
        if (format == VK_FORMAT_B8G8R8A8_SRGB || format == VK_FORMAT_B8G8R8A8_UNORM)
            std::swap(image.rgba[i], image.rgba[i + 2]);
        image.rgba[i + 3] = 255;
    }
    ShotResult r;
    try {
        core::write_png(path_, image);
        core::info("wrote ", path_, " (", extent_.width, "x", extent_.height, ")");
        r.message = path_;
    } catch (const std::exception& ex) {
        core::warn(ex.what());
        r = {true, ex.what()};
    }
    path_.clear();
    buffer_ = {};
    return r;
}

void save_screenshot(const gpu::RenderTarget& target, const std::string& path) {
    core::write_png(path, target.read_image());
    core::info("wrote ", path, " (", target.extent().width, "x", target.extent().height, ")");
}

}  // namespace zw::viewer
