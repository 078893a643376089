// Streaming several tilesets (layers) at once: per frame, select what the view needs,
// load it on the shared job system (fetch + decode on workers, nearest and most
// urgent first, a bounded number in flight, cancelled when no longer wanted), hand
// decoded contents to the GPU within a byte budget per frame, and evict the least
// recently used contents when over the memory budget. No Vulkan here: the GPU side is
// the ContentUploader the renderer provides.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/fetch.h"
#include "engine/core/jobs.h"
#include "engine/gltf/model.h"
#include "engine/tiles/selection.h"
#include "engine/tiles/tileset.h"

namespace zw::tiles {

// One decoded tile content. `gpu` and `gpu_bytes` are set by the uploader; after the
// upload the model keeps its structure (meshes, instances, materials, feature tables)
// and the uploader may release its vertex and pixel arrays.
struct LoadedContent {
    gltf::Model model;
    std::shared_ptr<void> gpu;
    uint64_t cpu_bytes = 0;
    uint64_t gpu_bytes = 0;
};

// The GPU side of streaming, called on the thread that calls update().
class ContentUploader {
  public:
    virtual ~ContentUploader() = default;
    // Puts `content` on the GPU (sets gpu and gpu_bytes, may release CPU arrays and
    // lower cpu_bytes accordingly). Must not wait for the GPU.
    virtual void upload(LoadedContent& content) = 0;
    // Frees the GPU side once no frame in flight uses it.
    virtual void release(LoadedContent& content) = 0;
};

struct StreamOptions {
    SelectionOptions selection;
    uint64_t memory_budget = 512ull << 20;           // tile content bytes, CPU + GPU
    uint64_t upload_budget_per_frame = 16ull << 20;  // bytes handed to the GPU per frame
    uint32_t max_in_flight = 12;                     // loads queued or running on the job system
    core::FetchOptions fetch;
};

struct StreamStats {
    uint32_t visible = 0;  // tiles drawn this frame
    uint32_t loading = 0;  // contents being fetched/decoded
    uint32_t waiting_upload = 0;
    uint32_t loaded = 0;    // contents in memory
    uint32_t failed = 0;    // contents that failed (each logged once)
    uint32_t requests = 0;  // loads the view wants that are not started yet
    uint32_t jobs_queued = 0, jobs_running = 0;
    uint64_t bytes_used = 0, budget = 0, peak_bytes = 0;
    uint64_t loaded_total = 0, evicted_total = 0;
    uint64_t uploaded_bytes_frame = 0;
    uint64_t frames_over_upload_budget = 0;
    double selection_ms = 0;  // CPU time of selection + culling this frame
    bool complete = false;    // everything the view needs is drawn at the wanted detail
};

enum class LayerState { loading, ready, failed };

struct Layer {
    std::string uri;   // the tileset.json URI
    std::string name;  // shown in the overlay
    std::string id;    // a twin's layer id (e.g. "buildings"); empty for a plain tileset
    // Non-empty (a folder URI or path ending in '/'): the layer's tileset, subtrees and
    // contents must lie inside it (core::uri_inside); anything else fails that tile with
    // a message. A twin's layers are confined to the twin's folder.
    std::string confine_root;
    bool visible = true;
    float opacity = 1.0f;  // 0..1; below 1 the layer is drawn blended over the opaque ones
    // Lies on the terrain (roads, water): drawn pulled towards the eye, so that coarse
    // terrain tiles, up to their geometric error above the true ground, do not bury it.
    bool draped = false;
    LayerState state = LayerState::loading;
    std::string error;
    std::unique_ptr<Tile> root;
    std::vector<std::string> warnings;
    uint32_t tiles_drawn = 0;   // this frame
    uint32_t tiles_loaded = 0;  // contents in memory (decoded or on the GPU)
};

class TileStreamer {
  public:
    TileStreamer(core::JobSystem& jobs, ContentUploader& uploader, StreamOptions options = {});
    ~TileStreamer();
    TileStreamer(const TileStreamer&) = delete;
    TileStreamer& operator=(const TileStreamer&) = delete;

    // Starts loading a tileset.json (path, file:// or http(s)://) as a new layer, reading
    // only inside `confine_root` when given (see Layer::confine_root).
    size_t add_tileset(const std::string& uri, const std::string& name, const std::string& confine_root = {});
    std::vector<Layer>& layers() { return layers_; }
    const std::vector<Layer>& layers() const { return layers_; }
    // Every layer's tileset.json has been read or has failed.
    bool roots_settled() const;
    // Takes in finished loads without selecting, loading or uploading anything (for
    // waiting on the roots before the first frame).
    void poll() { harvest(); }
    // The union of the loaded roots' bounds (for framing the camera).
    std::optional<Bounds> root_bounds() const;

    // One frame: harvest finished loads, select, schedule loads, upload within the
    // budget, evict over the memory budget. `frame` must grow by one per call.
    void update(const ViewState& view, uint64_t frame);

    // What update() selected, nearest first, over all visible layers.
    const std::vector<Tile*>& render_list() const { return render_; }
    // The layer of each render_list() entry.
    const std::vector<uint32_t>& render_layers() const { return render_layers_; }
    const StreamStats& stats() const { return stats_; }
    // Blocks until no load of this streamer is running (tests, shutdown).
    void wait_idle();

    StreamOptions options;

  private:
    struct Inbox;
    struct InFlight {
        uint64_t id = 0;
        Tile* tile = nullptr;  // nullptr: a layer's tileset.json
        int content = -1;      // -1: the tile's subtree
        size_t layer = 0;
        core::JobSystem::Handle job;
    };
    void harvest();
    void schedule(std::vector<LoadRequest>& loads, uint64_t frame);
    void upload(uint64_t frame);
    void evict(uint64_t frame);
    void unload(TileContent& content);
    void start_content(Tile& tile, int content, double priority);
    void start_subtree(Tile& tile, double priority);
    void fail(TileContent& content, const std::string& reason);

    core::JobSystem& jobs_;
    ContentUploader& uploader_;
    std::shared_ptr<Inbox> inbox_;
    std::vector<Layer> layers_;
    std::vector<InFlight> in_flight_;
    std::deque<std::pair<Tile*, int>> upload_queue_;
    void count_loaded_per_layer();
    const std::string& confine_root_of(const Tile& tile) const;
    std::vector<std::pair<Tile*, int>> resident_;  // contents holding memory (decoded or ready)
    std::vector<Tile*> render_;
    std::vector<uint32_t> render_layers_;
    Selection selection_;
    StreamStats stats_;
    uint64_t bytes_used_ = 0;
};

}  // namespace zw::tiles
