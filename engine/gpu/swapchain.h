// The window's swapchain. Acquire and present report "recreate me" instead of throwing
// on OUT_OF_DATE/SUBOPTIMAL, which are normal while a window is resized.
#pragma once

#include <optional>
#include <vector>

#include "engine/gpu/resources.h"

namespace zw::gpu {

// sRGB formats first so shaders can write linear colour.
VkSurfaceFormatKHR choose_surface_format(const std::vector<VkSurfaceFormatKHR>& available);

class Swapchain {
  public:
    Swapchain(Context& ctx, VkExtent2D wanted, bool vsync);
    ~Swapchain();
    Swapchain(const Swapchain&) = delete;
    Swapchain& operator=(const Swapchain&) = delete;

    // Rebuilds for a new window size (the caller waits for the GPU first).
    void recreate(VkExtent2D wanted);

    VkFormat format() const { return format_.format; }
    VkExtent2D extent() const { return extent_; }
    const std::vector<VkImage>& images() const { return images_; }
    // Whether the images can be copied from (a screenshot of the window).
    bool readable() const { return readable_; }

    // The index of the next image, or nothing when the swapchain must be recreated.
    std::optional<uint32_t> acquire(VkSemaphore signal);
    // Semaphore that rendering into `image` signals and presentation waits on.
    VkSemaphore render_finished(uint32_t image) const { return render_finished_[image]; }
    // False when the swapchain must be recreated (OUT_OF_DATE or SUBOPTIMAL).
    bool present(uint32_t image);

  private:
    void create(VkExtent2D wanted, VkSwapchainKHR old);

    Context& ctx_;
    bool vsync_;
    VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;
    VkSurfaceFormatKHR format_{};
    VkExtent2D extent_{};
    std::vector<VkImage> images_;
    bool readable_ = false;
    std::vector<Semaphore> render_finished_;
};

}  // namespace zw::gpu
