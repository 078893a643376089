#include "app/viewer/layout.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace zw::viewer {
namespace {

// Heights for panels that want `wanted` in a column of `room`: all they want when it fits;
// else every panel gets at most a common cap, the largest that fills the room (short
// panels keep their height, tall ones share the rest), never below `least`.
std::vector<float> share(const std::vector<float>& wanted, const std::vector<float>& least, float room) {
    const float total = std::accumulate(wanted.begin(), wanted.end(), 0.0f);
    if (total <= room) return wanted;
    std::vector<float> sorted = wanted;
    std::sort(sorted.begin(), sorted.end());
    float cap = 0, used = 0;
    for (size_t i = 0; i < sorted.size(); ++i) {
        const float left = float(sorted.size() - i);
        const float c = (room - used) / left;
        if (sorted[i] > c) {
            cap = c;
            break;
        }
        used += sorted[i];
        cap = sorted[i];
    }
    std::vector<float> out(wanted.size());
    for (size_t i = 0; i < wanted.size(); ++i)
        out[i] = std::max(std::min(wanted[i], cap), std::min(least[i], wanted[i]));
    return out;
}

void stack(DockPlan& plan, const Box& column, float gap, std::vector<const DockRequest*> panels) {
    if (panels.empty()) return;
    // Title bars first: panels whose title bars do not fit are collapsed, from the last.
    float titles = 0;
    size_t fit = 0;
    for (; fit < panels.size(); ++fit) {
        const float t = std::max(panels[fit]->title_h, 1.0f) + (fit ? gap : 0.0f);
        if (titles + t > column.h) break;
        titles += t;
    }
    for (size_t i = fit; i < panels.size(); ++i)
        plan.collapsed.push_back(panels[i]->id);
    panels.resize(fit);
    if (panels.empty()) return;
    const float room = column.h - gap * float(panels.size() - 1);
    std::vector<float> wanted, least;
    for (const DockRequest* p : panels) {
        wanted.push_back(std::max(p->wanted_h, p->title_h));
        // A panel keeps its title bar and, where it has them, three lines of content.
        least.push_back(std::min(std::max(p->wanted_h, p->title_h), p->title_h * 4));
    }
    std::vector<float> h = share(wanted, least, room);
    // The least heights may overfill a crowded column: then everyone shrinks to fit.
    const float total = std::accumulate(h.begin(), h.end(), 0.0f);
    if (total > room)
        for (float& x : h)
            x *= room / total;
    float y = column.y;
    for (size_t i = 0; i < panels.size(); ++i) {
        plan.panels[panels[i]->id] = Box{column.x, y, column.w, h[i]};
        y += h[i] + gap;
    }
}

}  // namespace

DockPlan plan_docks(float width, float height, float em, const std::vector<DockRequest>& panels) {
    DockPlan plan;
    const float margin = std::round(em * 0.5f), gap = std::round(em * 0.4f);
    plan.window = Box{0, 0, width, height};
    // The top strip: its panels side by side, centred, as tall as the tallest.
    float top_w = 0, top_h = 0;
    std::vector<const DockRequest*> top;
    for (const DockRequest& p : panels)
        if (p.dock == Dock::top) {
            top.push_back(&p);
            top_w += p.wanted_w + (top.size() > 1 ? gap : 0);
            top_h = std::max(top_h, p.wanted_h);
        }
    top_h = std::min(top_h, height * 0.25f);
    const float inner_w = std::max(0.0f, width - 2 * margin);
    float x = margin + std::max(0.0f, (inner_w - top_w) * 0.5f);
    for (const DockRequest* p : top) {
        const float w = std::min(p->wanted_w, inner_w);
        plan.panels[p->id] = Box{std::min(x, width - margin - w), margin, w, top_h};
        x += w + gap;
    }
    plan.top = Box{0, 0, width, top.empty() ? 0 : margin + top_h};
    const float y0 = plan.top.h + margin;
    const float col_h = std::max(0.0f, height - y0 - margin);
    const float col_w = std::max(0.0f, std::min(20 * em, width * 0.3f));
    plan.left = Box{margin, y0, col_w, col_h};
    plan.right = Box{width - margin - col_w, y0, col_w, col_h};
    std::vector<const DockRequest*> left, right;
    for (const DockRequest& p : panels)
        if (p.dock == Dock::left)
            left.push_back(&p);
        else if (p.dock == Dock::right)
            right.push_back(&p);
    stack(plan, plan.left, gap, left);
    stack(plan, plan.right, gap, right);
    // The view's middle: between the columns that hold panels.
    const float cx0 = left.empty() ? 0 : plan.left.right() + margin;
    const float cx1 = right.empty() ? width : plan.right.x - margin;
    plan.center = Box{cx0, plan.top.h, std::max(0.0f, cx1 - cx0), std::max(0.0f, height - plan.top.h)};
    return plan;
}

}  // namespace zw::viewer
