// The headless platform: frames are drawn offscreen at --size, nothing is shown and no
// input comes.
#include "app/viewer/input.h"
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
    // --press: the keys' intents before the first frame.
    void input(render::Camera&, double, bool, bool, Intents& out) override {
        if (pressed_) return;
        pressed_ = true;
        for (const std::string& k : o_.press)
            if (std::optional<Intent> i = key_intent(k)) out.push_back(std::move(*i));
    }
    void shown(uint32_t) override {}

  private:
    const Options& o_;
    bool pressed_ = false;
};

}  // namespace

std::unique_ptr<Platform> headless_platform(const Options& o) {
    return std::make_unique<Headless>(o);
}

}  // namespace zw::viewer
