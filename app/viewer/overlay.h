// The ImGui overlay: Dear ImGui 1.86 with its Vulkan backend (and GLFW backend when
// there is a window). Panels are plain functions of the state they show; what the user
// changes in them comes back as intents (intents.h), which the frame's update applies.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/viewer/fonts.h"
#include "app/viewer/intents.h"
#include "app/viewer/layout.h"

#include "engine/gpu/allocator.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/resources.h"
#include "engine/render/renderer.h"
#include "engine/tiles/stream.h"
#include "engine/twin/manifest.h"

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
    bool fly = false;       // camera mode
    bool windowed = false;  // show the controls
};

// A window of the overlay as drawn in the last frame (its title bar alone when collapsed).
struct OverlayWindow {
    std::string name;
    Box box;
    float content_w =
        0;  // the width its content asked for in the frame before (padding and scrollbar included)
};

struct Docking;

class Overlay {
  public:
    // `window` is null in headless mode. The type is made for the first frame's size.
    Overlay(gpu::Context& ctx, VkRenderPass pass, GLFWwindow* window, UiSize size = UiSize::l);
    ~Overlay();
    Overlay(const Overlay&) = delete;
    Overlay& operator=(const Overlay&) = delete;

    // Before the frame's panels: the type follows the window's height (fonts.h), and the
    // docked panels get their places from the sizes they had in the frame before (layout.h).
    void begin_frame(VkExtent2D size, double dt);
    void record(VkCommandBuffer cmd);  // inside the overlay render pass
    void set_ui_size(UiSize size);     // the type is made again at the next frame
    UiSize ui_size() const { return ui_size_; }
    float font_px() const;
    // The top-level windows of the last frame, as drawn (tests: nothing outside the window,
    // nothing overlapping).
    std::vector<OverlayWindow> windows() const;
    bool wants_mouse() const;
    bool wants_keyboard() const;

    // On: every frame's overlay text (window titles, labels, values, as ImGui renders
    // them, one line per text line) is kept; text() is the last recorded frame's. For
    // tests that must see a wrong word or digit, which a pixel tolerance can miss.
    void capture_text(bool on) { capture_text_ = on; }
    const std::string& text() const { return text_; }

  private:
    void rebuild_type(float px);

    gpu::Context& ctx_;
    gpu::DescriptorPool pool_;
    VkRenderPass pass_;
    bool windowed_;
    UiSize ui_size_;
    std::string font_file_;  // "" : ImGui's built-in font, scaled
    float font_px_ = 0;      // the atlas' size (0: none made yet)
    double last_rebuild_s_ = 0;
    std::unique_ptr<Docking> docking_;
    bool capture_text_ = false;
    std::string frame_text_;  // filled by panel_begin/panel_end while capturing
    std::string text_;
};

// Headless: the last frame's overlay text to `text_path` and its windows as JSON to
// `layout_path` (each only when given; an empty file without an overlay). False, said on
// stderr, when a file cannot be written.
bool write_ui_files(const Overlay* overlay, const std::string& text_path, const std::string& layout_path);

// `collapsed`: starts collapsed (the flood panels need the room), then as the user leaves it.
// Its first line is the language switch "DE | EN" (language_switch): the language picked.
std::optional<intent::Language> stats_panel(const FrameStatsView& s, bool collapsed = false);

// "DE | EN": two small buttons, the current language's highlighted; returns the other
// language when it is clicked (the overlay's texts, numbers and CSV exports follow it).
std::optional<intent::Language> language_switch();

// Tile streaming: the maximum screen-space error, and tiles visible / loading / loaded /
// failed, memory used vs budget, queue lengths. Returns a new maximum error when the user
// moved its slider.
std::optional<intent::MaxSse> tiles_panel(const tiles::TileStreamer& streamer, bool collapsed = false);

// The twin's name and audience, always on screen at the top (no close or collapse
// button): the citizens' twin is marked public, the council and administration twins
// as not for the public, with the department. A presenter sees at a glance which twin
// the hall sees.
void twin_banner(const twin::Manifest& twin, const twin::Department* department);

// The layers the twin and department grant (the streamer holds exactly those), grouped,
// each with a visibility toggle, opacity, its legend and the tiles it has loaded.
// `twin` is null for plain tilesets (one group "other"). Returns the toggles and opacities
// the user changed.
Intents layer_panel(const tiles::TileStreamer& streamer, const twin::Manifest* twin);

}  // namespace zw::viewer
