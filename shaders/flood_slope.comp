#version 450
// MUSCL slopes for second order, as Solver::compute_slopes: per cell the minmod of the
// one-sided differences of (h, eta, u, v) along x and along y; beyond a side of the grid
// the neighbour is the cell itself (zero slope). Reads U0 or the Heun stage (from_stage).
#include "flood_common.glsl"

layout(local_size_x = 256) in;

dvec4 values(uint c, uint n) {
    const double h = water(c);
    return dvec4(h, h + bed[c], h > pc.dry ? water(n + c) / h : 0.0, h > pc.dry ? water(2 * n + c) / h : 0.0);
}

double minmod(double a, double b) {
    if (a * b <= 0) return 0.0;
    return abs(a) < abs(b) ? a : b;
}

void main() {
    const uint n = pc.nx * pc.ny;
    const uint c = (gl_WorkGroupID.y * pc.groups_x + gl_WorkGroupID.x) * 256 + gl_LocalInvocationID.x;
    if (c >= n) return;
    const uint nx = pc.nx, ny = pc.ny;
    const uint i = c % nx, j = c / nx;
    const dvec4 v = values(c, n);
    const dvec4 w = values(i > 0 ? c - 1 : c, n);
    const dvec4 e = values(i + 1 < nx ? c + 1 : c, n);
    const dvec4 so = values(j > 0 ? c - nx : c, n);
    const dvec4 no = values(j + 1 < ny ? c + nx : c, n);
    for (uint k = 0; k < 4; ++k) {
        slope_x[k * n + c] = minmod(v[k] - w[k], e[k] - v[k]);
        slope_y[k * n + c] = minmod(v[k] - so[k], no[k] - v[k]);
    }
}
