#version 450
// HLL fluxes on the hydrostatic reconstruction (Audusse et al. 2004): one invocation per
// (i, j) computes x-interface i of row j and y-interface j of column i, as
// Solver::compute_fluxes does; at second order on the MUSCL faces (flood_slope.comp) of U0
// or of the Heun stage (from_stage).
#include "flood_common.glsl"

layout(local_size_x = 16, local_size_y = 16) in;

struct Face {
    double h, eta, z, un, ut;
};

// See hll() in engine/scenario/flood/solver.cpp: mass, momentum seen by the left and by the
// right cell without their own face's g/2 h^2, transverse momentum.
dvec4 hll(Face l, Face r) {
    const double half_g = 0.5 * gravity;
    const double zs = max(l.z, r.z);
    const double hl = max(0.0, l.eta - zs);
    const double hr = max(0.0, r.eta - zs);
    if (hl <= 0 && hr <= 0) return dvec4(0);
    const double ul = hl > 0 ? l.un : 0.0, ur = hr > 0 ? r.un : 0.0;
    const double vl = hl > 0 ? l.ut : 0.0, vr = hr > 0 ? r.ut : 0.0;
    const double cl = sqrt(gravity * hl), cr = sqrt(gravity * hr);
    double sl, sr;
    if (hl <= 0) {
        sl = ur - 2 * cr;
        sr = ur + cr;
    } else if (hr <= 0) {
        sl = ul - cl;
        sr = ul + 2 * cl;
    } else {
        sl = min(ul - cl, ur - cr);
        sr = max(ul + cl, ur + cr);
    }
    const double ql = hl * ul, qr = hr * ur;
    const double adv_l = ql * ul, adv_r = qr * ur;
    const dvec3 dU = dvec3(hr - hl, qr - ql, hr * vr - hl * vl);
    const dvec3 dF = dvec3(qr - ql, (adv_r - adv_l) + half_g * (hr * hr - hl * hl), qr * vr - ql * vl);
    dvec3 dl, dr;
    if (sl >= 0) {
        dl = dvec3(0);
        dr = -dF;
    } else if (sr <= 0) {
        dl = dF;
        dr = dvec3(0);
    } else {
        const double inv = 1 / (sr - sl);
        for (int k = 0; k < 3; ++k) {
            dl[k] = sl * (sr * dU[k] - dF[k]) * inv;
            dr[k] = sr * (sl * dU[k] - dF[k]) * inv;
        }
    }
    return dvec4(ql + dl[0], adv_l + dl[1], adv_r + dr[1], ql * vl + dl[2]);
}

// The face of cell c along x or y on side `sign` (+1: east or north), as the lambda face()
// in Solver::compute_fluxes: the reconstructed bed is eta - h so that a flat eta stays flat.
Face face(uint c, bool along_x, double sign) {
    const uint n = pc.nx * pc.ny;
    const double h = water(c), z = bed[c];
    const double u = h > pc.dry ? water(n + c) / h : 0.0;
    const double v = h > pc.dry ? water(2 * n + c) / h : 0.0;
    if (!second_order) return Face(h, h + z, z, along_x ? u : v, along_x ? v : u);
    const dvec4 sl = along_x ? dvec4(slope_x[c], slope_x[n + c], slope_x[2 * n + c], slope_x[3 * n + c])
                             : dvec4(slope_y[c], slope_y[n + c], slope_y[2 * n + c], slope_y[3 * n + c]);
    const double fh = h + sign * 0.5 * sl.x;
    const double feta = h + z + sign * 0.5 * sl.y;
    const double fu = u + sign * 0.5 * sl.z, fv = v + sign * 0.5 * sl.w;
    return Face(fh, feta, feta - fh, along_x ? fu : fv, along_x ? fv : fu);
}

// A side of the grid: a wall mirrors the normal velocity and lets nothing through; a free
// side is the cell's own state beyond it, on ground at the higher of the cell's bed and
// `rim`, the bed of its inner neighbour (Solver::compute_fluxes says why).
dvec4 boundary(Face inner, uint side, bool inner_is_left, double rim) {
    Face ghost = inner;
    const bool wall = (pc.closed & (1u << side)) != 0;
    if (wall)
        ghost.un = -ghost.un;
    else
        ghost.z = max(inner.z, rim);
    dvec4 f = inner_is_left ? hll(inner, ghost) : hll(ghost, inner);
    if (wall) {
        f.x = 0;
        f.w = 0;
    }
    return f;
}

void main() {
    const uint i = gl_GlobalInvocationID.x, j = gl_GlobalInvocationID.y;
    const uint nx = pc.nx, ny = pc.ny;
    if (j < ny && i <= nx) {
        const uint c = j * nx + i;
        dvec4 f;
        if (i == 0)
            f = boundary(face(c, true, -1.0), 0, false, bed[nx > 1 ? c + 1 : c]);
        else if (i == nx)
            f = boundary(face(c - 1, true, 1.0), 1, true, bed[nx > 1 ? c - 2 : c - 1]);
        else
            f = hll(face(c - 1, true, 1.0), face(c, true, -1.0));
        flux[j * (nx + 1) + i] = f;
    }
    if (i < nx && j <= ny) {
        dvec4 f;
        if (j == 0)
            f = boundary(face(i, false, -1.0), 2, false, bed[ny > 1 ? nx + i : i]);
        else if (j == ny)
            f = boundary(face((ny - 1) * nx + i, false, 1.0), 3, true, bed[(ny > 1 ? ny - 2 : 0) * nx + i]);
        else
            f = hll(face((j - 1) * nx + i, false, 1.0), face(j * nx + i, false, -1.0));
        flux[(nx + 1) * ny + j * nx + i] = f;
    }
}
