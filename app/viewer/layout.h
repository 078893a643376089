// Where the overlay's panels go: docked regions that never overlap and follow the window's
// size. A strip along the top holds the twin's banner; a column on the left holds the
// panels that drive the view (statistics, tiles, flood, traffic), one on the right those
// that explain it (layers, impacts, inspector); the 3D view keeps the middle. Panels stack
// in a column in the order they are asked for, each as tall as its content when the column
// has the room; when it has not, the tall ones share what the short ones leave and scroll,
// and when not even their title bars fit, the last ones are collapsed. Pure arithmetic, no
// ImGui: the overlay (overlay.cpp) measures the panels in one frame and places them by
// this plan in the next.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace zw::viewer {

struct Box {
    float x = 0, y = 0, w = 0, h = 0;
    float right() const { return x + w; }
    float bottom() const { return y + h; }
    // Whether the two share any area (touching edges do not).
    bool overlaps(const Box& o) const {
        return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }
    bool inside(const Box& o) const {
        return x >= o.x && y >= o.y && right() <= o.right() && bottom() <= o.bottom();
    }
};

enum class Dock { top, left, right };

// A panel as measured in the frame before.
struct DockRequest {
    std::string id;  // the ImGui window name
    Dock dock = Dock::left;
    float wanted_w = 0;  // its content's width (the top strip's panels; columns have theirs)
    float wanted_h = 0;  // its height with all of its content (title bar only when collapsed)
    float title_h = 0;   // its title bar (0: none)
};

struct DockPlan {
    Box window;                          // the whole window
    Box top, left, right, center;        // the regions (left, right, center below the top strip)
    std::map<std::string, Box> panels;   // where each requested panel goes
    std::vector<std::string> collapsed;  // panels that must be collapsed for want of room
};

// The regions and panel boxes for a window of width x height pixels with a font of em
// pixels. Columns are 20 em wide (at most 30 % of the width each), margins half an em.
DockPlan plan_docks(float width, float height, float em, const std::vector<DockRequest>& panels);

}  // namespace zw::viewer
