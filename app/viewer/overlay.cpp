#include "app/viewer/overlay.h"

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_vulkan.h>

#include "engine/core/log.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::viewer {
namespace {
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

    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 16};
    VkDescriptorPoolCreateInfo dpi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    dpi.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
    dpi.maxSets = 16;
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

void Overlay::begin_frame(VkExtent2D size, double dt) {
    ImGui_ImplVulkan_NewFrame();
    if (windowed_) {
        ImGui_ImplGlfw_NewFrame();
    } else {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(float(size.width), float(size.height));
        io.DeltaTime = float(dt > 0 ? dt : 1.0 / 60.0);
    }
    ImGui::NewFrame();
}

void Overlay::record(VkCommandBuffer cmd) {
    ImGui::Render();
    ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
}

bool Overlay::wants_mouse() const {
    return ImGui::GetIO().WantCaptureMouse;
}
bool Overlay::wants_keyboard() const {
    return ImGui::GetIO().WantCaptureKeyboard;
}

void stats_panel(const FrameStatsView& s) {
    ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowBgAlpha(0.75f);
    ImGui::Begin("Statistik / Stats", nullptr,
                 ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    if (!s.town.empty()) {
        ImGui::TextUnformatted(s.town.c_str());
        ImGui::TextUnformatted(s.twin_title.c_str());
        // The generated sample town must never pass for survey data.
        if (s.synthetic)
            ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "synthetische Daten / synthetic data");
    } else {
        ImGui::TextUnformatted(s.scene.c_str());
    }
    ImGui::TextDisabled("%s", s.device.c_str());
    ImGui::Separator();
    ImGui::Text("frame      %7.2f ms  (%.0f fps)", s.frame_ms, s.frame_ms > 0 ? 1000.0 / s.frame_ms : 0.0);
    ImGui::Text("CPU        %7.2f ms", s.cpu_ms);
    double gpu_total = 0;
    if (s.gpu_passes && !s.gpu_passes->empty()) {
        for (const auto& p : *s.gpu_passes) {
            ImGui::Text("GPU %-7s%7.2f ms", p.name.c_str(), p.gpu_ms);
            gpu_total += p.gpu_ms;
        }
        ImGui::Text("GPU total  %7.2f ms", gpu_total);
    } else {
        ImGui::TextDisabled("GPU timestamps not available");
    }
    ImGui::Separator();
    ImGui::Text("draw calls %7u", s.draw.draw_calls);
    ImGui::Text("triangles  %7llu / %llu", static_cast<unsigned long long>(s.draw.triangles),
                static_cast<unsigned long long>(s.scene_triangles));
    if (s.frame_ms > 0)
        ImGui::Text("throughput %7.2f Mtri/s, %.0f draws/s", s.draw.triangles / (s.frame_ms * 1000.0),
                    s.draw.draw_calls * 1000.0 / s.frame_ms);
    ImGui::Text("meshes     %7u drawn, %u culled", s.draw.meshes_visible, s.draw.meshes_culled);
    ImGui::Text("GPU memory %7.1f MiB used, %.1f MiB in %u blocks", s.memory.used_bytes / 1048576.0,
                s.memory.reserved_bytes / 1048576.0, s.memory.blocks);
    if (s.windowed) {
        ImGui::Separator();
        if (s.fly)
            ImGui::TextDisabled("fly: WASD, Q/E, drag to look, Shift faster");
        else
            ImGui::TextDisabled("orbit: drag to turn, right-drag to pan, wheel");
        ImGui::TextDisabled("Tab: %s mode, F: show everything", s.fly ? "orbit" : "fly");
    }
    ImGui::End();
}

void tiles_panel(tiles::TileStreamer& streamer) {
    ImGui::SetNextWindowPos(ImVec2(10, 420), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowBgAlpha(0.75f);
    ImGui::Begin("Kacheln / Tiles", nullptr,
                 ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    for (size_t i = 0; i < streamer.layers().size(); ++i) {
        tiles::Layer& l = streamer.layers()[i];
        ImGui::PushID(int(i));
        ImGui::Checkbox(l.name.c_str(), &l.visible);
        ImGui::SameLine();
        if (l.state == tiles::LayerState::failed)
            ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "failed");
        else if (l.state == tiles::LayerState::loading)
            ImGui::TextDisabled("loading");
        else
            ImGui::TextDisabled("%u tiles", l.tiles_drawn);
        ImGui::PopID();
    }
    ImGui::Separator();
    float sse = float(streamer.options.selection.maximum_sse);
    if (ImGui::SliderFloat("max SSE (px)", &sse, 1.0f, 64.0f, "%.1f", ImGuiSliderFlags_Logarithmic))
        streamer.options.selection.maximum_sse = sse;
    const tiles::StreamStats& st = streamer.stats();
    ImGui::Text("tiles      %5u visible, %u loading, %u loaded, %u failed", st.visible, st.loading, st.loaded,
                st.failed);
    ImGui::Text("memory     %7.1f / %.0f MiB (peak %.1f)", st.bytes_used / 1048576.0, st.budget / 1048576.0,
                st.peak_bytes / 1048576.0);
    ImGui::Text("queues     %u wanted, %u jobs queued, %u running, %u to upload", st.requests, st.jobs_queued,
                st.jobs_running, st.waiting_upload);
    ImGui::Text("selection  %7.3f ms", st.selection_ms);
    if (st.complete)
        ImGui::TextDisabled("full detail");
    else
        ImGui::TextDisabled("refining...");
    ImGui::End();
}

}  // namespace zw::viewer
