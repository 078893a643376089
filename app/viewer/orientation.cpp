#include "app/viewer/orientation.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/viewer/panel.h"
#include "app/viewer/scale_bar.h"

namespace zw::viewer {

void orientation_marks(const render::Camera& camera, float height) {
    const Box c = view_center();
    if (c.w < em(120) || c.h < em(120)) return;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const ImU32 ink = IM_COL32(255, 255, 255, 255), shade = IM_COL32(20, 30, 45, 200);
    const float pad = em(10);
    // The scale bar: metres per pixel at the target's distance.
    const render::CameraState& s = camera.state();
    const double m_per_px = 2.0 * s.distance * std::tan(camera.fov_y / 2.0) / std::max(1.0f, height);
    const double want_m = m_per_px * double(std::min(c.w / 6.0f, em(160)));
    const double metres = round_scale_length(want_m);
    const std::string label = scale_label(metres);
    const float bar_px = float(metres / m_per_px);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    const float bar_h = std::round(em(5));
    const ImVec2 right_bottom(c.right() - pad, c.bottom() - pad);
    const ImVec2 bar0(right_bottom.x - bar_px, right_bottom.y - bar_h);
    if (metres > 0 && bar_px > 1) {
        dl->AddRectFilled(ImVec2(bar0.x - em(6), bar0.y - ts.y - em(8)),
                          ImVec2(right_bottom.x + em(6), right_bottom.y + em(4)), shade, em(4));
        // Two halves, white and dark, as on a map.
        dl->AddRectFilled(bar0, ImVec2(bar0.x + bar_px * 0.5f, right_bottom.y), ink);
        dl->AddRect(bar0, right_bottom, ink);
        dl->AddText(ImVec2(right_bottom.x - bar_px * 0.5f - ts.x * 0.5f, bar0.y - ts.y - em(3)), ink,
                    label.c_str());
    }
    // The north arrow above the bar: turned by the heading (looking east, north is left).
    const float r = std::round(em(18));
    const ImVec2 centre(right_bottom.x - r - em(12), bar0.y - ts.y - em(16) - r - em(18));
    const float a = float(s.yaw);  // screen angle of north, counter-clockwise from up
    const float sn = std::sin(a), cs = std::cos(a);
    auto at = [&](float along, float across) {
        // `along` towards north, `across` to its right, in pixels.
        return ImVec2(centre.x + along * -sn + across * cs, centre.y - along * cs - across * sn);
    };
    dl->AddCircleFilled(centre, r + em(16), shade, 32);
    dl->AddTriangleFilled(at(r, 0), at(-r * 0.6f, -r * 0.5f), at(-r * 0.25f, 0), ink);
    dl->AddTriangle(at(r, 0), at(-r * 0.6f, r * 0.5f), at(-r * 0.25f, 0), ink);
    const char* n = "N";
    const ImVec2 ns = ImGui::CalcTextSize(n);
    const ImVec2 tip = at(r + em(2) + ns.y * 0.5f, 0);
    dl->AddText(ImVec2(tip.x - ns.x * 0.5f, tip.y - ns.y * 0.5f), ink, n);
}

}  // namespace zw::viewer
