#version 450
// The cell update of one step, as Solver::apply_fluxes + finish_step do: flux divergence,
// inflow and rain depths, lifting a negative depth to zero, semi-implicit Manning, then
// this workgroup's partial sums for flood_reduce.comp (wave speed, storage, clamped depth,
// boundary mass flux) and the max-depth / arrival tracking.
// Second order (Heun, as Solver::step): with from_stage false it computes the stage
// U1 = U0 + dt L(U0) into stage[] (negative depths lifted to zero, nothing else) and its
// partials (lifted depth, boundary mass flux) after the step's; with from_stage true it
// takes U2 = U1 + dt L(U1), averages (U0 + U2) / 2 and finishes the step as above.
#include "flood_common.glsl"

layout(local_size_x = 256) in;

shared dvec4 sums[256];

// x^(1/3) for x > 0 in double precision (GLSL has no double pow): Newton from a float guess.
double cbrt_d(double x) {
    double y = double(pow(float(x), 1.0 / 3.0));
    y -= (y * y * y - x) / (3 * y * y);
    y -= (y * y * y - x) / (3 * y * y);
    return y;
}

// Solver::finish_step for cell c: sources, lifting, friction, the write-back and the tracking.
// Returns the partial (wave speed, h, lifted depth, boundary mass flux).
dvec4 finish(uint c, uint n, double h, double hu, double hv, double step_dt, double out_flux) {
    // Inflow depths in the order Solver::finish_step adds them.
    const uint starts = 3 * pc.inflows, entries = starts + n + 1;
    for (uint q = index_data[starts + c]; q < index_data[starts + c + 1]; ++q)
        h += inflow_depth[index_data[entries + q]];
    h += rain_depth;
    double lifted = 0;
    if (h < 0) {
        lifted = -h;
        h = 0;
    }
    double speed = 0;
    if (h > pc.dry) {
        const double n2 = bed[n + c];
        if (n2 > 0) {
            const double speed_c = sqrt(hu * hu + hv * hv) / h;
            const double f = 1 + step_dt * gravity * n2 * speed_c / (h * cbrt_d(h));
            hu /= f;
            hv /= f;
        }
        speed = max(abs(hu), abs(hv)) / h + sqrt(gravity * h);
    } else {
        hu = 0;
        hv = 0;
    }
    state[c] = h;
    state[n + c] = hu;
    state[2 * n + c] = hv;
    track[c] = max(track[c], h);
    if (track[n + c] < 0 && h >= pc.arrival) track[n + c] = t + step_dt;
    return dvec4(speed, h, lifted, out_flux);
}

void main() {
    const uint n = pc.nx * pc.ny;
    const uint group = gl_WorkGroupID.y * pc.groups_x + gl_WorkGroupID.x;
    const uint c = group * 256 + gl_LocalInvocationID.x;
    const double step_dt = dt;
    dvec4 mine = dvec4(0);
    if (c < n && step_dt > 0) {
        const uint nx = pc.nx, ny = pc.ny;
        const uint i = c % nx, j = c / nx;
        const double k = step_dt / pc.dx;
        const dvec4 w = flux[j * (nx + 1) + i], e = flux[j * (nx + 1) + i + 1];
        const uint fy = (nx + 1) * ny;
        const dvec4 s = flux[fy + j * nx + i], no = flux[fy + (j + 1) * nx + i];
        double h = water(c) - k * ((e.x - w.x) + (no.x - s.x));
        double hu = water(n + c) - k * ((e.y - w.z) + (no.w - s.w));
        double hv = water(2 * n + c) - k * ((e.w - w.w) + (no.y - s.z));
        double out_flux = 0;
        if (i == nx - 1) out_flux += e.x;
        if (i == 0) out_flux -= w.x;
        if (j == ny - 1) out_flux += no.x;
        if (j == 0) out_flux -= s.x;
        if (second_order) {
            // The faces' g/2 h^2 plus the centred bed slope, as Solver::apply_fluxes.
            const double hc = water(c);
            hu -= k * gravity * hc * slope_x[n + c];
            hv -= k * gravity * hc * slope_y[n + c];
        }
        if (!second_order) {
            mine = finish(c, n, h, hu, hv, step_dt, out_flux);
        } else if (!from_stage) {
            // The stage: only negative depths are lifted (half of that reaches U).
            double lifted = 0;
            if (h < 0) {
                lifted = -h;
                h = 0;
            }
            stage[c] = h;
            stage[n + c] = hu;
            stage[2 * n + c] = hv;
            mine = dvec4(0, 0, lifted, out_flux);
        } else {
            mine = finish(c, n, 0.5 * (state[c] + h), 0.5 * (state[n + c] + hu), 0.5 * (state[2 * n + c] + hv),
                          step_dt, out_flux);
        }
    }
    const uint l = gl_LocalInvocationID.x;
    sums[l] = mine;
    barrier();
    for (uint stride = 128; stride > 0; stride >>= 1) {
        if (l < stride) {
            const dvec4 o = sums[l + stride];
            sums[l] = dvec4(max(sums[l].x, o.x), sums[l].yzw + o.yzw);
        }
        barrier();
    }
    // The stage's partials go after the step's; flood_reduce.comp merges them.
    if (l == 0) partial[second_order && !from_stage ? pc.partials + group : group] = sums[0];
}
