#include "engine/tiles/stream.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/tiles/content.h"

namespace zw::tiles {

// Finished loads, handed from the workers to the thread that calls update(). Jobs hold
// it by shared_ptr and never touch the tile tree, so a streamer can go away while a
// worker is still fetching.
struct TileStreamer::Inbox {
    struct Result {
        uint64_t id = 0;
        std::string error;  // empty: success
        std::shared_ptr<LoadedContent> content;
        std::unique_ptr<ParsedTileset> tileset;  // a layer's root or an external tileset
        std::unique_ptr<Subtree> subtree;
    };
    std::mutex mutex;
    std::vector<Result> results;

    void post(Result r) {
        std::lock_guard lock(mutex);
        results.push_back(std::move(r));
    }
    std::vector<Result> take() {
        std::lock_guard lock(mutex);
        return std::exchange(results, {});
    }
};

namespace {

// core::fetch, refusing what lies outside `root` (when given). data: URIs hold their
// bytes and reach nothing.
std::vector<uint8_t> fetch_inside(const std::string& uri, const core::FetchOptions& fo,
                                  const std::string& root) {
    if (!root.empty() && !uri.starts_with("data:") && !core::uri_inside(root, uri))
        fail("'", core::display_uri(uri), "' lies outside ", core::display_uri(root),
             ", the folder this layer may read from; refused");
    return core::fetch(uri, fo);
}

uint64_t next_request_id() {
    static std::atomic<uint64_t> id{0};
    return ++id;
}

// The tileset.json URIs above `tile` (for refusing external-tileset cycles).
std::vector<std::string> ancestor_tilesets(const Tile& tile) {
    std::vector<std::string> uris;
    for (const Tile* t = &tile; t; t = t->parent)
        if (t->tileset_uri && (uris.empty() || uris.back() != *t->tileset_uri))
            uris.push_back(*t->tileset_uri);
    std::reverse(uris.begin(), uris.end());  // outermost first
    return uris;
}

}  // namespace

TileStreamer::TileStreamer(core::JobSystem& jobs, ContentUploader& uploader, StreamOptions o)
    : options(std::move(o)), jobs_(jobs), uploader_(uploader), inbox_(std::make_shared<Inbox>()) {}

TileStreamer::~TileStreamer() {
    for (InFlight& f : in_flight_)
        core::JobSystem::cancel(f.job);
    for (auto& [tile, i] : resident_) {
        TileContent& c = tile->contents[size_t(i)];
        if (c.loaded) uploader_.release(*c.loaded);
    }
}

size_t TileStreamer::add_tileset(const std::string& uri_in, const std::string& name,
                                 const std::string& confine_root) {
    const std::string uri = core::normalize_uri(uri_in);
    Layer layer;
    layer.uri = uri;
    layer.confine_root = confine_root;
    layer.name = name.empty() ? core::display_uri(uri) : name;
    layers_.push_back(std::move(layer));
    const size_t index = layers_.size() - 1;

    const uint64_t id = next_request_id();
    auto inbox = inbox_;
    const core::FetchOptions fo = options.fetch;
    const std::string root = confine_root;
    // Roots come first: nothing can be drawn without them.
    core::JobSystem::Handle job = jobs_.submit(4 * 1e9, [inbox, id, uri, fo, root] {
        Inbox::Result r;
        r.id = id;
        try {
            const std::vector<uint8_t> bytes = fetch_inside(uri, fo, root);
            r.tileset = std::make_unique<ParsedTileset>(parse_tileset(bytes, uri));
        } catch (const std::exception& e) {
            r.error = e.what();
        }
        inbox->post(std::move(r));
    });
    in_flight_.push_back({id, nullptr, -1, index, job});
    return index;
}

bool TileStreamer::roots_settled() const {
    return std::none_of(layers_.begin(), layers_.end(),
                        [](const Layer& l) { return l.state == LayerState::loading; });
}

std::optional<Bounds> TileStreamer::root_bounds() const {
    std::optional<Bounds> out;
    for (const Layer& l : layers_) {
        if (l.state != LayerState::ready || !l.root) continue;
        const Sphere& s = l.root->bounds.sphere;
        if (!out) {
            out = l.root->bounds;
            continue;
        }
        // Merge spheres; the box becomes the cube around the merged sphere.
        Sphere& m = out->sphere;
        const glm::dvec3 d = s.center - m.center;
        const double dist = glm::length(d);
        if (dist + s.radius <= m.radius) continue;
        if (dist + m.radius <= s.radius) {
            m = s;
        } else {
            const double r = 0.5 * (dist + m.radius + s.radius);
            m.center += d * ((r - m.radius) / std::max(dist, 1e-12));
            m.radius = r;
        }
        out->box = Obb{m.center, glm::dmat3(m.radius)};
    }
    return out;
}

void TileStreamer::fail(TileContent& content, const std::string& reason) {
    content.state = ContentState::failed;
    content.error = reason;
    content.loaded.reset();
    ++stats_.failed;
    core::warn("tile '", core::display_uri(content.uri), "' could not be loaded: ", reason,
               " (its parent stays drawn)");
}

void TileStreamer::harvest() {
    std::vector<Inbox::Result> results = inbox_->take();
    for (Inbox::Result& r : results) {
        auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                               [&](const InFlight& f) { return f.id == r.id; });
        if (it == in_flight_.end()) continue;
        const InFlight f = *it;
        in_flight_.erase(it);

        if (!f.tile) {
            Layer& layer = layers_[f.layer];
            if (!r.error.empty()) {
                layer.state = LayerState::failed;
                layer.error = r.error;
                core::error("layer '", layer.name, "': ", r.error);
                continue;
            }
            layer.root = std::move(r.tileset->root);
            layer.warnings = std::move(r.tileset->warnings);
            for (const std::string& w : layer.warnings)
                core::warn("layer '", layer.name, "': ", w);
            layer.state = LayerState::ready;
            continue;
        }

        Tile& tile = *f.tile;
        if (f.content < 0) {
            tile.subtree_loading = false;
            if (!r.error.empty()) {
                tile.subtree_failed = true;
                ++stats_.failed;
                core::warn("subtree '", core::display_uri(tile.subtree_uri),
                           "' could not be loaded: ", r.error, " (its parent stays drawn)");
                continue;
            }
            expand_subtree(tile, *r.subtree);
            continue;
        }
        TileContent& c = tile.contents[size_t(f.content)];
        if (!r.error.empty()) {
            fail(c, r.error);
            continue;
        }
        if (r.tileset) {
            // An external tileset: its root becomes this tile's child.
            for (const std::string& w : r.tileset->warnings)
                core::warn("tileset '", core::display_uri(c.uri), "': ", w);
            r.tileset->root->parent = &tile;
            tile.children.push_back(std::move(r.tileset->root));
            c.state = ContentState::ready;
            c.loaded = std::make_shared<LoadedContent>();
            continue;
        }
        c.loaded = std::move(r.content);
        c.state = ContentState::decoded;
        bytes_used_ += c.loaded->cpu_bytes;
        upload_queue_.emplace_back(&tile, f.content);
        resident_.emplace_back(&tile, f.content);
        ++stats_.loaded_total;
    }
}

void TileStreamer::start_content(Tile& tile, int index, double priority) {
    TileContent& c = tile.contents[size_t(index)];
    c.state = ContentState::loading;
    const std::string uri = c.uri;
    const glm::dmat4 transform = tile.transform;
    const Refine refine = tile.refine;
    const uint32_t depth = tile.depth + 1;
    std::vector<std::string> ancestors = ancestor_tilesets(tile);
    const core::FetchOptions fo = options.fetch;
    const std::string root = confine_root_of(tile);
    auto inbox = inbox_;
    const uint64_t id = next_request_id();
    core::JobSystem::Handle job =
        jobs_.submit(priority, [inbox, id, uri, transform, refine, depth, ancestors, fo, root] {
            Inbox::Result r;
            r.id = id;
            try {
                const std::vector<uint8_t> bytes = fetch_inside(uri, fo, root);
                const FetchFn fetch = [fo, root](const std::string& u) { return fetch_inside(u, fo, root); };
                DecodedContent d = decode_content(bytes, uri, transform, fetch);
                if (d.kind == DecodedContent::Kind::external_tileset) {
                    r.tileset = std::make_unique<ParsedTileset>(
                        parse_tileset(d.json, uri, transform, refine, depth, ancestors));
                } else {
                    auto loaded = std::make_shared<LoadedContent>();
                    loaded->cpu_bytes = d.cpu_bytes();
                    loaded->model = std::move(d.model);
                    r.content = std::move(loaded);
                }
            } catch (const std::exception& e) {
                r.error = e.what();
            }
            inbox->post(std::move(r));
        });
    in_flight_.push_back({id, &tile, index, 0, job});
}

void TileStreamer::start_subtree(Tile& tile, double priority) {
    tile.subtree_loading = true;
    const std::string uri = tile.subtree_uri;
    const std::shared_ptr<const ImplicitTiling> tiling = tile.implicit;
    const core::FetchOptions fo = options.fetch;
    const std::string root = confine_root_of(tile);
    auto inbox = inbox_;
    const uint64_t id = next_request_id();
    core::JobSystem::Handle job = jobs_.submit(priority, [inbox, id, uri, tiling, fo, root] {
        Inbox::Result r;
        r.id = id;
        try {
            const std::vector<uint8_t> bytes = fetch_inside(uri, fo, root);
            const FetchFn fetch = [fo, root](const std::string& u) { return fetch_inside(u, fo, root); };
            r.subtree = std::make_unique<Subtree>(parse_subtree(bytes, uri, *tiling, fetch));
        } catch (const std::exception& e) {
            r.error = e.what();
        }
        inbox->post(std::move(r));
    });
    in_flight_.push_back({id, &tile, -1, 0, job});
}

void TileStreamer::schedule(std::vector<LoadRequest>& loads, uint64_t frame) {
    // Loads the view no longer wants are dropped before a worker spends time on them.
    for (auto it = in_flight_.begin(); it != in_flight_.end();) {
        Tile* t = it->tile;
        if (!t || t->wanted_frame == frame) {
            if (t && !it->job->started) jobs_.reprioritize(it->job, t->priority);
            ++it;
            continue;
        }
        if (core::JobSystem::cancel(it->job)) {
            if (it->content < 0)
                t->subtree_loading = false;
            else
                t->contents[size_t(it->content)].state = ContentState::unloaded;
            it = in_flight_.erase(it);
        } else {
            ++it;
        }
    }
    sort_loads(loads);
    for (const LoadRequest& r : loads) {
        if (in_flight_.size() >= options.max_in_flight) break;
        // Over the budget, preloads would only be evicted again at once: load what the
        // view needs, nothing more.
        if (r.tier == LoadTier::preload && bytes_used_ >= options.memory_budget) break;
        if (r.content < 0) {
            if (!r.tile->subtree_loading && r.tile->subtree_pending) start_subtree(*r.tile, r.priority);
        } else if (r.tile->contents[size_t(r.content)].state == ContentState::unloaded) {
            start_content(*r.tile, r.content, r.priority);
        }
    }
}

void TileStreamer::upload(uint64_t) {
    uint64_t sent = 0;
    stats_.uploaded_bytes_frame = 0;
    while (!upload_queue_.empty()) {
        auto [tile, index] = upload_queue_.front();
        TileContent& c = tile->contents[size_t(index)];
        if (c.state != ContentState::decoded || !c.loaded) {  // evicted while waiting
            upload_queue_.pop_front();
            continue;
        }
        const uint64_t size = c.loaded->cpu_bytes;
        if (sent > 0 && sent + size > options.upload_budget_per_frame) break;
        upload_queue_.pop_front();
        const uint64_t before = c.loaded->cpu_bytes + c.loaded->gpu_bytes;
        uploader_.upload(*c.loaded);
        bytes_used_ = bytes_used_ - before + c.loaded->cpu_bytes + c.loaded->gpu_bytes;
        c.state = ContentState::ready;
        if (sent + size > options.upload_budget_per_frame) ++stats_.frames_over_upload_budget;
        sent += size;
    }
    stats_.uploaded_bytes_frame = sent;
}

void TileStreamer::unload(TileContent& c) {
    if (c.loaded) {
        // Counted before release(), which zeroes gpu_bytes.
        bytes_used_ -= std::min(bytes_used_, c.loaded->cpu_bytes + c.loaded->gpu_bytes);
        if (c.state == ContentState::ready) uploader_.release(*c.loaded);
    }
    c.loaded.reset();
    c.state = ContentState::unloaded;
}

void TileStreamer::evict(uint64_t frame) {
    if (bytes_used_ <= options.memory_budget) return;
    std::vector<CacheItem> items;
    items.reserve(resident_.size());
    for (auto& [tile, i] : resident_) {
        const TileContent& c = tile->contents[size_t(i)];
        const uint64_t bytes = c.loaded ? c.loaded->cpu_bytes + c.loaded->gpu_bytes : 0;
        items.push_back({bytes, tile->last_used_frame, tile->depth});
    }
    std::vector<size_t> victims = choose_evictions(items, bytes_used_, options.memory_budget, frame);
    if (victims.empty()) return;
    for (size_t v : victims) {
        auto [tile, i] = resident_[v];
        unload(tile->contents[size_t(i)]);
        ++stats_.evicted_total;
    }
    std::sort(victims.begin(), victims.end());
    for (size_t k = victims.size(); k-- > 0;)
        resident_.erase(resident_.begin() + long(victims[k]));
}

void TileStreamer::update(const ViewState& view, uint64_t frame) {
    harvest();

    const auto t0 = std::chrono::steady_clock::now();
    selection_.render.clear();
    selection_.loads.clear();
    selection_.visited = selection_.culled = selection_.waiting = 0;
    selection_.complete = true;
    render_layers_.clear();
    for (size_t i = 0; i < layers_.size(); ++i) {
        Layer& layer = layers_[i];
        layer.tiles_drawn = 0;
        if (!layer.visible || layer.opacity <= 0.0f || layer.state != LayerState::ready) continue;
        const size_t before = selection_.render.size();
        select_tiles(*layer.root, view, options.selection, frame, selection_);
        layer.tiles_drawn = uint32_t(selection_.render.size() - before);
        render_layers_.resize(selection_.render.size(), uint32_t(i));
    }
    stats_.selection_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    count_loaded_per_layer();
    render_ = selection_.render;

    schedule(selection_.loads, frame);
    upload(frame);
    evict(frame);

    stats_.visible = uint32_t(render_.size());
    stats_.loading = 0;
    for (const InFlight& f : in_flight_)
        stats_.loading += f.tile != nullptr;
    stats_.waiting_upload = uint32_t(upload_queue_.size());
    stats_.loaded = uint32_t(resident_.size());
    stats_.requests = uint32_t(selection_.loads.size());
    stats_.jobs_queued = uint32_t(jobs_.queued());
    stats_.jobs_running = uint32_t(jobs_.running());
    stats_.bytes_used = bytes_used_;
    stats_.budget = options.memory_budget;
    stats_.peak_bytes = std::max(stats_.peak_bytes, bytes_used_);
    // Requests for preloads do not make the view incomplete; selection says what is needed.
    stats_.complete = selection_.complete && roots_settled() && upload_queue_.empty();
}

void TileStreamer::wait_idle() {
    while (!in_flight_.empty()) {
        harvest();
        if (in_flight_.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

const std::string& TileStreamer::confine_root_of(const Tile& tile) const {
    static const std::string none;
    const Tile* root = &tile;
    while (root->parent)
        root = root->parent;
    for (const Layer& l : layers_)
        if (l.root.get() == root) return l.confine_root;
    return none;
}

void TileStreamer::count_loaded_per_layer() {
    for (Layer& l : layers_)
        l.tiles_loaded = 0;
    for (const auto& [tile, i] : resident_) {
        const Tile* root = tile;
        while (root->parent)
            root = root->parent;
        for (Layer& l : layers_)
            if (l.root.get() == root) {
                ++l.tiles_loaded;
                break;
            }
    }
}

}  // namespace zw::tiles
