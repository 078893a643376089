// The ImGui overlay: Dear ImGui 1.86 with its Vulkan backend (and GLFW backend when
// there is a window). Panels are plain functions of the state they show.
#pragma once

#include <string>
#include <vector>

#include "engine/gpu/allocator.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/resources.h"
#include "engine/render/renderer.h"
#include "engine/tiles/stream.h"

struct GLFWwindow;

namespace zw::viewer {

struct FrameStatsView {
    double frame_ms = 0;  // wall time between frames
    double cpu_ms = 0;    // CPU time to update and record a frame
    const std::vector<gpu::PassTiming>* gpu_passes = nullptr;
    render::DrawStats draw;
    gpu::MemoryStats memory;
    std::string device;
    std::string scene;
    uint64_t scene_triangles = 0;
    bool fly = false;        // camera mode
    bool windowed = false;   // show the controls
    std::string town;        // a twin's town.name; empty for plain models
    std::string twin_title;  // e.g. "Bürgerzwilling / Citizens' twin"
    bool synthetic = false;  // town.synthetic: say so on screen
};

class Overlay {
  public:
    // `window` is null in headless mode.
    Overlay(gpu::Context& ctx, VkRenderPass pass, GLFWwindow* window);
    ~Overlay();
    Overlay(const Overlay&) = delete;
    Overlay& operator=(const Overlay&) = delete;

    void begin_frame(VkExtent2D size, double dt);
    void record(VkCommandBuffer cmd);  // inside the overlay render pass
    bool wants_mouse() const;
    bool wants_keyboard() const;

  private:
    gpu::Context& ctx_;
    gpu::DescriptorPool pool_;
    bool windowed_;
};

void stats_panel(const FrameStatsView& s);

// Tile streaming: the layers with visibility toggles, the maximum screen-space error,
// and tiles visible / loading / loaded / failed, memory used vs budget, queue lengths.
void tiles_panel(tiles::TileStreamer& streamer);

}  // namespace zw::viewer
