// The headless platform: frames are drawn offscreen at --size, nothing is shown and no
// input comes.
#include "app/viewer/platform.h"

namespace zw::viewer {
namespace {

class Headless final : public Platform {
  public:
    explicit Headless(const Options& o) : o_(o) {}

    gpu::ContextOptions context_options() const override { return {o_.validation, o_.gpu, {}, {}, false}; }
    std::unique_ptr<gpu::Swapchain> make_swapchain(gpu::Context&) const override { return nullptr; }
    GLFWwindow* window() const override { return nullptr; }
    Poll poll() override { return Poll::draw; }
    VkExtent2D size() const override { return {o_.width, o_.height}; }
    void input(render::Camera&, double, bool, bool, Intents&) override {}
    void shown(uint32_t) override {}

  private:
    const Options& o_;
};

}  // namespace

std::unique_ptr<Platform> headless_platform(const Options& o) {
    return std::make_unique<Headless>(o);
}

}  // namespace zw::viewer
