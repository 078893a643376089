#include "engine/render/water.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include <glm/gtc/packing.hpp>

#include "engine/core/error.h"
#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/pipeline.h"

namespace zw::render {
namespace {

// Shared with shaders/water.frag: below this depth (m) a point counts as dry.
constexpr float dry_depth = 0.02f;
// Cells per block side: dry blocks cost no draw at all.
constexpr uint32_t block_cells = 32;
constexpr uint64_t max_cells = 1ull << 26;
// Reverse Z scale towards the eye (like DrawModel::depth_pull): a little more than the
// draped layers' 0.004, so flooded roads lie under the water and the flood raster's
// ground, which differs slightly from the terrain tiles, is not hidden by them.
constexpr float water_depth_pull = 0.006f;

// shaders/water.glsl's push block.
struct WaterPush {
    glm::vec4 offset;      // xyz: grid origin minus eye; w: depth pull
    glm::vec4 east;        // w: cell size
    glm::vec4 north;       // w: time (s)
    glm::vec4 up;          // w: opacity
    glm::vec4 flow{0.0f};  // x: 1 when the cells hold the surface's slope, 0: velocity
};
static_assert(sizeof(WaterPush) == 80);

uint32_t float_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

}  // namespace

struct Water::Gpu {
    gpu::Pipeline pipeline;
    gpu::Buffer ground;   // vec3 per cell, static
    gpu::Buffer indices;  // uint32, block by block, static
    uint64_t grid_version = 0;
    struct Slot {
        gpu::Buffer cells;  // Side::cells of the frame this slot last drew
        uint64_t version = 0;
    };
    Slot slots[gpu::frames_in_flight][2];
};

Water::Water() = default;
Water::~Water() = default;

bool Water::empty() const {
    return grid_.nx == 0 || grid_.ny == 0;
}

const WaterGrid& Water::grid() const {
    return grid_;
}

void Water::set_grid(WaterGrid grid) {
    const uint64_t n = uint64_t(grid.nx) * grid.ny;
    if (n > max_cells)
        fail("the flood grid has ", grid.nx, " x ", grid.ny, " cells, more than the ", max_cells,
             " the water surface can draw; resample it coarser");
    if (grid.ground.size() != n)
        fail("the flood grid's ground has ", grid.ground.size(), " points for ", grid.nx, " x ", grid.ny,
             " cells; it needs one per cell");
    if (n == 0) grid = WaterGrid{};
    grid_ = std::move(grid);
    ++grid_version_;
    for (Side& s : sides_)
        s = Side{};
    block_first_.clear();
    blocks_x_ = blocks_y_ = 0;
    if (grid_.nx < 2 || grid_.ny < 2) return;
    const uint32_t qx = grid_.nx - 1, qy = grid_.ny - 1;  // quads between cell centres
    blocks_x_ = (qx + block_cells - 1) / block_cells;
    blocks_y_ = (qy + block_cells - 1) / block_cells;
    block_first_.reserve(size_t(blocks_x_) * blocks_y_ + 1);
    uint32_t first = 0;
    for (uint32_t by = 0; by < blocks_y_; ++by)
        for (uint32_t bx = 0; bx < blocks_x_; ++bx) {
            block_first_.push_back(first);
            const uint32_t w = std::min(block_cells, qx - bx * block_cells);
            const uint32_t h = std::min(block_cells, qy - by * block_cells);
            first += w * h * 6;
        }
    block_first_.push_back(first);
}

void Water::set_frame(int side, const WaterFrame& frame) {
    if (side != 0 && side != 1) fail("a flood frame's side must be 0 (A) or 1 (B), not ", side);
    const size_t n = size_t(grid_.nx) * grid_.ny;
    if (frame.depth.size() != n)
        fail("a flood frame has ", frame.depth.size(), " depths but the water grid has ", grid_.nx, " x ",
             grid_.ny, " cells; set the grid of this scenario first (Water::set_grid)");
    if (!frame.velocity.empty() && frame.velocity.size() != 2 * n)
        fail("a flood frame has ", frame.velocity.size(), " velocity values for ", n,
             " cells; give two per cell (east, north) or none");
    Side& s = sides_[side];
    s.set = true;
    ++s.version;
    s.cells.resize(n);
    const uint32_t nx = grid_.nx, ny = grid_.ny;
    auto depth_at = [&](size_t i) {
        const float d = frame.depth[i];
        return d > 0 ? d : 0.0f;  // NaN and negatives: dry
    };
    s.slope = frame.velocity.empty();
    if (!frame.velocity.empty()) {
        for (size_t i = 0; i < n; ++i)
            s.cells[i] = {float_bits(depth_at(i)),
                          glm::packHalf2x16({frame.velocity[2 * i], frame.velocity[2 * i + 1]})};
    } else {
        // The flow runs down the water surface (ground + depth along up), the slope taken
        // from wet neighbours only: a dry bank is a wall, not a slope.
        const float inv_cell = 1.0f / std::max(grid_.cell_m, 1e-6f);
        auto surface = [&](size_t i) { return glm::dot(grid_.ground[i], grid_.up) + frame.depth[i]; };
        auto wet = [&](size_t i) { return frame.depth[i] >= dry_depth; };
        auto slope = [&](size_t i, size_t lo, bool has_lo, size_t hi, bool has_hi) {
            has_lo = has_lo && wet(lo);
            has_hi = has_hi && wet(hi);
            if (has_lo && has_hi) return (surface(hi) - surface(lo)) * 0.5f * inv_cell;
            if (has_hi) return (surface(hi) - surface(i)) * inv_cell;
            if (has_lo) return (surface(i) - surface(lo)) * inv_cell;
            return 0.0f;
        };
        for (uint32_t r = 0; r < ny; ++r)
            for (uint32_t c = 0; c < nx; ++c) {
                const size_t i = size_t(r) * nx + c;
                const float d = depth_at(i);
                glm::vec2 g{0.0f};
                if (d >= dry_depth)
                    g = {slope(i, i - 1, c > 0, i + 1, c + 1 < nx),
                         slope(i, i - nx, r > 0, i + nx, r + 1 < ny)};
                // The slope itself: shaders/water.vert turns it into a velocity (Manning).
                s.cells[i] = {float_bits(d), glm::packHalf2x16(g)};
            }
    }
    // The blocks with a wet cell centre (their border included), as index ranges; a run
    // of wet blocks in a row of blocks is one range.
    s.ranges.clear();
    for (uint32_t by = 0; by < blocks_y_; ++by)
        for (uint32_t bx = 0; bx < blocks_x_; ++bx) {
            const uint32_t c0 = bx * block_cells, c1 = std::min(c0 + block_cells, nx - 1);
            const uint32_t r0 = by * block_cells, r1 = std::min(r0 + block_cells, ny - 1);
            bool any = false;
            for (uint32_t r = r0; r <= r1 && !any; ++r) {
                const float* row = frame.depth.data() + size_t(r) * nx;
                for (uint32_t c = c0; c <= c1; ++c)
                    if (row[c] >= dry_depth) {
                        any = true;
                        break;
                    }
            }
            if (!any) continue;
            const size_t b = size_t(by) * blocks_x_ + bx;
            const uint32_t first = block_first_[b], count = block_first_[b + 1] - first;
            if (!s.ranges.empty() && s.ranges.back().first + s.ranges.back().second == first)
                s.ranges.back().second += count;
            else
                s.ranges.emplace_back(first, count);
        }
}

bool Water::drawable() const {
    return visible && opacity > 0 && !empty() && (sides_[0].set || sides_[1].set);
}

void Water::prepare(gpu::Context& ctx, gpu::FrameRing& frames, const gpu::Frame& frame) {
    if (!drawable()) return;
    if (!gpu_) gpu_ = std::make_unique<Gpu>();
    Gpu& g = *gpu_;
    if (g.grid_version != grid_version_) {
        // The old buffers may still be read by a frame in flight.
        if (g.ground) frames.defer(std::move(g.ground));
        if (g.indices) frames.defer(std::move(g.indices));
        for (auto& slot : g.slots)
            for (Gpu::Slot& s : slot) {
                if (s.cells) frames.defer(std::move(s.cells));
                s.version = 0;
            }
        g.grid_version = grid_version_;
        const uint32_t nx = grid_.nx, ny = grid_.ny;
        const VkDeviceSize ground_bytes = VkDeviceSize(grid_.ground.size()) * sizeof(glm::vec3);
        const VkDeviceSize index_bytes = std::max<VkDeviceSize>(VkDeviceSize(block_first_.back()) * 4, 4);
        // Written straight into one staging buffer (no second copy of ~24 bytes a cell).
        gpu::Buffer staging(ctx, ground_bytes + index_bytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                            gpu::MemoryUsage::upload, "water staging");
        auto* bytes = static_cast<uint8_t*>(staging.mapped());
        std::memcpy(bytes, grid_.ground.data(), ground_bytes);
        auto* idx = reinterpret_cast<uint32_t*>(bytes + ground_bytes);
        for (uint32_t by = 0; by < blocks_y_; ++by)
            for (uint32_t bx = 0; bx < blocks_x_; ++bx) {
                const uint32_t c0 = bx * block_cells, c1 = std::min(c0 + block_cells, nx - 1);
                const uint32_t r0 = by * block_cells, r1 = std::min(r0 + block_cells, ny - 1);
                for (uint32_t r = r0; r < r1; ++r)
                    for (uint32_t c = c0; c < c1; ++c) {
                        const uint32_t sw = r * nx + c, se = sw + 1, nw = sw + nx, ne = nw + 1;
                        // Counter-clockwise seen from above; the first vertex (provoking,
                        // its flow is the triangle's) differs between the two triangles.
                        const uint32_t quad[6] = {sw, se, ne, ne, nw, sw};
                        std::memcpy(idx, quad, sizeof(quad));
                        idx += 6;
                    }
            }
        const VkBufferUsageFlags dst = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
        g.ground =
            gpu::Buffer(ctx, std::max<VkDeviceSize>(ground_bytes, 12),
                        VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | dst, gpu::MemoryUsage::gpu_only, "water ground");
        g.indices = gpu::Buffer(ctx, index_bytes, VK_BUFFER_USAGE_INDEX_BUFFER_BIT | dst,
                                gpu::MemoryUsage::gpu_only, "water indices");
        ctx.begin_label(frame.cmd, "water grid upload");
        const VkBufferCopy ground_copy{0, 0, ground_bytes};
        if (ground_bytes) vkCmdCopyBuffer(frame.cmd, staging.handle(), g.ground.handle(), 1, &ground_copy);
        const VkBufferCopy index_copy{ground_bytes, 0, index_bytes};
        vkCmdCopyBuffer(frame.cmd, staging.handle(), g.indices.handle(), 1, &index_copy);
        VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        mb.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
        mb.dstAccessMask = VK_ACCESS_VERTEX_ATTRIBUTE_READ_BIT | VK_ACCESS_INDEX_READ_BIT;
        vkCmdPipelineBarrier(frame.cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_VERTEX_INPUT_BIT, 0,
                             1, &mb, 0, nullptr, 0, nullptr);
        ctx.end_label(frame.cmd);
        frames.defer(std::move(staging));
    }
    // This slot's previous frame has finished (FrameRing::begin waited for it), so its
    // buffers can be rewritten; the other slot's may still be read.
    for (int side = 0; side < 2; ++side) {
        const Side& s = sides_[side];
        Gpu::Slot& slot = g.slots[frame.slot][side];
        if (!s.set || slot.version == s.version) continue;
        const VkDeviceSize bytes = VkDeviceSize(s.cells.size()) * sizeof(glm::uvec2);
        if (!slot.cells || slot.cells.size() < bytes) {
            if (slot.cells) frames.defer(std::move(slot.cells));
            slot.cells = gpu::Buffer(
                ctx, std::max<VkDeviceSize>(bytes, 8), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT,
                gpu::MemoryUsage::upload,
                std::string("water cells ") + (side ? "B" : "A") + " slot " + std::to_string(frame.slot));
        }
        std::memcpy(slot.cells.mapped(), s.cells.data(), bytes);
        slot.version = s.version;
    }
}

uint64_t Water::draw(VkCommandBuffer cmd, const DrawArgs& a, uint32_t* draw_calls) {
    if (!drawable() || !gpu_) return 0;
    Gpu& g = *gpu_;
    if (!g.pipeline) {
        gpu::GraphicsPipelineDesc d;
        d.vertex_shader = "water.vert";
        d.fragment_shader = "water.frag";
        d.layout = a.layout;
        d.render_pass = a.render_pass;
        d.samples = a.samples;
        d.bindings = {{0, sizeof(glm::vec3), VK_VERTEX_INPUT_RATE_VERTEX},
                      {1, sizeof(glm::uvec2), VK_VERTEX_INPUT_RATE_VERTEX}};
        d.attributes = {
            {0, 0, VK_FORMAT_R32G32B32_SFLOAT, 0},
            {1, 1, VK_FORMAT_R32_SFLOAT, 0},
            {2, 1, VK_FORMAT_R16G16_SFLOAT, 4},
        };
        d.cull = VK_CULL_MODE_NONE;  // seen from below too (a camera under the surface)
        d.depth_test = true;
        d.depth_write = false;
        d.alpha_blend = true;
        g.pipeline = gpu::make_graphics_pipeline(*a.ctx, d, "water pipeline");
    }
    // Side A left of the split, B right of it, by scissor: pixel x belongs to B when its
    // centre x + 0.5 >= split_x.
    const uint32_t width = a.extent.width;
    uint32_t split = width;
    if (split_x >= 0) split = uint32_t(std::clamp(std::ceil(double(split_x) - 0.5), 0.0, double(width)));
    struct Part {
        int side;
        uint32_t x0, x1;
    };
    const Part parts[2] = {{0, 0, split}, {1, split, split_x >= 0 ? width : split}};

    WaterPush push;
    push.offset = glm::vec4(glm::vec3(grid_.origin - a.eye), water_depth_pull);
    push.east = glm::vec4(grid_.east, grid_.cell_m);
    push.north = glm::vec4(grid_.north, float(std::fmod(time_s, 3600.0)));
    push.up = glm::vec4(grid_.up, std::min(opacity, 1.0f));
    uint64_t triangles = 0;
    bool bound = false;
    for (const Part& p : parts) {
        const Side& s = sides_[p.side];
        const Gpu::Slot& slot = g.slots[a.slot][p.side];
        if (p.x1 <= p.x0 || !s.set || s.ranges.empty() || slot.version != s.version) continue;
        if (!bound) {
            vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, g.pipeline);
            vkCmdBindIndexBuffer(cmd, g.indices.handle(), 0, VK_INDEX_TYPE_UINT32);
            bound = true;
        }
        push.flow.x = s.slope ? 1.0f : 0.0f;
        vkCmdPushConstants(cmd, a.layout, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                           sizeof(push), &push);
        const VkBuffer vbs[2] = {g.ground.handle(), slot.cells.handle()};
        const VkDeviceSize offsets[2] = {0, 0};
        vkCmdBindVertexBuffers(cmd, 0, 2, vbs, offsets);
        const VkRect2D scissor{{int32_t(p.x0), 0}, {p.x1 - p.x0, a.extent.height}};
        vkCmdSetScissor(cmd, 0, 1, &scissor);
        for (const auto& [first, count] : s.ranges) {
            vkCmdDrawIndexed(cmd, count, 1, first, 0, 0);
            triangles += count / 3;
            if (draw_calls) ++*draw_calls;
        }
    }
    if (bound) {
        const VkRect2D full{{0, 0}, a.extent};
        vkCmdSetScissor(cmd, 0, 1, &full);
    }
    return triangles;
}

}  // namespace zw::render
