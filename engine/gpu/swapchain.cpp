#include "engine/gpu/swapchain.h"

#include <algorithm>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::gpu {

VkSurfaceFormatKHR choose_surface_format(const std::vector<VkSurfaceFormatKHR>& available) {
    for (VkFormat wanted : {VK_FORMAT_B8G8R8A8_SRGB, VK_FORMAT_R8G8B8A8_SRGB})
        for (const auto& f : available)
            if (f.format == wanted && f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) return f;
    if (available.empty()) fail("the window surface offers no formats");
    core::warn("the window offers no sRGB format; colours will look too dark");
    return available.front();
}

Swapchain::Swapchain(Context& ctx, VkExtent2D wanted, bool vsync) : ctx_(ctx), vsync_(vsync) {
    if (!ctx.surface()) fail("a swapchain needs a window surface");
    uint32_t n = 0;
    vkGetPhysicalDeviceSurfaceFormatsKHR(ctx.physical_device(), ctx.surface(), &n, nullptr);
    std::vector<VkSurfaceFormatKHR> formats(n);
    vkGetPhysicalDeviceSurfaceFormatsKHR(ctx.physical_device(), ctx.surface(), &n, formats.data());
    format_ = choose_surface_format(formats);
    create(wanted, VK_NULL_HANDLE);
}

Swapchain::~Swapchain() {
    render_finished_.clear();
    if (swapchain_) vkDestroySwapchainKHR(ctx_.device(), swapchain_, nullptr);
}

void Swapchain::recreate(VkExtent2D wanted) {
    VkSwapchainKHR old = swapchain_;
    create(wanted, old);
    vkDestroySwapchainKHR(ctx_.device(), old, nullptr);
}

void Swapchain::create(VkExtent2D wanted, VkSwapchainKHR old) {
    VkSurfaceCapabilitiesKHR caps;
    ZW_VK(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(ctx_.physical_device(), ctx_.surface(), &caps));
    extent_ = caps.currentExtent;
    if (extent_.width == UINT32_MAX) {
        extent_.width = std::clamp(wanted.width, caps.minImageExtent.width, caps.maxImageExtent.width);
        extent_.height = std::clamp(wanted.height, caps.minImageExtent.height, caps.maxImageExtent.height);
    }
    uint32_t n = 0;
    vkGetPhysicalDeviceSurfacePresentModesKHR(ctx_.physical_device(), ctx_.surface(), &n, nullptr);
    std::vector<VkPresentModeKHR> modes(n);
    vkGetPhysicalDeviceSurfacePresentModesKHR(ctx_.physical_device(), ctx_.surface(), &n, modes.data());
    VkPresentModeKHR mode = VK_PRESENT_MODE_FIFO_KHR;  // always supported
    if (!vsync_)
        for (VkPresentModeKHR m : {VK_PRESENT_MODE_MAILBOX_KHR, VK_PRESENT_MODE_IMMEDIATE_KHR})
            if (std::find(modes.begin(), modes.end(), m) != modes.end()) {
                mode = m;
                break;
            }
    uint32_t count = std::max(caps.minImageCount + 1, 3u);
    if (caps.maxImageCount > 0) count = std::min(count, caps.maxImageCount);

    VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
    info.surface = ctx_.surface();
    info.minImageCount = count;
    info.imageFormat = format_.format;
    info.imageColorSpace = format_.colorSpace;
    info.imageExtent = extent_;
    info.imageArrayLayers = 1;
    // Copyable where the surface allows it: the viewer saves screenshots of the window.
    readable_ = (caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) != 0;
    info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | (readable_ ? VK_IMAGE_USAGE_TRANSFER_SRC_BIT : 0);
    info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
    info.preTransform = caps.currentTransform;
    info.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
    info.presentMode = mode;
    info.clipped = VK_TRUE;
    info.oldSwapchain = old;
    ZW_VK(vkCreateSwapchainKHR(ctx_.device(), &info, nullptr, &swapchain_));
    ctx_.set_name(swapchain_, VK_OBJECT_TYPE_SWAPCHAIN_KHR, "swapchain");
    vkGetSwapchainImagesKHR(ctx_.device(), swapchain_, &n, nullptr);
    images_.resize(n);
    vkGetSwapchainImagesKHR(ctx_.device(), swapchain_, &n, images_.data());
    render_finished_.clear();
    for (uint32_t i = 0; i < n; ++i)
        render_finished_.push_back(make_semaphore(ctx_, "render finished " + std::to_string(i)));
}

std::optional<uint32_t> Swapchain::acquire(VkSemaphore signal) {
    uint32_t index = 0;
    const VkResult r =
        vkAcquireNextImageKHR(ctx_.device(), swapchain_, UINT64_MAX, signal, VK_NULL_HANDLE, &index);
    if (r == VK_ERROR_OUT_OF_DATE_KHR) return std::nullopt;
    if (r != VK_SUBOPTIMAL_KHR)
        ZW_VK(r);  // SUBOPTIMAL still acquired an image: use it, recreate after present
    return index;
}

bool Swapchain::present(uint32_t image) {
    VkSemaphore wait = render_finished_[image];
    VkPresentInfoKHR info{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
    info.waitSemaphoreCount = 1;
    info.pWaitSemaphores = &wait;
    info.swapchainCount = 1;
    info.pSwapchains = &swapchain_;
    info.pImageIndices = &image;
    const VkResult r = vkQueuePresentKHR(ctx_.queue(), &info);
    if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) return false;
    ZW_VK(r);
    return true;
}

}  // namespace zw::gpu
