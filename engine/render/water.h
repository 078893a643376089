// A flood's water drawn over the ground: a surface through the centres of a depth
// raster's cells (rows south first), depth-coloured and translucent, fading out at the
// shoreline, with animated streaks along the flow. Two frames can be shown side by side
// (scenario A left of a split, B right of it) for comparing scenarios.
//
// The Renderer owns one Water (Renderer::water()) and draws it in the scene pass after
// the opaque meshes and the sky, blended, depth-tested without depth writes.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include <glm/glm.hpp>

namespace zw::gpu {
class Context;
class FrameRing;
struct Frame;
}  // namespace zw::gpu

namespace zw::render {

// Where the raster lies in the world. Set once per scenario (the ground does not move).
struct WaterGrid {
    uint32_t nx = 0, ny = 0;  // cells; vertex (c, r) is the centre of cell (c, r), row 0 south
    float cell_m = 1;         // cell size
    glm::dvec3 origin{0.0};   // world position `ground` is relative to
    // nx * ny: the ground at each cell centre (where depth 0 lies), world minus origin.
    std::vector<glm::vec3> ground;
    // The grid's axes in world coordinates (unit vectors): columns grow east, rows north;
    // the water surface lies `depth` metres along `up` above the ground.
    glm::vec3 east{1, 0, 0}, north{0, 1, 0}, up{0, 0, 1};
};

// The water of one moment.
struct WaterFrame {
    std::span<const float> depth;          // nx * ny metres, >= 0
    std::span<const float> velocity = {};  // empty (flow follows the water surface's slope),
                                           // or 2 per cell: east, north in m/s
};

// The flood surface the Renderer draws (see the top of this file). Pure CPU state plus
// the GPU buffers the Renderer makes for it; set_grid/set_frame only copy, the uploads
// happen in the next Renderer::render().
//
// Costs: set_frame is O(nx * ny) on the CPU (packing, and the flow estimate when no
// velocity is given); each render after it copies 8 bytes a cell into the frame slot's
// host-visible buffer (once per slot and frame change, so twice per change with two
// frames in flight). The GPU holds 12 bytes a cell of ground, 24 bytes a cell of
// indices, and 8 bytes a cell per side and frame in flight. Blocks of 32 x 32 cells
// without a wet cell are not drawn at all.
class Water {
  public:
    Water();
    ~Water();
    Water(const Water&) = delete;
    Water& operator=(const Water&) = delete;

    // Replaces the grid (uploads the static vertex/index data at the next render; nx == 0:
    // nothing drawn) and forgets both sides' frames. Throws zw::Error when ground does
    // not hold nx * ny points or the grid is too large (over 2^26 cells).
    void set_grid(WaterGrid grid);
    bool empty() const;
    const WaterGrid& grid() const;
    // The depths (and optional velocities) to draw from the next render() on, copied.
    // side 0 = A, 1 = B. Throws zw::Error (and keeps the side's previous frame) when
    // side is not 0 or 1, depth does not hold nx * ny values, or velocity is neither
    // empty nor 2 * nx * ny values. Depths below 2 cm (and NaN) count as dry.
    void set_frame(int side, const WaterFrame& frame);
    float split_x = -1;  // framebuffer x (pixels) where side B begins; < 0: only side A, full width
    bool visible = true;
    float opacity = 1;  // multiplies the water's alpha
    double time_s = 0;  // animates the flow streaks (seconds, the caller advances it)

  private:
    friend class Renderer;
    struct Gpu;  // pipeline and buffers, engine/render/water.cpp
    struct Side {
        bool set = false;
        uint64_t version = 0;  // bumped by every set_frame; 0: never set
        // Per cell: depth (float bits) and flow (east, north m/s as two halves), or
        // without given velocities the water surface's slope (east, north).
        std::vector<glm::uvec2> cells;
        bool slope = false;
        // Index ranges (first, count) covering the blocks with water.
        std::vector<std::pair<uint32_t, uint32_t>> ranges;
    };
    // What the Renderer hands over to draw.
    struct DrawArgs {
        gpu::Context* ctx = nullptr;
        VkRenderPass render_pass = VK_NULL_HANDLE;
        VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
        VkPipelineLayout layout = VK_NULL_HANDLE;  // the scene layout, frame set bound at 0
        uint32_t slot = 0;                         // the frame in flight
        glm::dvec3 eye{0.0};
        VkExtent2D extent{};
    };
    // Whether render() has anything to draw.
    bool drawable() const;
    // Before the scene pass: uploads a new grid (recorded into the frame's command
    // buffer) and copies changed frames into this frame slot's buffers.
    void prepare(gpu::Context& ctx, gpu::FrameRing& frames, const gpu::Frame& frame);
    // Inside the scene pass, after everything else. Returns triangles drawn (upper bound).
    uint64_t draw(VkCommandBuffer cmd, const DrawArgs& args, uint32_t* draw_calls);

    WaterGrid grid_;
    uint64_t grid_version_ = 0;
    // The index buffer holds the cells block by block (32 x 32 cells, rows of blocks
    // south first); block b's indices start at block_first_[b] (one more entry: the end).
    std::vector<uint32_t> block_first_;
    uint32_t blocks_x_ = 0, blocks_y_ = 0;
    Side sides_[2];
    std::unique_ptr<Gpu> gpu_;
};

}  // namespace zw::render
