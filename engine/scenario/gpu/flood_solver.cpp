#include "engine/scenario/gpu/flood_solver.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "engine/core/error.h"
#include "engine/gpu/check.h"
#include "engine/gpu/context.h"
#include "engine/gpu/pipeline.h"
#include "engine/gpu/resources.h"
#include "engine/gpu/upload.h"

namespace zw::flood {

namespace {

// Matches `Push` in shaders/flood_common.glsl.
struct Push {
    double t_end, dx, courant, max_dt, dry, arrival;
    uint32_t nx, ny, groups_x, groups_y, flux_groups_x, flux_groups_y, partials, inflows, rain_points, closed;
};
static_assert(sizeof(Push) == 88);

// The head of `ControlBuf` in shaders/flood_common.glsl (16 doubles), then one double per
// inflow.
struct Control {
    double t, dt, max_speed, storage0;
    double storage, inflow, rain, outflow;
    double clamped, max_volume_error, rain_depth, steps;
    double last_dt, pad[3];
};
static_assert(sizeof(Control) == 128);

constexpr uint32_t steps_per_batch = 32;  // recorded once per run_until; idle steps cost ~nothing
constexpr uint32_t binding_count = 12;
constexpr uint32_t cell_group = 256;  // local_size_x of flood_cell.comp

// Every compute and transfer access before, every compute, indirect and transfer access
// after: the kernels of a step depend on each other in a chain, so finer barriers gain
// nothing.
void full_barrier(VkCommandBuffer cmd) {
    VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                      VK_ACCESS_INDIRECT_COMMAND_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                      VK_ACCESS_TRANSFER_WRITE_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_DRAW_INDIRECT_BIT |
                             VK_PIPELINE_STAGE_TRANSFER_BIT,
                         0, 1, &b, 0, nullptr, 0, nullptr);
}

void host_barrier(VkCommandBuffer cmd) {
    VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    b.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &b, 0,
                         nullptr, 0, nullptr);
}

}  // namespace

struct GpuSolver::Impl {
    gpu::Context& ctx;
    Grid grid;
    Options options;
    Push push{};
    size_t n = 0;
    Stats stats;

    gpu::Buffer state, bed, flux, control, partials, series, index, track, indirect;
    gpu::Buffer stage, slope_x, slope_y;  // second order: the Heun stage and the MUSCL slopes
    gpu::Buffer snapshot[2];              // Control heads read back at the end of each batch
    gpu::DescriptorSetLayout set_layout;
    gpu::DescriptorPool pool;
    VkDescriptorSet set = VK_NULL_HANDLE;
    gpu::PipelineLayout layout;
    // Index 0 works on U0, 1 on the Heun stage (second order only).
    gpu::Pipeline control_pipe, slope_pipe[2], flux_pipe[2], cell_pipe[2], reduce_pipe;
    gpu::CommandPool cmd_pool;
    VkCommandBuffer cmd[2]{};
    gpu::Fence fence[2];
    double recorded_t_end = -1;

    explicit Impl(gpu::Context& c) : ctx(c) {}

    // A pipeline of `shader` with the specialization constants of shaders/flood_common.glsl:
    // second_order from the options, from_stage as given (the kernel works on the Heun stage).
    gpu::Pipeline make_pipeline(const char* shader, bool from_stage = false) {
        const gpu::ShaderModule module = gpu::make_shader(ctx, shader);
        const VkBool32 constants[2] = {options.second_order ? VK_TRUE : VK_FALSE,
                                       from_stage ? VK_TRUE : VK_FALSE};
        const VkSpecializationMapEntry entries[2] = {{0, 0, sizeof(VkBool32)},
                                                     {1, sizeof(VkBool32), sizeof(VkBool32)}};
        const VkSpecializationInfo spec{2, entries, sizeof constants, constants};
        VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
        info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                      nullptr,
                      0,
                      VK_SHADER_STAGE_COMPUTE_BIT,
                      module,
                      "main",
                      &spec};
        info.layout = layout;
        VkPipeline p = VK_NULL_HANDLE;
        ZW_VK(vkCreateComputePipelines(ctx.device(), VK_NULL_HANDLE, 1, &info, nullptr, &p));
        ctx.set_name(p, VK_OBJECT_TYPE_PIPELINE, std::string(shader) + (from_stage ? " (stage)" : ""));
        return {ctx.device(), p};
    }

    // Appended to a batch: the bookkeeping into snapshot[slot].
    void record_snapshot(VkCommandBuffer c, int slot) {
        const VkBufferCopy region{0, 0, sizeof(Control)};
        vkCmdCopyBuffer(c, control.handle(), snapshot[slot].handle(), 1, &region);
        host_barrier(c);
    }

    void record_batch(int slot) {
        VkCommandBuffer c = cmd[slot];
        ZW_VK(vkResetCommandBuffer(c, 0));
        VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
        ZW_VK(vkBeginCommandBuffer(c, &bi));
        ctx.begin_label(c, "flood steps");
        vkCmdBindDescriptorSets(c, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, nullptr);
        vkCmdPushConstants(c, layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof push, &push);
        full_barrier(c);
        // Second order: slopes, fluxes and the stage on U0, then slopes, fluxes and the
        // cell update on the stage (the slope kernel has the cell kernel's geometry).
        const int passes = options.second_order ? 2 : 1;
        for (uint32_t s = 0; s < steps_per_batch; ++s) {
            vkCmdBindPipeline(c, VK_PIPELINE_BIND_POINT_COMPUTE, control_pipe);
            vkCmdDispatch(c, 1, 1, 1);
            full_barrier(c);
            for (int pass = 0; pass < passes; ++pass) {
                if (options.second_order) {
                    vkCmdBindPipeline(c, VK_PIPELINE_BIND_POINT_COMPUTE, slope_pipe[pass]);
                    vkCmdDispatchIndirect(c, indirect.handle(), 12);
                    full_barrier(c);
                }
                vkCmdBindPipeline(c, VK_PIPELINE_BIND_POINT_COMPUTE, flux_pipe[pass]);
                vkCmdDispatchIndirect(c, indirect.handle(), 0);
                full_barrier(c);
                vkCmdBindPipeline(c, VK_PIPELINE_BIND_POINT_COMPUTE, cell_pipe[pass]);
                vkCmdDispatchIndirect(c, indirect.handle(), 12);
                full_barrier(c);
            }
            vkCmdBindPipeline(c, VK_PIPELINE_BIND_POINT_COMPUTE, reduce_pipe);
            vkCmdDispatchIndirect(c, indirect.handle(), 24);
            full_barrier(c);
        }
        record_snapshot(c, slot);
        ctx.end_label(c);
        ZW_VK(vkEndCommandBuffer(c));
    }

    void submit(int slot) {
        VkFence f = fence[slot];
        ZW_VK(vkResetFences(ctx.device(), 1, &f));
        VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
        si.commandBufferCount = 1;
        si.pCommandBuffers = &cmd[slot];
        ZW_VK(vkQueueSubmit(ctx.queue(), 1, &si, f));
    }

    // Waits for the batch in `slot` and takes its bookkeeping.
    const Control& wait(int slot) {
        VkFence f = fence[slot];
        ZW_VK(vkWaitForFences(ctx.device(), 1, &f, VK_TRUE, UINT64_MAX));
        const Control& c = *static_cast<const Control*>(snapshot[slot].mapped());
        stats.t = c.t;
        stats.steps = uint64_t(c.steps);
        stats.cell_updates = stats.steps * n;
        stats.last_dt = c.last_dt;
        stats.storage0 = c.storage0;
        stats.storage = c.storage;
        stats.inflow = c.inflow;
        stats.rain = c.rain;
        stats.outflow = c.outflow;
        stats.clamped = c.clamped;
        stats.max_volume_error = c.max_volume_error;
        return c;
    }

    // Copies `size` bytes of `src` from `offset` into host memory.
    std::vector<double> download(const gpu::Buffer& src, VkDeviceSize offset, size_t count) const {
        gpu::Buffer staging(ctx, count * sizeof(double), VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                            gpu::MemoryUsage::readback, "flood download");
        ctx.submit_now([&](VkCommandBuffer c) {
            full_barrier(c);
            const VkBufferCopy region{offset, 0, count * sizeof(double)};
            vkCmdCopyBuffer(c, src.handle(), staging.handle(), 1, &region);
            host_barrier(c);
        });
        std::vector<double> out(count);
        std::memcpy(out.data(), staging.mapped(), count * sizeof(double));
        return out;
    }
};

bool GpuSolver::supported(const gpu::Context& ctx) {
    return ctx.shader_float64();
}

GpuSolver::GpuSolver(gpu::Context& ctx, Grid grid, FloodInputs inputs, Options options, State initial,
                     double arrival_depth)
    : impl_(std::make_unique<Impl>(ctx)) {
    Impl& m = *impl_;
    const size_t n = size_t(grid.nx) * grid.ny;
    // The checks of Solver's constructor, with the same messages.
    if (n == 0 || grid.z.size() != n || !(grid.dx > 0))
        throw std::invalid_argument("flood grid: need nx * ny > 0 bed elevations and dx > 0");
    if (!inputs.manning.empty() && inputs.manning.size() != n)
        throw std::invalid_argument("flood inputs: manning must have nx * ny values or none");
    for (const Inflow& in : inputs.inflows) {
        if (in.cells.empty()) throw std::invalid_argument("flood inputs: an inflow has no cells");
        for (size_t c : in.cells)
            if (c >= n)
                throw std::invalid_argument("flood inputs: inflow cell " + std::to_string(c) +
                                            " lies outside the grid");
    }
    check_options(options);
    if (initial.h.empty()) initial.h.assign(n, 0.0);
    if (initial.hu.empty()) initial.hu.assign(n, 0.0);
    if (initial.hv.empty()) initial.hv.assign(n, 0.0);
    if (initial.h.size() != n || initial.hu.size() != n || initial.hv.size() != n)
        throw std::invalid_argument("flood state: h, hu, hv must have nx * ny values");
    for (double h : initial.h)
        if (!(h >= 0)) throw std::invalid_argument("flood state: depths must be >= 0");
    if (!supported(ctx))
        fail("the GPU flood solver needs double precision in shaders (shaderFloat64), which '",
             ctx.device_info().name, "' lacks; run the flood on the CPU (without --gpu)");
    // The largest buffer: the state (3 n doubles), or each slope buffer at second order (4 n).
    if (n * (options.second_order ? 4 : 3) * sizeof(double) > ctx.properties().limits.maxStorageBufferRange)
        fail("the flood grid of ", grid.nx, " x ", grid.ny, " cells is too large for one storage buffer on '",
             ctx.device_info().name, "'");

    m.n = n;
    m.options = options;
    const uint32_t cell_groups = uint32_t((n + cell_group - 1) / cell_group);
    Push& p = m.push;
    p.dx = grid.dx;
    p.courant = options.courant;
    p.max_dt = options.max_dt;
    p.dry = options.dry_depth;
    p.arrival = arrival_depth;
    p.nx = grid.nx;
    p.ny = grid.ny;
    p.groups_x = std::min<uint32_t>(cell_groups, 1024);
    p.groups_y = (cell_groups + p.groups_x - 1) / p.groups_x;
    p.flux_groups_x = (grid.nx + 1 + 15) / 16;
    p.flux_groups_y = (grid.ny + 1 + 15) / 16;
    p.partials = p.groups_x * p.groups_y;
    p.inflows = uint32_t(inputs.inflows.size());
    p.rain_points = uint32_t(inputs.rain_mm_per_h.points.size());
    for (int s = 0; s < 4; ++s)
        if (inputs.boundaries[size_t(s)] == Boundary::closed) p.closed |= 1u << s;

    // Host-side tables: bed and n^2, series points, inflow cells per cell in inflow order.
    std::vector<double> bed(2 * n);
    std::copy(grid.z.begin(), grid.z.end(), bed.begin());
    for (size_t c = 0; c < n; ++c) {
        const double v = inputs.manning.empty() ? inputs.manning_constant : inputs.manning[c];
        bed[n + c] = v * v;
    }
    std::vector<double> points;
    for (const auto& q : inputs.rain_mm_per_h.points)
        points.insert(points.end(), {q[0], q[1]});
    std::vector<uint32_t> index(3 * inputs.inflows.size() + n + 1, 0);
    std::vector<uint32_t> per_cell(n + 1, 0);
    for (size_t k = 0; k < inputs.inflows.size(); ++k) {
        const Inflow& in = inputs.inflows[k];
        index[3 * k] = uint32_t(points.size() / 2);
        index[3 * k + 1] = uint32_t(in.discharge.points.size());
        index[3 * k + 2] = uint32_t(in.cells.size());
        for (const auto& q : in.discharge.points)
            points.insert(points.end(), {q[0], q[1]});
        for (size_t c : in.cells)
            ++per_cell[c + 1];
    }
    for (size_t c = 0; c < n; ++c)
        per_cell[c + 1] += per_cell[c];
    const size_t starts = 3 * inputs.inflows.size();
    std::copy(per_cell.begin(), per_cell.end(), index.begin() + ptrdiff_t(starts));
    index.resize(index.size() + per_cell[n]);
    std::vector<uint32_t> fill(per_cell.begin(), per_cell.end() - 1);
    for (size_t k = 0; k < inputs.inflows.size(); ++k)
        for (size_t c : inputs.inflows[k].cells)
            index[starts + n + 1 + fill[c]++] = uint32_t(k);

    std::vector<double> water(3 * n), track(2 * n);
    std::copy(initial.h.begin(), initial.h.end(), water.begin());
    std::copy(initial.hu.begin(), initial.hu.end(), water.begin() + ptrdiff_t(n));
    std::copy(initial.hv.begin(), initial.hv.end(), water.begin() + ptrdiff_t(2 * n));
    for (size_t c = 0; c < n; ++c) {
        track[c] = initial.h[c];
        track[n + c] = initial.h[c] >= arrival_depth ? 0.0 : -9999.0;
    }

    // Storage and wave speed of the initial state, as Solver computes them.
    Control head{};
    const double area = grid.dx * grid.dx;
    for (uint32_t j = 0; j < grid.ny; ++j) {
        double row = 0;
        for (uint32_t i = 0; i < grid.nx; ++i) {
            const size_t c = grid.index(i, j);
            const double h = initial.h[c];
            row += h;
            if (h > options.dry_depth) {
                const double s =
                    std::max(std::abs(initial.hu[c]), std::abs(initial.hv[c])) / h + std::sqrt(gravity * h);
                head.max_speed = std::max(head.max_speed, s);
            }
        }
        head.storage0 += row * area;
    }
    head.storage = head.storage0;
    m.stats.storage0 = m.stats.storage = head.storage0;

    using gpu::MemoryUsage;
    const VkBufferUsageFlags storage_usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                                             VK_BUFFER_USAGE_TRANSFER_DST_BIT |
                                             VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
    const auto buffer = [&](size_t bytes, const char* name, VkBufferUsageFlags extra = 0) {
        return gpu::Buffer(ctx, std::max<size_t>(bytes, 16), storage_usage | extra, MemoryUsage::gpu_only,
                           name);
    };
    const size_t flux_count = size_t(grid.nx + 1) * grid.ny + size_t(grid.nx) * (grid.ny + 1);
    m.state = buffer(water.size() * 8, "flood state");
    m.bed = buffer(bed.size() * 8, "flood bed");
    m.flux = buffer(flux_count * 32, "flood fluxes");
    m.control = buffer(sizeof(Control) + std::max<size_t>(1, inputs.inflows.size()) * 8, "flood control");
    const bool second = options.second_order;
    m.partials = buffer(size_t(p.partials) * (second ? 2 : 1) * 32, "flood partial sums");
    m.stage = buffer(second ? water.size() * 8 : 0, "flood Heun stage");
    m.slope_x = buffer(second ? 4 * n * 8 : 0, "flood MUSCL slopes x");
    m.slope_y = buffer(second ? 4 * n * 8 : 0, "flood MUSCL slopes y");
    m.series = buffer(points.size() * 8, "flood series");
    m.index = buffer(index.size() * 4, "flood inflow index");
    m.track = buffer(track.size() * 8, "flood tracking");
    m.indirect = buffer(9 * 4, "flood indirect dispatches", VK_BUFFER_USAGE_INDIRECT_BUFFER_BIT);
    for (int s = 0; s < 2; ++s)
        m.snapshot[s] = gpu::Buffer(ctx, sizeof(Control), VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                    MemoryUsage::readback, "flood bookkeeping readback");
    {
        gpu::UploadBatch up(ctx);
        up.to_buffer(m.state, water.data(), water.size() * 8);
        up.to_buffer(m.bed, bed.data(), bed.size() * 8);
        up.to_buffer(m.control, &head, sizeof head);
        if (!points.empty()) up.to_buffer(m.series, points.data(), points.size() * 8);
        up.to_buffer(m.index, index.data(), index.size() * 4);
        up.to_buffer(m.track, track.data(), track.size() * 8);
        up.submit();
    }

    // One descriptor set with every buffer, one layout for the four kernels.
    VkDescriptorSetLayoutBinding bindings[binding_count]{};
    for (uint32_t b = 0; b < binding_count; ++b)
        bindings[b] = {b, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo lci{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    lci.bindingCount = binding_count;
    lci.pBindings = bindings;
    VkDescriptorSetLayout dsl = VK_NULL_HANDLE;
    ZW_VK(vkCreateDescriptorSetLayout(ctx.device(), &lci, nullptr, &dsl));
    m.set_layout = {ctx.device(), dsl};
    ctx.set_name(dsl, VK_OBJECT_TYPE_DESCRIPTOR_SET_LAYOUT, "flood set layout");
    const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, binding_count};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = 1;
    pci.poolSizeCount = 1;
    pci.pPoolSizes = &size;
    VkDescriptorPool dp = VK_NULL_HANDLE;
    ZW_VK(vkCreateDescriptorPool(ctx.device(), &pci, nullptr, &dp));
    m.pool = {ctx.device(), dp};
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = dp;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &dsl;
    ZW_VK(vkAllocateDescriptorSets(ctx.device(), &ai, &m.set));
    const gpu::Buffer* bound[binding_count] = {&m.state,    &m.bed,    &m.flux,    &m.control,
                                               &m.partials, &m.series, &m.index,   &m.track,
                                               &m.indirect, &m.stage,  &m.slope_x, &m.slope_y};
    VkDescriptorBufferInfo infos[binding_count];
    VkWriteDescriptorSet writes[binding_count];
    for (uint32_t b = 0; b < binding_count; ++b) {
        infos[b] = {bound[b]->handle(), 0, VK_WHOLE_SIZE};
        writes[b] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[b].dstSet = m.set;
        writes[b].dstBinding = b;
        writes[b].descriptorCount = 1;
        writes[b].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[b].pBufferInfo = &infos[b];
    }
    vkUpdateDescriptorSets(ctx.device(), binding_count, writes, 0, nullptr);

    const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(Push)};
    VkPipelineLayoutCreateInfo plci{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    plci.setLayoutCount = 1;
    plci.pSetLayouts = &dsl;
    plci.pushConstantRangeCount = 1;
    plci.pPushConstantRanges = &range;
    VkPipelineLayout pl = VK_NULL_HANDLE;
    ZW_VK(vkCreatePipelineLayout(ctx.device(), &plci, nullptr, &pl));
    m.layout = {ctx.device(), pl};
    m.control_pipe = m.make_pipeline("flood_control.comp");
    for (int pass = 0; pass < (second ? 2 : 1); ++pass) {
        if (second) m.slope_pipe[pass] = m.make_pipeline("flood_slope.comp", pass == 1);
        m.flux_pipe[pass] = m.make_pipeline("flood_flux.comp", pass == 1);
        m.cell_pipe[pass] = m.make_pipeline("flood_cell.comp", pass == 1);
    }
    m.reduce_pipe = m.make_pipeline("flood_reduce.comp");

    VkCommandPoolCreateInfo cpi{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    cpi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    cpi.queueFamilyIndex = ctx.queue_family();
    VkCommandPool cp = VK_NULL_HANDLE;
    ZW_VK(vkCreateCommandPool(ctx.device(), &cpi, nullptr, &cp));
    m.cmd_pool = {ctx.device(), cp};
    VkCommandBufferAllocateInfo cai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    cai.commandPool = cp;
    cai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    cai.commandBufferCount = 2;
    ZW_VK(vkAllocateCommandBuffers(ctx.device(), &cai, m.cmd));
    for (int s = 0; s < 2; ++s)
        m.fence[s] = gpu::make_fence(ctx, true, "flood batch fence");
    m.grid = std::move(grid);
}

GpuSolver::~GpuSolver() {
    if (!impl_) return;
    VkFence fences[2] = {impl_->fence[0], impl_->fence[1]};
    vkWaitForFences(impl_->ctx.device(), 2, fences, VK_TRUE, UINT64_MAX);
}

void GpuSolver::run_until(double t_end) {
    Impl& m = *impl_;
    if (!(m.stats.t < t_end)) return;
    if (m.recorded_t_end != t_end) {
        m.push.t_end = t_end;
        for (int s = 0; s < 2; ++s)
            m.record_batch(s);
        m.recorded_t_end = t_end;
    }
    // Two batches in flight: while the host looks at one's bookkeeping the GPU runs the
    // other. Steps past t_end are empty dispatches.
    m.submit(0);
    m.submit(1);
    int slot = 0;
    for (;;) {
        const Control& c = m.wait(slot);
        const bool done = c.t >= t_end || !(c.dt > 0);
        if (done) {
            m.wait(slot ^ 1);  // later in queue order: the newest bookkeeping
            break;
        }
        m.submit(slot);
        slot ^= 1;
    }
}

State GpuSolver::state() const {
    const size_t n = impl_->n;
    const std::vector<double> all = impl_->download(impl_->state, 0, 3 * n);
    State s;
    s.h.assign(all.begin(), all.begin() + ptrdiff_t(n));
    s.hu.assign(all.begin() + ptrdiff_t(n), all.begin() + ptrdiff_t(2 * n));
    s.hv.assign(all.begin() + ptrdiff_t(2 * n), all.end());
    return s;
}

std::vector<double> GpuSolver::max_depth() const {
    return impl_->download(impl_->track, 0, impl_->n);
}

std::vector<double> GpuSolver::arrival_time() const {
    return impl_->download(impl_->track, impl_->n * sizeof(double), impl_->n);
}

const Grid& GpuSolver::grid() const {
    return impl_->grid;
}

const Stats& GpuSolver::stats() const {
    return impl_->stats;
}

}  // namespace zw::flood
