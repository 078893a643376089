#version 450
// Ends a step: sums the cell workgroups' partials into the wave speed for the next step
// and the volume bookkeeping (Stats in engine/scenario/flood/solver.h), advances the time.
// One workgroup.
#include "flood_common.glsl"

layout(local_size_x = 256) in;

shared dvec4 sums[256];

void main() {
    const uint l = gl_LocalInvocationID.x;
    dvec4 mine = dvec4(0);
    for (uint p = l; p < pc.partials; p += 256) {
        dvec4 o = partial[p];
        if (second_order) {
            // Heun: half the stage's lifted depth reaches U; the outflow is the mean of the
            // two stages' boundary fluxes (Solver::step).
            const dvec4 s = partial[pc.partials + p];
            o.z += 0.5 * s.z;
            o.w = 0.5 * (o.w + s.w);
        }
        mine = dvec4(max(mine.x, o.x), mine.yzw + o.yzw);
    }
    sums[l] = mine;
    barrier();
    for (uint stride = 128; stride > 0; stride >>= 1) {
        if (l < stride) {
            const dvec4 o = sums[l + stride];
            sums[l] = dvec4(max(sums[l].x, o.x), sums[l].yzw + o.yzw);
        }
        barrier();
    }
    if (l != 0) return;
    const double step_dt = dt;
    const double area = pc.dx * pc.dx;
    max_speed = sums[0].x;
    storage = sums[0].y * area;
    clamped += sums[0].z * area;
    outflow += step_dt * sums[0].w * pc.dx;
    t = flood_arrive(t, step_dt, pc.t_end);
    steps += 1;
    last_dt = step_dt;
    // Lifted (clamped) water is not forgiven: it counts as an error (Stats in solver.h).
    const double residual = storage - storage0 - inflow_volume - rain_volume + outflow;
    const double error = abs(residual) / max(max(inflow_volume + rain_volume, storage0), 1e-300lf);
    max_volume_error = max(max_volume_error, error);
}
