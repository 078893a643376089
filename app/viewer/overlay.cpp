#include "app/viewer/overlay.h"

#include <imgui.h>
#include <imgui_freetype.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_vulkan.h>
#include <imgui_internal.h>  // the log buffer (capture_text), the windows (docking)
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <utility>

#include "app/viewer/config.h"
#include "app/viewer/fonts.h"
#include "app/viewer/format.h"
#include "app/viewer/layout.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "engine/core/log.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::viewer {

// The docked layout of the frame being built (layout.h): the plan made from the panels of
// the frame before, and this frame's panels as measured. Null outside a frame.
struct Docking {
    DockPlan plan;
    std::vector<DockRequest> measured;
    std::optional<Dock> next;      // panel_dock() for the next panel_begin
    std::vector<bool> open_docks;  // per panel_begin not yet ended: docked?
    float label_y = 0;             // where the next view_label goes
};

namespace {

Docking* docking = nullptr;  // the frame's, between begin_frame and record

// The frame's window texts while an Overlay captures them (null: not capturing).
std::string* captured_text = nullptr;
void check_imgui_vk(VkResult r) {
    if (r < 0) core::error("ImGui Vulkan backend: ", gpu::result_name(r));
}

// The glyphs the UI shows: Latin with its extensions (German, and names of the region),
// typographic punctuation (– — ‘ ’ “ ” „ • …), the narrow no-break space, €, arrows,
// minus and comparison signs.
const ImWchar ui_glyphs[] = {0x0020, 0x017F, 0x2010, 0x2044, 0x202F, 0x202F, 0x20AC, 0x20AC,
                             0x2190, 0x2193, 0x2212, 0x2212, 0x2264, 0x2265, 0};

}  // namespace

Overlay::Overlay(gpu::Context& ctx, VkRenderPass pass, GLFWwindow* window, UiSize size)
    : ctx_(ctx), pass_(pass), windowed_(window), ui_size_(size), docking_(std::make_unique<Docking>()) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // don't litter the working folder with imgui.ini
    if (window) ImGui_ImplGlfw_InitForVulkan(window, true);
    font_file_ = find_ui_font();
    if (font_file_.empty())
        core::warn(
            "overlay: no TrueType sans found through fontconfig; the small built-in font is used "
            "(install fonts-dejavu-core: scripts/dev does)");

    VkDescriptorPoolSize size_{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, config.ui_descriptor_sets};
    VkDescriptorPoolCreateInfo dpi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    dpi.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
    dpi.maxSets = config.ui_descriptor_sets;
    dpi.poolSizeCount = 1;
    dpi.pPoolSizes = &size_;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    ZW_VK(vkCreateDescriptorPool(ctx.device(), &dpi, nullptr, &pool));
    pool_ = gpu::DescriptorPool(ctx.device(), pool);
    ctx.set_name(pool, VK_OBJECT_TYPE_DESCRIPTOR_POOL, "imgui descriptor pool");
    // The Vulkan backend starts with the first frame, when the window's size gives the type's.
}

Overlay::~Overlay() {
    ctx_.wait_idle();
    if (font_px_ > 0) ImGui_ImplVulkan_Shutdown();
    if (windowed_) ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
}

void Overlay::set_ui_size(UiSize size) {
    ui_size_ = size;
}

float Overlay::font_px() const {
    return ImGui::GetFontSize();
}

// The type at `px` pixels: the font atlas rasterised again, the style's sizes scaled from
// ImGui's 13 px design, and the Vulkan backend started again around the new atlas (ImGui
// 1.86's backend uploads its font texture once: a new one needs a fresh backend).
void Overlay::rebuild_type(float px) {
    ctx_.wait_idle();
    if (font_px_ > 0) {
        ImGui_ImplVulkan_Shutdown();
        ZW_VK(vkResetDescriptorPool(ctx_.device(), pool_.get(), 0));
    }
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFont* font = nullptr;
    if (!font_file_.empty()) {
        io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
        io.Fonts->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
        ImFontConfig fc;
        fc.OversampleH = fc.OversampleV = 1;  // FreeType hints instead
        font = io.Fonts->AddFontFromFileTTF(font_file_.c_str(), px, &fc, ui_glyphs);
        if (!font)
            core::warn("overlay: could not read the font '", font_file_, "'; the built-in font is used");
    }
    if (!font) {
        ImFontConfig fc;
        fc.SizePixels = 13.0f;
        io.Fonts->AddFontDefault(&fc);
        io.FontGlobalScale = px / 13.0f;
    } else {
        io.FontGlobalScale = 1.0f;
    }
    ImGuiStyle style;
    ImGui::StyleColorsDark(&style);
    style.WindowRounding = 4.0f;
    style.ScaleAllSizes(px / 13.0f);
    ImGui::GetStyle() = style;

    ImGui_ImplVulkan_InitInfo info{};
    info.Instance = ctx_.instance();
    info.PhysicalDevice = ctx_.physical_device();
    info.Device = ctx_.device();
    info.QueueFamily = ctx_.queue_family();
    info.Queue = ctx_.queue();
    info.DescriptorPool = pool_.get();
    info.Subpass = 0;
    // The backend rotates its vertex buffers per call; at least frames_in_flight + 1
    // keeps it clear of buffers the GPU still reads.
    info.MinImageCount = 2;
    info.ImageCount = gpu::frames_in_flight + 1;
    info.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
    info.CheckVkResultFn = check_imgui_vk;
    ImGui_ImplVulkan_Init(&info, pass_);
    ctx_.submit_now([](VkCommandBuffer cmd) { ImGui_ImplVulkan_CreateFontsTexture(cmd); });
    ImGui_ImplVulkan_DestroyFontUploadObjects();
    font_px_ = px;
}

bool panel_begin(const char* name, bool* open, int flags) {
    bool docked = false;
    if (docking && docking->next) {
        const Dock where = *std::exchange(docking->next, std::nullopt);
        const DockPlan& plan = docking->plan;
        docked = true;
        flags = (flags & ~ImGuiWindowFlags_AlwaysAutoResize) | ImGuiWindowFlags_NoMove |
                ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings;
        const bool squeezed =
            std::find(plan.collapsed.begin(), plan.collapsed.end(), name) != plan.collapsed.end();
        if (const auto it = plan.panels.find(name); it != plan.panels.end()) {
            const Box& b = it->second;
            ImGui::SetNextWindowPos(ImVec2(b.x, b.y), ImGuiCond_Always);
            ImGui::SetNextWindowSize(ImVec2(b.w, b.h), ImGuiCond_Always);
        } else if (squeezed) {
            // Not even its title bar fits this window: out of sight until there is room.
            ImGui::SetNextWindowPos(ImVec2(-1e5f, -1e5f), ImGuiCond_Always);
        } else {
            // New this frame: measured where its column starts (ImGui hides a window on
            // the frame it first sizes itself), placed by the plan from the next frame on.
            const Box& c = where == Dock::left ? plan.left : where == Dock::right ? plan.right : plan.top;
            ImGui::SetNextWindowPos(ImVec2(c.x, c.y), ImGuiCond_Always);
            ImGui::SetNextWindowSize(ImVec2(where == Dock::top ? 0.0f : c.w, 0.0f), ImGuiCond_Always);
        }
        if (where == Dock::top) flags |= ImGuiWindowFlags_AlwaysAutoResize;
        docking->measured.push_back(DockRequest{name, where});
    }
    // One id in both languages ("Statistik###Statistics"): switching keeps the window
    // (collapsed or not).
    std::string id(name);
    if (id.find("##") == std::string::npos) id += std::string("###") + english_of(name);
    const bool shown = ImGui::Begin(id.c_str(), open, flags);
    if (docking) docking->open_docks.push_back(docked);
    // Text in a column wraps at its edge rather than running out of the panel.
    if (docked && docking->measured.back().dock != Dock::top) ImGui::PushTextWrapPos(0.0f);
    if (captured_text) {
        // The title as shown (what follows "##" only makes the id unique).
        const std::string title(name);
        *captured_text += "[" + title.substr(0, title.find("##")) + "]\n";
        // Depth 0: logging must not open tree nodes that the user left closed.
        ImGui::LogToBuffer(0);
    }
    return shown;
}

void panel_end() {
    if (captured_text && GImGui->LogEnabled) {
        *captured_text += GImGui->LogBuffer.c_str();
        *captured_text += "\n";
        ImGui::LogFinish();
    }
    const bool docked = docking && !docking->open_docks.empty() && docking->open_docks.back();
    if (docking && !docking->open_docks.empty()) docking->open_docks.pop_back();
    if (docked) {
        // What the panel would take with all of its content: what the plan of the next
        // frame gives it when the column has the room.
        DockRequest& r = docking->measured.back();
        const ImGuiWindow* w = ImGui::GetCurrentWindow();
        const ImVec2 pad = ImGui::GetStyle().WindowPadding;
        const float content_w = std::max(w->DC.CursorMaxPos.x, w->DC.IdealMaxPos.x) - w->DC.CursorStartPos.x;
        const float content_h = std::max(w->DC.CursorMaxPos.y, w->DC.IdealMaxPos.y) - w->DC.CursorStartPos.y;
        r.title_h = w->TitleBarHeight();
        r.wanted_w = std::ceil(content_w + 2 * pad.x) + 1;
        r.wanted_h = w->Collapsed ? r.title_h : std::ceil(r.title_h + content_h + 2 * pad.y) + 1;
        if (r.dock != Dock::top) ImGui::PopTextWrapPos();
    }
    ImGui::End();
}

void panel_dock(Dock where) {
    if (docking) docking->next = where;
}

Box view_center() {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    return docking ? docking->plan.center : Box{0, 0, size.x, size.y};
}

void view_label(float x, const char* text, unsigned background) {
    const Box c = view_center();
    const float pad = em(6);
    const float wrap = std::max(em(80), c.w - 4 * pad);
    const ImVec2 ts = ImGui::CalcTextSize(text, nullptr, false, wrap);
    float top = c.y + pad;
    if (docking) top = docking->label_y = std::max(docking->label_y, top);
    const float lx =
        std::clamp(x - ts.x * 0.5f, c.x + 2 * pad, std::max(c.x + 2 * pad, c.right() - ts.x - 2 * pad));
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->AddRectFilled(ImVec2(lx - pad, top - em(3)), ImVec2(lx + ts.x + pad, top + ts.y + em(3)), background,
                      em(4));
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(lx, top), IM_COL32(255, 255, 255, 255), text,
                nullptr, wrap);
    if (docking) docking->label_y = top + ts.y + em(10);
}

float em(float design_px) {
    return design_px * ImGui::GetFontSize() / 13.0f;
}

float fit_width(float design_px, const char* label) {
    const float label_w =
        label ? ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().ItemInnerSpacing.x : 0.0f;
    return std::max(em(40), std::min(em(design_px), ImGui::GetContentRegionAvail().x - label_w));
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

float toggle_width(const char* label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
           ImGui::CalcTextSize(label, nullptr, true).x;
}

void same_line_if_fits(float width) {
    const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
    const float edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (x + width <= edge) ImGui::SameLine();
}

bool checkbox_wrapped(const char* label, bool* value) {
    if (ImGui::GetContentRegionAvail().x >= toggle_width(label)) return ImGui::Checkbox(label, value);
    ImGui::PushID(label);
    bool changed = ImGui::Checkbox("##box", value);
    ImGui::PopID();
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    const std::string_view text(label);
    const std::string shown(text.substr(0, text.find("##")));
    ImGui::TextWrapped("%s", shown.c_str());
    if (ImGui::IsItemClicked()) {
        *value = !*value;
        changed = true;
    }
    return changed;
}

void export_row(Intent csv, Intent png, const std::string& message, bool failed, Intents& asked) {
    if (ImGui::Button(tr(S::flood_export_csv))) asked.push_back(std::move(csv));
    same_line_if_fits(button_width(tr(S::flood_export_png)));
    if (ImGui::Button(tr(S::flood_export_png))) asked.push_back(std::move(png));
    same_line_if_fits(button_width(tr(S::report_button)));
    if (ImGui::Button(tr(S::report_button)))
        asked.emplace_back(intent::Presenter{intent::Presenter::Op::report});
    if (message.empty()) return;
    if (failed)
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::flood_export_failed), message.c_str());
    else
        ImGui::TextDisabled(tr(S::flood_exported), message.c_str());
}

bool begin_table(const char* id, int columns, int flags, float height) {
    if (!ImGui::BeginTable(id, columns, flags, ImVec2(0, height))) return false;
    ImGui::PushTextWrapPos(-1.0f);
    return true;
}

void end_table() {
    ImGui::PopTextWrapPos();
    ImGui::EndTable();
}

void name_column(const char* label) {
    ImGui::TableSetupColumn(label, ImGuiTableColumnFlags_WidthStretch);
}

void value_column(const char* label) {
    ImGui::TableSetupColumn(label, ImGuiTableColumnFlags_WidthFixed);
}

void Overlay::begin_frame(VkExtent2D size, double dt) {
    const float px = ui_font_px(ui_size_, float(size.height));
    // Resizing a window by hand passes many sizes: the type follows once it settles (a
    // quarter second), scaled meanwhile.
    const double now = ImGui::GetTime();
    if (font_px_ <= 0 || (px != font_px_ && now - last_rebuild_s_ > 0.25)) {
        rebuild_type(px);
        last_rebuild_s_ = now;
    }
    ImGui_ImplVulkan_NewFrame();
    if (windowed_) {
        ImGui_ImplGlfw_NewFrame();
    } else {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(float(size.width), float(size.height));
        io.DeltaTime = float(dt > 0 ? dt : config.ui_dt);
    }
    ImGui::NewFrame();
    frame_text_.clear();
    captured_text = capture_text_ ? &frame_text_ : nullptr;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    docking_->plan = plan_docks(display.x, display.y, ImGui::GetFontSize(), docking_->measured);
    docking_->measured.clear();
    docking_->open_docks.clear();
    docking_->next.reset();
    docking_->label_y = 0;
    docking = docking_.get();
}

void Overlay::record(VkCommandBuffer cmd) {
    if (captured_text == &frame_text_) text_ = frame_text_;
    captured_text = nullptr;
    docking = nullptr;
    ImGui::Render();
    ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
}

std::vector<OverlayWindow> Overlay::windows() const {
    std::vector<OverlayWindow> out;
    for (const ImGuiWindow* w : GImGui->Windows) {
        if (!w->WasActive || w->Hidden) continue;
        if (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup))
            continue;
        const float h = w->Collapsed ? w->TitleBarHeight() : w->Size.y;
        const float content_w =
            w->Collapsed ? 0.0f : w->ContentSize.x + 2 * w->WindowPadding.x + w->ScrollbarSizes.x;
        // The title as shown ("Statistik###Statistics": the id after "###" is the same in both languages).
        const std::string_view name(w->Name);
        out.push_back(OverlayWindow{std::string(name.substr(0, name.find("###"))),
                                    Box{w->Pos.x, w->Pos.y, w->Size.x, h}, content_w});
    }
    return out;
}

bool write_ui_files(const Overlay* overlay, const std::string& text_path, const std::string& layout_path) {
    auto write = [](const std::string& path, const std::string& what) {
        if (path.empty()) return true;
        std::ofstream out(path, std::ios::binary);
        out << what;
        if (out.good()) return true;
        std::fprintf(stderr, "zwilling: could not write %s\n", path.c_str());
        return false;
    };
    nlohmann::json layout = nlohmann::json::object();
    if (overlay) {
        const ImVec2 d = ImGui::GetIO().DisplaySize;
        layout["window"] = {d.x, d.y};
        layout["font_px"] = overlay->font_px();
        layout["cap_px"] = std::round(overlay->font_px() * ui_font_cap_share * 10) / 10;
        layout["ui_size"] = ui_size_name(overlay->ui_size());
        nlohmann::json& panels = layout["panels"] = nlohmann::json::array();
        for (const OverlayWindow& w : overlay->windows())
            panels.push_back({{"name", w.name},
                              {"box", {w.box.x, w.box.y, w.box.w, w.box.h}},
                              {"content_w", w.content_w}});
    }
    return write(text_path, overlay ? overlay->text() : std::string()) &&
           write(layout_path, layout.dump(1) + "\n");
}

bool Overlay::wants_mouse() const {
    return ImGui::GetIO().WantCaptureMouse;
}
bool Overlay::wants_keyboard() const {
    return ImGui::GetIO().WantCaptureKeyboard;
}

std::optional<intent::Language> stats_panel(const FrameStatsView& s, bool collapsed) {
    panel_dock(Dock::left);
    ImGui::SetNextWindowCollapsed(collapsed, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowBgAlpha(0.75f);
    panel_begin(tr(S::stats_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    const std::optional<intent::Language> asked = language_switch();
    ImGui::TextUnformatted(s.scene.c_str());
    ImGui::TextDisabled("%s", s.device.c_str());
    ImGui::Separator();
    ImGui::Text(tr(S::stats_frame), num(s.frame_ms, 2).c_str(),
                num(s.frame_ms > 0 ? 1000.0 / s.frame_ms : 0.0, 0).c_str());
    ImGui::Text(tr(S::stats_cpu), num(s.cpu_ms, 2).c_str());
    double gpu_total = 0;
    if (s.gpu_passes && !s.gpu_passes->empty()) {
        for (const auto& p : *s.gpu_passes) {
            ImGui::Text(tr(S::stats_gpu_pass), p.name.c_str(), num(p.gpu_ms, 2).c_str());
            gpu_total += p.gpu_ms;
        }
        ImGui::Text(tr(S::stats_gpu_total), num(gpu_total, 2).c_str());
    } else {
        ImGui::TextDisabled("%s", tr(S::stats_gpu_none));
    }
    ImGui::Separator();
    ImGui::Text(tr(S::stats_draw_calls), num(s.draw.draw_calls, 0).c_str());
    ImGui::Text(tr(S::stats_triangles), num(double(s.draw.triangles), 0).c_str(),
                num(double(s.scene_triangles), 0).c_str());
    if (s.frame_ms > 0)
        ImGui::Text(tr(S::stats_throughput), num(s.draw.triangles / (s.frame_ms * 1000.0), 2).c_str(),
                    num(s.draw.draw_calls * 1000.0 / s.frame_ms, 0).c_str());
    ImGui::Text(tr(S::stats_meshes), num(s.draw.meshes_visible, 0).c_str(),
                num(s.draw.meshes_culled, 0).c_str());
    ImGui::Text(tr(S::stats_gpu_memory), num(s.memory.used_bytes / 1048576.0, 1).c_str(),
                num(s.memory.reserved_bytes / 1048576.0, 1).c_str(), num(s.memory.blocks, 0).c_str());
    if (s.windowed) {
        ImGui::Separator();
        ImGui::TextDisabled("%s", tr(s.fly ? S::controls_fly : S::controls_orbit));
        ImGui::TextDisabled("%s", tr(s.fly ? S::controls_keys_orbit : S::controls_keys_fly));
    }
    panel_end();
    return asked;
}

std::optional<intent::MaxSse> tiles_panel(const tiles::TileStreamer& streamer, bool collapsed) {
    panel_dock(Dock::left);
    ImGui::SetNextWindowCollapsed(collapsed, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowBgAlpha(0.75f);
    panel_begin(tr(S::tiles_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    std::optional<intent::MaxSse> asked;
    float sse = float(streamer.options.selection.maximum_sse);
    if (ImGui::SliderFloat(tr(S::tiles_max_sse), &sse, 1.0f, 64.0f, "%.1f", ImGuiSliderFlags_Logarithmic))
        asked = intent::MaxSse{sse};
    const tiles::StreamStats& st = streamer.stats();
    ImGui::Text(tr(S::tiles_counts), num(st.visible, 0).c_str(), num(st.loading, 0).c_str(),
                num(st.loaded, 0).c_str(), num(st.failed, 0).c_str());
    ImGui::Text(tr(S::tiles_memory), num(st.bytes_used / 1048576.0, 1).c_str(),
                num(st.budget / 1048576.0, 0).c_str(), num(st.peak_bytes / 1048576.0, 1).c_str());
    ImGui::Text(tr(S::tiles_queues), st.requests, st.jobs_queued, st.jobs_running, st.waiting_upload);
    ImGui::Text(tr(S::tiles_selection), num(st.selection_ms, 3).c_str());
    ImGui::TextDisabled("%s", tr(st.complete ? S::tiles_full_detail : S::tiles_refining));
    panel_end();
    return asked;
}

void twin_banner(const twin::Manifest& twin, const twin::Department* department) {
    panel_dock(Dock::top);
    // Green for the public, amber for the council, red for the administration: the
    // colour tells the hall's presenter which twin is on the projector.
    ImVec4 bg(0.10f, 0.42f, 0.18f, 0.92f);
    S audience = S::twin_public;
    if (twin.audience == twin::Audience::council) {
        bg = ImVec4(0.62f, 0.40f, 0.02f, 0.92f);
        audience = S::twin_council;
    } else if (twin.audience == twin::Audience::staff) {
        bg = ImVec4(0.62f, 0.10f, 0.08f, 0.92f);
        audience = S::twin_staff;
    }
    ImGui::PushStyleColor(ImGuiCol_WindowBg, bg);
    // Dark text on amber, white on green and red.
    ImGui::PushStyleColor(ImGuiCol_Text, twin.audience == twin::Audience::council
                                             ? ImVec4(0.08f, 0.05f, 0.0f, 1.0f)
                                             : ImVec4(1.0f, 1.0f, 1.0f, 1.0f));
    panel_begin("##twin", nullptr,
                ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                    ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs);
    const std::string& title = localized(twin.title_de, twin.title_en);
    ImGui::Text("%s  |  %s  |  %s", twin.town.c_str(), title.c_str(), tr(audience));
    if (department)
        ImGui::Text("%s: %s", tr(S::department),
                    localized(department->title_de, department->title_en).c_str());
    // The generated sample town must never pass for survey data.
    if (twin.synthetic) ImGui::TextUnformatted(tr(S::synthetic_data));
    panel_end();
    ImGui::PopStyleColor(2);
}

namespace {

const char* group_title(const std::string& group) {
    if (group == "base") return tr(S::group_base);
    if (group == "planning") return tr(S::group_planning);
    if (group == "infrastructure") return tr(S::group_infrastructure);
    if (group == "import") return tr(S::group_import);
    return nullptr;  // shown as the group's own name
}

ImVec4 rgb_color(uint32_t rgb) {
    return ImVec4(float((rgb >> 16) & 0xff) / 255.0f, float((rgb >> 8) & 0xff) / 255.0f,
                  float(rgb & 0xff) / 255.0f, 1.0f);
}

// One layer: toggle, title, tiles loaded (or why not), opacity on the same line; its
// legend below (short legends open, the long building legend closed). What the user
// changed goes to `out`.
void layer_row(const tiles::Layer& l, const twin::Layer* info, size_t index, float slider_x, Intents& out) {
    ImGui::PushID(int(index));
    const std::string& title = info ? localized(info->title_de, info->title_en) : l.name;
    bool visible = l.visible;
    if (checkbox_wrapped(title.c_str(), &visible)) out.push_back(intent::LayerVisible{index, visible});
    char loaded[64];
    std::snprintf(loaded, sizeof loaded, tr(S::tiles_loaded), l.tiles_loaded);
    const bool refused = l.error.find("HTTP 403") != std::string::npos;
    const char* status = l.state == tiles::LayerState::failed
                             ? tr(refused ? S::layer_no_access : S::layer_failed)
                         : l.state == tiles::LayerState::loading ? tr(S::layer_loading)
                                                                 : loaded;
    same_line_if_fits(ImGui::CalcTextSize(status).x);
    if (l.state == tiles::LayerState::failed) {
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", status);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", l.error.c_str());
    } else {
        ImGui::TextDisabled("%s", status);
    }
    // The opacity slider: in the column right of the titles where the panel is wide enough,
    // else on a line of its own under the title.
    const float slider_w = em(110);
    const float at = std::max(slider_x, ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 12);
    if (at + slider_w <= ImGui::GetWindowContentRegionMax().x) {
        ImGui::SameLine(at);
    } else {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetFrameHeight() +
                             ImGui::GetStyle().ItemInnerSpacing.x);
    }
    int percent = int(l.opacity * 100.0f + 0.5f);
    ImGui::SetNextItemWidth(std::min(slider_w, ImGui::GetContentRegionAvail().x));
    if (ImGui::SliderInt("##opacity", &percent, 0, 100, "%d %%"))
        out.push_back(intent::LayerOpacity{index, float(percent) / 100.0f});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::opacity));
    if (info && !info->legend.empty()) {
        ImGui::Indent(em(28));
        ImGui::SetNextItemOpen(info->legend.size() <= 3, ImGuiCond_FirstUseEver);
        if (ImGui::TreeNode(tr(S::legend))) {
            for (size_t k = 0; k < info->legend.size(); ++k) {
                const twin::LegendEntry& e = info->legend[k];
                ImGui::PushID(int(k));
                ImGui::ColorButton("##c", rgb_color(e.rgb),
                                   ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoBorder,
                                   ImVec2(em(12), em(12)));
                ImGui::SameLine();
                ImGui::TextUnformatted(localized(e.label_de, e.label_en).c_str());
                ImGui::PopID();
            }
            ImGui::TreePop();
        }
        ImGui::Unindent(em(28));
    }
    ImGui::PopID();
}

}  // namespace

Intents layer_panel(const tiles::TileStreamer& streamer, const twin::Manifest* twin) {
    panel_dock(Dock::right);
    ImGui::SetNextWindowBgAlpha(0.85f);
    panel_begin(tr(S::layers_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    Intents asked;
    const std::vector<tiles::Layer>& layers = streamer.layers();
    std::vector<const twin::Layer*> infos(layers.size(), nullptr);
    std::vector<std::string> groups;
    for (size_t i = 0; i < layers.size(); ++i) {
        if (twin && !layers[i].id.empty()) infos[i] = twin->layer(layers[i].id);
        const std::string g = infos[i] ? infos[i]->group : std::string("other");
        if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    // Panel order: base, planning, infrastructure, import, then the rest.
    std::vector<std::string> ordered;
    for (const char* known : {"base", "planning", "infrastructure", "import"})
        if (std::find(groups.begin(), groups.end(), known) != groups.end()) ordered.push_back(known);
    for (const std::string& g : groups)
        if (std::find(ordered.begin(), ordered.end(), g) == ordered.end() && g != "other")
            ordered.push_back(g);
    if (std::find(groups.begin(), groups.end(), "other") != groups.end()) ordered.push_back("other");
    // The opacity sliders line up in one column right of the longest title.
    float slider_x = 0;
    for (size_t i = 0; i < layers.size(); ++i) {
        const std::string& title =
            infos[i] ? localized(infos[i]->title_de, infos[i]->title_en) : layers[i].name;
        const std::string count = std::string(tr(S::tiles_loaded)) + "0000";
        slider_x =
            std::max(slider_x, ImGui::CalcTextSize(title.c_str()).x + ImGui::CalcTextSize(count.c_str()).x);
    }
    slider_x +=
        ImGui::GetFrameHeight() + 4 * ImGui::GetStyle().ItemSpacing.x + ImGui::GetStyle().WindowPadding.x;
    for (size_t gi = 0; gi < ordered.size(); ++gi) {
        const std::string& g = ordered[gi];
        if (gi > 0) ImGui::Spacing();
        const char* title = g == "other" ? tr(S::group_other) : group_title(g);
        ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), "%s", title ? title : g.c_str());
        ImGui::Separator();
        for (size_t i = 0; i < layers.size(); ++i)
            if ((infos[i] ? infos[i]->group : std::string("other")) == g)
                layer_row(layers[i], infos[i], i, slider_x, asked);
    }
    panel_end();
    return asked;
}

}  // namespace zw::viewer
