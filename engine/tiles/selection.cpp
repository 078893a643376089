#include "engine/tiles/selection.h"

#include <algorithm>
#include <cmath>

namespace zw::tiles {

double ViewState::sse_factor() const {
    return viewport_height / (2.0 * std::tan(fov_y * 0.5));
}

double screen_space_error(double geometric_error, double distance, const ViewState& view) {
    return geometric_error * view.sse_factor() / std::max(distance, 1e-3);
}

bool tile_ready(const Tile& tile) {
    return std::all_of(tile.contents.begin(), tile.contents.end(),
                       [](const TileContent& c) { return c.state == ContentState::ready; });
}

bool tile_failed(const Tile& tile) {
    return tile.subtree_failed ||
           std::any_of(tile.contents.begin(), tile.contents.end(),
                       [](const TileContent& c) { return c.state == ContentState::failed; });
}

namespace {

constexpr double tier_scale = 1e9;

struct Traversal {
    const ViewState& view;
    const SelectionOptions& options;
    uint64_t frame;
    Selection& out;
    std::vector<double> render_distance;  // parallel to out.render, for the nearest-first sort

    bool in_view(const Tile& t) const {
        if (t.viewer_request_volume && !contains(t.viewer_request_volume->box, view.eye)) return false;
        Obb rel = t.bounds.box;
        rel.center -= view.eye;
        return view.culling.visible(rel);
    }

    // Larger for tiles with a larger error and nearer the middle of the view.
    double priority_of(const Tile& t, double sse, LoadTier tier) const {
        const glm::dvec3 to = t.bounds.sphere.center - view.eye;
        const double len = glm::length(to);
        const double cos_angle = len > 1e-9 ? glm::dot(to, view.direction) / len : 1.0;
        const double centrality = 0.5 + 0.5 * std::max(cos_angle, 0.0);
        return double(tier) * tier_scale + std::min(sse, 1e6) * centrality;
    }

    void request_contents(Tile& t, double sse, LoadTier tier, bool needed) {
        t.wanted_frame = frame;
        for (size_t i = 0; i < t.contents.size(); ++i) {
            const ContentState s = t.contents[i].state;
            if (s == ContentState::unloaded) {
                out.loads.push_back({&t, int(i), tier, priority_of(t, sse, tier)});
                if (needed) out.complete = false;
            } else if (needed && (s == ContentState::loading || s == ContentState::decoded)) {
                ++out.waiting;
                out.complete = false;
            }
        }
        t.priority = priority_of(t, sse, tier);
    }

    void draw(Tile& t, double dist) {
        if (t.contents.empty()) return;
        out.render.push_back(&t);
        render_distance.push_back(dist);
    }

    // Selects `t` at its own detail. Returns whether its area is covered.
    bool want(Tile& t, double sse, double dist, bool ancestor_ready) {
        if (tile_ready(t)) {
            draw(t, dist);
            return true;
        }
        if (tile_failed(t)) return false;
        // Nothing above can stand in for it: a hole until it arrives.
        request_contents(t, sse, ancestor_ready ? LoadTier::normal : LoadTier::urgent, true);
        return false;
    }

    bool subtree_wanted(Tile& t, double sse) {
        if (!t.subtree_pending) return false;
        if (t.subtree_failed) return false;
        t.wanted_frame = frame;
        if (!t.subtree_loading) {
            out.loads.push_back({&t, -1, LoadTier::urgent, priority_of(t, sse, LoadTier::urgent)});
        }
        out.complete = false;
        return true;
    }

    // Selects the subtree of `t`. Returns whether everything it drew covers its area.
    bool visit(Tile& t, bool ancestor_ready) {
        ++out.visited;
        if (!in_view(t)) {
            ++out.culled;
            return true;  // nothing to draw there
        }
        t.last_used_frame = frame;
        const double dist = distance(t.bounds.box, view.eye);
        const double sse = screen_space_error(t.geometric_error, dist, view);

        // An implicit subtree root learns its contents and children from its subtree file.
        if (subtree_wanted(t, sse)) return false;

        const bool leaf = t.children.empty() || t.depth >= options.max_depth;
        if (leaf || sse <= options.maximum_sse) return want(t, sse, dist, ancestor_ready);

        const bool self_ready = tile_ready(t) && !t.contents.empty();
        if (t.refine == Refine::add) {
            // ADD: the tile's own content stays part of the view; children add detail.
            const bool covered = want(t, sse, dist, ancestor_ready);
            for (auto& child : t.children)
                visit(*child, ancestor_ready || self_ready);
            preload_culled_children(t);
            return covered;
        }

        // REPLACE: children replace the tile only once all of them (in view) can be drawn.
        const size_t mark = out.render.size();
        bool all = true;
        for (auto& child : t.children)
            all = visit(*child, ancestor_ready || self_ready) && all;
        preload_culled_children(t);
        if (all) {
            if (options.preload_ancestors && !t.contents.empty())
                request_contents(t, sse, LoadTier::preload, false);
            return true;
        }
        if (self_ready) {
            // Keep drawing this tile until the children are ready (no holes, no overlap).
            out.render.resize(mark);
            render_distance.resize(mark);
            draw(t, dist);
            return true;
        }
        // Neither: draw what the children have and load this tile as their stand-in
        // (needed: a failed child leaves it as the only way to cover its area).
        if (!t.contents.empty() && !tile_failed(t))
            request_contents(t, sse, ancestor_ready ? LoadTier::normal : LoadTier::urgent, true);
        return false;
    }

    void preload_culled_children(Tile& t) {
        if (!options.preload_siblings) return;
        for (auto& child : t.children) {
            Tile& c = *child;
            if (c.last_used_frame == frame || c.contents.empty()) continue;
            const double dist = distance(c.bounds.box, view.eye);
            request_contents(c, screen_space_error(c.geometric_error, dist, view), LoadTier::preload, false);
        }
    }
};

}  // namespace

void sort_loads(std::vector<LoadRequest>& loads) {
    std::stable_sort(loads.begin(), loads.end(),
                     [](const LoadRequest& a, const LoadRequest& b) { return a.priority > b.priority; });
}

void select_tiles(Tile& root, const ViewState& view, const SelectionOptions& options, uint64_t frame,
                  Selection& out) {
    Traversal tr{view, options, frame, out, {}};
    const size_t first = out.render.size();
    tr.render_distance.assign(first, 0.0);
    tr.visit(root, false);
    // Nearest first: front-to-back drawing lets the depth test reject hidden pixels early.
    std::vector<size_t> order(out.render.size() - first);
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = first + i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return tr.render_distance[a] < tr.render_distance[b]; });
    std::vector<Tile*> sorted;
    sorted.reserve(order.size());
    for (size_t i : order)
        sorted.push_back(out.render[i]);
    std::copy(sorted.begin(), sorted.end(), out.render.begin() + long(first));
}

std::vector<size_t> choose_evictions(std::span<const CacheItem> items, uint64_t used, uint64_t budget,
                                     uint64_t frame) {
    std::vector<size_t> chosen;
    if (used <= budget) return chosen;
    std::vector<size_t> candidates;
    for (size_t i = 0; i < items.size(); ++i)
        if (items[i].last_used_frame < frame) candidates.push_back(i);
    std::sort(candidates.begin(), candidates.end(), [&](size_t a, size_t b) {
        if (items[a].last_used_frame != items[b].last_used_frame)
            return items[a].last_used_frame < items[b].last_used_frame;
        if (items[a].depth != items[b].depth) return items[a].depth > items[b].depth;
        return a < b;
    });
    for (size_t i : candidates) {
        if (used <= budget) break;
        chosen.push_back(i);
        used -= std::min(used, items[i].bytes);
    }
    return chosen;
}

}  // namespace zw::tiles
