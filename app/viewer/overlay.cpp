#include "app/viewer/overlay.h"

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_vulkan.h>
#include <imgui_internal.h>  // the log buffer (capture_text)

#include <algorithm>

#include "app/viewer/config.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "engine/core/log.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::viewer {
namespace {

// The frame's window texts while an Overlay captures them (null: not capturing).
std::string* captured_text = nullptr;
void check_imgui_vk(VkResult r) {
    if (r < 0) core::error("ImGui Vulkan backend: ", gpu::result_name(r));
}
}  // namespace

Overlay::Overlay(gpu::Context& ctx, VkRenderPass pass, GLFWwindow* window) : ctx_(ctx), windowed_(window) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // don't litter the working folder with imgui.ini
    ImGui::StyleColorsDark();
    ImGui::GetStyle().WindowRounding = 4.0f;
    if (window) ImGui_ImplGlfw_InitForVulkan(window, true);

    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, config.ui_descriptor_sets};
    VkDescriptorPoolCreateInfo dpi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    dpi.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
    dpi.maxSets = config.ui_descriptor_sets;
    dpi.poolSizeCount = 1;
    dpi.pPoolSizes = &size;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    ZW_VK(vkCreateDescriptorPool(ctx.device(), &dpi, nullptr, &pool));
    pool_ = gpu::DescriptorPool(ctx.device(), pool);
    ctx.set_name(pool, VK_OBJECT_TYPE_DESCRIPTOR_POOL, "imgui descriptor pool");

    ImGui_ImplVulkan_InitInfo info{};
    info.Instance = ctx.instance();
    info.PhysicalDevice = ctx.physical_device();
    info.Device = ctx.device();
    info.QueueFamily = ctx.queue_family();
    info.Queue = ctx.queue();
    info.DescriptorPool = pool;
    info.Subpass = 0;
    // The backend rotates its vertex buffers per call; at least frames_in_flight + 1
    // keeps it clear of buffers the GPU still reads.
    info.MinImageCount = 2;
    info.ImageCount = gpu::frames_in_flight + 1;
    info.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
    info.CheckVkResultFn = check_imgui_vk;
    ImGui_ImplVulkan_Init(&info, pass);
    ctx.submit_now([](VkCommandBuffer cmd) { ImGui_ImplVulkan_CreateFontsTexture(cmd); });
    ImGui_ImplVulkan_DestroyFontUploadObjects();
}

Overlay::~Overlay() {
    ctx_.wait_idle();
    ImGui_ImplVulkan_Shutdown();
    if (windowed_) ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
}

bool panel_begin(const char* name, bool* open, int flags) {
    const bool shown = ImGui::Begin(name, open, flags);
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
    ImGui::End();
}

void Overlay::begin_frame(VkExtent2D size, double dt) {
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
}

void Overlay::record(VkCommandBuffer cmd) {
    if (captured_text == &frame_text_) text_ = frame_text_;
    captured_text = nullptr;
    ImGui::Render();
    ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
}

bool Overlay::wants_mouse() const {
    return ImGui::GetIO().WantCaptureMouse;
}
bool Overlay::wants_keyboard() const {
    return ImGui::GetIO().WantCaptureKeyboard;
}

void stats_panel(const FrameStatsView& s, bool collapsed) {
    ImGui::SetNextWindowPos(ImVec2(10, 60), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowCollapsed(collapsed, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowBgAlpha(0.75f);
    panel_begin(tr(S::stats_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    ImGui::TextUnformatted(s.scene.c_str());
    ImGui::TextDisabled("%s", s.device.c_str());
    ImGui::Separator();
    ImGui::Text(tr(S::stats_frame), s.frame_ms, s.frame_ms > 0 ? 1000.0 / s.frame_ms : 0.0);
    ImGui::Text(tr(S::stats_cpu), s.cpu_ms);
    double gpu_total = 0;
    if (s.gpu_passes && !s.gpu_passes->empty()) {
        for (const auto& p : *s.gpu_passes) {
            ImGui::Text(tr(S::stats_gpu_pass), p.name.c_str(), p.gpu_ms);
            gpu_total += p.gpu_ms;
        }
        ImGui::Text(tr(S::stats_gpu_total), gpu_total);
    } else {
        ImGui::TextDisabled("%s", tr(S::stats_gpu_none));
    }
    ImGui::Separator();
    ImGui::Text(tr(S::stats_draw_calls), s.draw.draw_calls);
    ImGui::Text(tr(S::stats_triangles), static_cast<unsigned long long>(s.draw.triangles),
                static_cast<unsigned long long>(s.scene_triangles));
    if (s.frame_ms > 0)
        ImGui::Text(tr(S::stats_throughput), s.draw.triangles / (s.frame_ms * 1000.0),
                    s.draw.draw_calls * 1000.0 / s.frame_ms);
    ImGui::Text(tr(S::stats_meshes), s.draw.meshes_visible, s.draw.meshes_culled);
    ImGui::Text(tr(S::stats_gpu_memory), s.memory.used_bytes / 1048576.0, s.memory.reserved_bytes / 1048576.0,
                s.memory.blocks);
    if (s.windowed) {
        ImGui::Separator();
        ImGui::TextDisabled("%s", tr(s.fly ? S::controls_fly : S::controls_orbit));
        ImGui::TextDisabled("%s", tr(s.fly ? S::controls_keys_orbit : S::controls_keys_fly));
    }
    panel_end();
}

std::optional<intent::MaxSse> tiles_panel(const tiles::TileStreamer& streamer, bool collapsed) {
    ImGui::SetNextWindowPos(ImVec2(10, collapsed ? 90 : 420), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowCollapsed(collapsed, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowBgAlpha(0.75f);
    panel_begin(tr(S::tiles_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    std::optional<intent::MaxSse> asked;
    float sse = float(streamer.options.selection.maximum_sse);
    if (ImGui::SliderFloat(tr(S::tiles_max_sse), &sse, 1.0f, 64.0f, "%.1f", ImGuiSliderFlags_Logarithmic))
        asked = intent::MaxSse{sse};
    const tiles::StreamStats& st = streamer.stats();
    ImGui::Text(tr(S::tiles_counts), st.visible, st.loading, st.loaded, st.failed);
    ImGui::Text(tr(S::tiles_memory), st.bytes_used / 1048576.0, st.budget / 1048576.0,
                st.peak_bytes / 1048576.0);
    ImGui::Text(tr(S::tiles_queues), st.requests, st.jobs_queued, st.jobs_running, st.waiting_upload);
    ImGui::Text(tr(S::tiles_selection), st.selection_ms);
    ImGui::TextDisabled("%s", tr(st.complete ? S::tiles_full_detail : S::tiles_refining));
    panel_end();
    return asked;
}

void twin_banner(const twin::Manifest& twin, const twin::Department* department) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, 6), ImGuiCond_Always, ImVec2(0.5f, 0.0f));
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
    if (ImGui::Checkbox(title.c_str(), &visible)) out.push_back(intent::LayerVisible{index, visible});
    ImGui::SameLine();
    if (l.state == tiles::LayerState::failed) {
        const bool refused = l.error.find("HTTP 403") != std::string::npos;
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s",
                           tr(refused ? S::layer_no_access : S::layer_failed));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", l.error.c_str());
    } else if (l.state == tiles::LayerState::loading) {
        ImGui::TextDisabled("%s", tr(S::layer_loading));
    } else {
        ImGui::TextDisabled(tr(S::tiles_loaded), l.tiles_loaded);
    }
    ImGui::SameLine(std::max(slider_x, ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 12));
    int percent = int(l.opacity * 100.0f + 0.5f);
    ImGui::SetNextItemWidth(110);
    if (ImGui::SliderInt("##opacity", &percent, 0, 100, "%d %%"))
        out.push_back(intent::LayerOpacity{index, float(percent) / 100.0f});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::opacity));
    if (info && !info->legend.empty()) {
        ImGui::Indent(28);
        ImGui::SetNextItemOpen(info->legend.size() <= 3, ImGuiCond_FirstUseEver);
        if (ImGui::TreeNode(tr(S::legend))) {
            for (size_t k = 0; k < info->legend.size(); ++k) {
                const twin::LegendEntry& e = info->legend[k];
                ImGui::PushID(int(k));
                ImGui::ColorButton("##c", rgb_color(e.rgb),
                                   ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoBorder,
                                   ImVec2(12, 12));
                ImGui::SameLine();
                ImGui::TextUnformatted(localized(e.label_de, e.label_en).c_str());
                ImGui::PopID();
            }
            ImGui::TreePop();
        }
        ImGui::Unindent(28);
    }
    ImGui::PopID();
}

}  // namespace

Intents layer_panel(const tiles::TileStreamer& streamer, const twin::Manifest* twin) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(size.x - 10, 60), ImGuiCond_FirstUseEver, ImVec2(1.0f, 0.0f));
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
