// Shared declarations of the flood compute kernels (engine/scenario/flood/gpu_solver.cpp):
// the same scheme as engine/scenario/flood/solver.cpp, first or second order, in double
// precision. Every kernel binds the same descriptor set and push constants.

// Specialization constants, set per pipeline. second_order: MUSCL + Heun (the slopes
// buffer is read, flood_cell.comp writes the stage or averages with it). from_stage: the
// kernel works on the Heun stage U1 (stage[]) instead of U0 (state[]); for flood_cell.comp
// false means "compute the stage", true means "finish the step".
layout(constant_id = 0) const bool second_order = false;
layout(constant_id = 1) const bool from_stage = false;

layout(push_constant) uniform Push {
    double t_end;       // s, where this run stops
    double dx;          // m
    double courant;     // CFL number
    double max_dt;      // s
    double dry;         // m, dry depth
    double arrival;     // m, depth that counts as arrival (tracking)
    uint nx, ny;        // cells
    uint groups_x;      // workgroups per row of the cell dispatch (it is 2D to stay in limits)
    uint groups_y;      // rows of workgroups of the cell dispatch
    uint flux_groups_x; // workgroups of the 16x16 flux dispatch
    uint flux_groups_y;
    uint partials;      // groups_x * groups_y: one partial sum per cell workgroup
    uint inflows;       // inflow hydrographs
    uint rain_points;   // points of the rain series (first in the series buffer)
    uint closed;        // bit s: side s (west, east, south, north) is a wall
}
pc;

// [h | hu | hv], n values each, updated in place by flood_cell.comp.
layout(std430, set = 0, binding = 0) buffer StateBuf { double state[]; };
// [z | manning n^2].
layout(std430, set = 0, binding = 1) readonly buffer BedBuf { double bed[]; };
// Interface fluxes (mass, momentum seen by the left cell, by the right cell, transverse):
// (nx + 1) * ny x-interfaces, then nx * (ny + 1) y-interfaces.
layout(std430, set = 0, binding = 2) buffer FluxBuf { dvec4 flux[]; };
// The time stepping and the volume bookkeeping, all on the device.
layout(std430, set = 0, binding = 3) buffer ControlBuf {
    double t, dt, max_speed, storage0;
    double storage, inflow_volume, rain_volume, outflow;
    double clamped, max_volume_error, rain_depth, steps;
    double last_dt, pad0, pad1, pad2;
    double inflow_depth[];  // depth added to each cell of inflow k this step
};
// Per cell workgroup: (max wave speed, sum of h, clamped depth, boundary mass flux); at
// second order followed by as many of the stage (0, 0, lifted depth, boundary mass flux).
layout(std430, set = 0, binding = 4) buffer PartialBuf { dvec4 partial[]; };
// Series points (t, value): the rain (mm/h) first, then each inflow's hydrograph.
layout(std430, set = 0, binding = 5) readonly buffer SeriesBuf { dvec2 series[]; };
// [3 per inflow: first point, point count, cell count | per cell the first entry, n + 1 |
// inflow index per entry, cells in inflow order].
layout(std430, set = 0, binding = 6) readonly buffer IndexBuf { uint index_data[]; };
// [max depth | arrival time (s, < 0: not yet)].
layout(std430, set = 0, binding = 7) buffer TrackBuf { double track[]; };
// Three VkDispatchIndirectCommand: flux, cell, reduce; zero sizes once the run is over.
layout(std430, set = 0, binding = 8) buffer IndirectBuf { uint indirect[]; };
// Second order only: the Heun stage U1 = U0 + dt L(U0), [h | hu | hv] like state[].
layout(std430, set = 0, binding = 9) buffer StageBuf { double stage[]; };
// Second order only: the minmod slopes of (h, eta, u, v) along x and along y, 4 n values
// each (slope k of cell c at k * n + c); two buffers to stay within maxStorageBufferRange.
layout(std430, set = 0, binding = 10) buffer SlopeXBuf { double slope_x[]; };
layout(std430, set = 0, binding = 11) buffer SlopeYBuf { double slope_y[]; };

const double gravity = 9.81lf;

#define ZW_FLOOD_FN
#define ZW_FLOOD_EPS 1e-12lf
#include "flood_step.glsl"

// The water the kernel works on: U0, or the Heun stage U1 (index as in state[]).
double water(uint k) {
    return from_stage ? stage[k] : state[k];
}
