#include "engine/scenario/flood/solver.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace zw::flood {

// The stepping rule shared with the GPU kernels: flood_step_dt() and flood_arrive().
#define ZW_FLOOD_FN inline
#define ZW_FLOOD_EPS 1e-12
#include "shaders/flood_step.glsl"
#undef ZW_FLOOD_FN
#undef ZW_FLOOD_EPS

namespace {

constexpr double half_g = 0.5 * gravity;

// One side of an interface: depth, free surface, bed (eta - h for reconstructed faces, so
// that a flat eta gives a flat eta again), normal and tangential velocity.
struct Face {
    double h, eta, z, un, ut;
};

double minmod(double a, double b) {
    if (a * b <= 0) return 0;
    return std::abs(a) < std::abs(b) ? a : b;
}

// The HLL flux between two faces on the hydrostatic reconstruction. Returns the mass flux,
// the momentum flux seen by the left and by the right cell without the g/2 h^2 of the
// cell's own face (it cancels between the two faces of a cell; dropping it keeps a lake at
// rest exactly at rest), and the tangential momentum flux.
//
// With F = F_L + D_L = F_R + D_R (HLL), the left cell gets F + g/2 (h_face^2 - hl*^2)
// = hl* ul^2 + D_L + g/2 h_face^2, the right cell hr* ur^2 + D_R + g/2 h_face^2.
struct HllFlux {
    double mass, mom_l, mom_r, trans;
};

HllFlux hll(const Face& l, const Face& r) {
    const double zs = std::max(l.z, r.z);
    const double hl = std::max(0.0, l.eta - zs);
    const double hr = std::max(0.0, r.eta - zs);
    if (hl <= 0 && hr <= 0) return {0, 0, 0, 0};
    const double ul = hl > 0 ? l.un : 0, ur = hr > 0 ? r.un : 0;
    const double vl = hl > 0 ? l.ut : 0, vr = hr > 0 ? r.ut : 0;
    const double cl = std::sqrt(gravity * hl), cr = std::sqrt(gravity * hr);
    double sl, sr;
    if (hl <= 0) {  // dry on the left: the front moves at ur - 2 cr
        sl = ur - 2 * cr;
        sr = ur + cr;
    } else if (hr <= 0) {
        sl = ul - cl;
        sr = ul + 2 * cl;
    } else {
        sl = std::min(ul - cl, ur - cr);
        sr = std::max(ul + cl, ur + cr);
    }
    // Conserved variables and fluxes of both sides (momentum flux without its pressure
    // part, which enters only through the difference below).
    const double ql = hl * ul, qr = hr * ur;
    const double adv_l = ql * ul, adv_r = qr * ur;
    const double dU[3] = {hr - hl, qr - ql, hr * vr - hl * vl};
    const double dF[3] = {qr - ql, (adv_r - adv_l) + half_g * (hr * hr - hl * hl), qr * vr - ql * vl};
    double dl[3], dr[3];  // D_L = F - F_L, D_R = F - F_R
    if (sl >= 0) {
        for (int k = 0; k < 3; ++k) {
            dl[k] = 0;
            dr[k] = -dF[k];
        }
    } else if (sr <= 0) {
        for (int k = 0; k < 3; ++k) {
            dl[k] = dF[k];
            dr[k] = 0;
        }
    } else {
        const double inv = 1 / (sr - sl);
        for (int k = 0; k < 3; ++k) {
            dl[k] = sl * (sr * dU[k] - dF[k]) * inv;
            dr[k] = sr * (sl * dU[k] - dF[k]) * inv;
        }
    }
    return {ql + dl[0], adv_l + dl[1], adv_r + dr[1], ql * vl + dl[2]};
}

}  // namespace

double Stats::relative_volume_error() const {
    const double residual = storage - storage0 - inflow - rain + outflow;
    return std::abs(residual) / std::max({inflow + rain, storage0, 1e-300});
}

Solver::Solver(Grid grid, FloodInputs inputs, Options options, State initial)
    : grid_(std::move(grid)), inputs_(std::move(inputs)), options_(options) {
    const size_t n = size_t(grid_.nx) * grid_.ny;
    if (n == 0 || grid_.z.size() != n || !(grid_.dx > 0))
        throw std::invalid_argument("flood grid: need nx * ny > 0 bed elevations and dx > 0");
    if (!inputs_.manning.empty() && inputs_.manning.size() != n)
        throw std::invalid_argument("flood inputs: manning must have nx * ny values or none");
    for (const Inflow& in : inputs_.inflows) {
        if (in.cells.empty()) throw std::invalid_argument("flood inputs: an inflow has no cells");
        for (size_t c : in.cells)
            if (c >= n)
                throw std::invalid_argument("flood inputs: inflow cell " + std::to_string(c) +
                                            " lies outside the grid");
    }
    check_options(options_);
    options_.threads = std::max(1u, options_.threads);

    state_ = std::move(initial);
    if (state_.h.empty()) state_.h.assign(n, 0.0);
    if (state_.hu.empty()) state_.hu.assign(n, 0.0);
    if (state_.hv.empty()) state_.hv.assign(n, 0.0);
    if (state_.h.size() != n || state_.hu.size() != n || state_.hv.size() != n)
        throw std::invalid_argument("flood state: h, hu, hv must have nx * ny values");
    for (double& h : state_.h)
        if (!(h >= 0)) throw std::invalid_argument("flood state: depths must be >= 0");
    stage_ = state_;
    next_ = state_;
    fx_.resize(size_t(grid_.nx + 1) * grid_.ny);
    fy_.resize(size_t(grid_.nx) * (grid_.ny + 1));
    if (options_.second_order)
        for (int k = 0; k < 4; ++k) {
            slope_x_[k].assign(n, 0.0);
            slope_y_[k].assign(n, 0.0);
        }
    row_storage_.assign(grid_.ny, 0.0);
    row_speed_.assign(grid_.ny, 0.0);
    row_clamped_.assign(grid_.ny, 0.0);
    manning2_.resize(n);
    for (size_t c = 0; c < n; ++c) {
        const double m = inputs_.manning.empty() ? inputs_.manning_constant : inputs_.manning[c];
        manning2_[c] = m * m;
    }

    // Storage and wave speed of the initial state, summed the same way as after a step.
    const double area = grid_.dx * grid_.dx;
    double storage = 0;
    for (uint32_t j = 0; j < grid_.ny; ++j) {
        double row = 0;
        for (uint32_t i = 0; i < grid_.nx; ++i) {
            const size_t c = grid_.index(i, j);
            const double h = state_.h[c];
            row += h;
            if (h > options_.dry_depth) {
                const double s =
                    std::max(std::abs(state_.hu[c]), std::abs(state_.hv[c])) / h + std::sqrt(gravity * h);
                max_speed_ = std::max(max_speed_, s);
            }
        }
        storage += row * area;
    }
    stats_.storage0 = stats_.storage = storage;
}

template <typename F>
void Solver::parallel_rows(uint32_t rows, F&& f) const {
    const unsigned t = std::min<unsigned>(options_.threads, rows);
    if (t <= 1) {
        f(0u, rows);
        return;
    }
    std::vector<std::thread> workers;
    workers.reserve(t - 1);
    for (unsigned b = 1; b < t; ++b)
        workers.emplace_back([&f, b, t, rows] {
            f(uint32_t(uint64_t(rows) * b / t), uint32_t(uint64_t(rows) * (b + 1) / t));
        });
    f(0u, uint32_t(uint64_t(rows) / t));
    for (std::thread& w : workers)
        w.join();
}

double Solver::cfl_dt() const {
    return max_speed_ > 0 ? options_.courant * grid_.dx / max_speed_ : options_.max_dt;
}

void Solver::compute_slopes(const State& s) {
    const uint32_t nx = grid_.nx, ny = grid_.ny;
    const double dry = options_.dry_depth;
    const auto values = [&](size_t c, double out[4]) {
        const double h = s.h[c];
        out[0] = h;
        out[1] = h + grid_.z[c];
        out[2] = h > dry ? s.hu[c] / h : 0;
        out[3] = h > dry ? s.hv[c] / h : 0;
    };
    parallel_rows(ny, [&](uint32_t j0, uint32_t j1) {
        for (uint32_t j = j0; j < j1; ++j)
            for (uint32_t i = 0; i < nx; ++i) {
                const size_t c = grid_.index(i, j);
                double v[4], w[4], e[4], so[4], no[4];
                values(c, v);
                // Beyond the boundary the neighbour is the cell itself: zero slope there.
                values(i > 0 ? c - 1 : c, w);
                values(i + 1 < nx ? c + 1 : c, e);
                values(j > 0 ? c - nx : c, so);
                values(j + 1 < ny ? c + nx : c, no);
                for (int k = 0; k < 4; ++k) {
                    slope_x_[k][c] = minmod(v[k] - w[k], e[k] - v[k]);
                    slope_y_[k][c] = minmod(v[k] - so[k], no[k] - v[k]);
                }
            }
    });
}

void Solver::compute_fluxes(const State& s) {
    const uint32_t nx = grid_.nx, ny = grid_.ny;
    const double dry = options_.dry_depth;
    const bool second = options_.second_order;
    // The face of cell c towards direction dir (0: x, 1: y) on side sign (+1 east/north).
    const auto face = [&](size_t c, int dir, double sign) {
        const double h = s.h[c];
        const double u = h > dry ? s.hu[c] / h : 0, v = h > dry ? s.hv[c] / h : 0;
        Face f;
        if (!second) {
            f = {h, h + grid_.z[c], grid_.z[c], dir == 0 ? u : v, dir == 0 ? v : u};
        } else {
            const auto& sl = dir == 0 ? slope_x_ : slope_y_;
            const double fh = h + sign * 0.5 * sl[0][c];
            const double feta = h + grid_.z[c] + sign * 0.5 * sl[1][c];
            const double fu = u + sign * 0.5 * sl[2][c], fv = v + sign * 0.5 * sl[3][c];
            f = {fh, feta, feta - fh, dir == 0 ? fu : fv, dir == 0 ? fv : fu};
        }
        return f;
    };
    // A free side continues the boundary cell's water beyond the grid on ground at the higher
    // of its bed and `rim`, its inner neighbour's bed. Beyond a cell lying lower than its
    // neighbour (a dip at the edge, a creek's channel) water then leaves with the depth it
    // has over that rim, the depth at which it arrives: with the cell's full depth a lake at
    // rest behind the dip drains through it (the cell loses more than it gets at the same
    // velocity, its level drops and pulls more water out, without bound).
    const auto boundary = [&](const Face& inner, Side side, bool inner_is_left, double rim) {
        Face ghost = inner;
        const bool wall = inputs_.boundaries[size_t(side)] == Boundary::closed;
        if (wall)
            ghost.un = -ghost.un;
        else
            ghost.z = std::max(inner.z, rim);
        HllFlux f = inner_is_left ? hll(inner, ghost) : hll(ghost, inner);
        if (wall) f.mass = f.trans = 0;
        return Flux{f.mass, f.mom_l, f.mom_r, f.trans};
    };
    parallel_rows(ny + 1, [&](uint32_t j0, uint32_t j1) {
        for (uint32_t j = j0; j < std::min(j1, ny); ++j) {
            Flux* row = &fx_[size_t(j) * (nx + 1)];
            const size_t c0 = grid_.index(0, j);
            row[0] = boundary(face(c0, 0, -1), Side::west, false, grid_.z[nx > 1 ? c0 + 1 : c0]);
            for (uint32_t i = 1; i < nx; ++i) {
                const HllFlux f = hll(face(c0 + i - 1, 0, +1), face(c0 + i, 0, -1));
                row[i] = {f.mass, f.mom_l, f.mom_r, f.trans};
            }
            row[nx] =
                boundary(face(c0 + nx - 1, 0, +1), Side::east, true, grid_.z[c0 + (nx > 1 ? nx - 2 : 0)]);
        }
        for (uint32_t k = j0; k < j1; ++k) {
            Flux* row = &fy_[size_t(k) * nx];
            for (uint32_t i = 0; i < nx; ++i) {
                if (k == 0) {
                    row[i] = boundary(face(grid_.index(i, 0), 1, -1), Side::south, false,
                                      grid_.z[grid_.index(i, ny > 1 ? 1 : 0)]);
                } else if (k == ny) {
                    row[i] = boundary(face(grid_.index(i, ny - 1), 1, +1), Side::north, true,
                                      grid_.z[grid_.index(i, ny > 1 ? ny - 2 : 0)]);
                } else {
                    const HllFlux f = hll(face(grid_.index(i, k - 1), 1, +1), face(grid_.index(i, k), 1, -1));
                    row[i] = {f.mass, f.mom_l, f.mom_r, f.trans};
                }
            }
        }
    });
}

void Solver::apply_fluxes(const State& from, State& to, double dt) {
    const uint32_t nx = grid_.nx, ny = grid_.ny;
    const double k = dt / grid_.dx;
    const bool second = options_.second_order;
    parallel_rows(ny, [&](uint32_t j0, uint32_t j1) {
        for (uint32_t j = j0; j < j1; ++j) {
            const Flux* x = &fx_[size_t(j) * (nx + 1)];
            const Flux* s = &fy_[size_t(j) * nx];
            const Flux* n = &fy_[size_t(j + 1) * nx];
            for (uint32_t i = 0; i < nx; ++i) {
                const size_t c = grid_.index(i, j);
                double h = from.h[c] - k * ((x[i + 1].mass - x[i].mass) + (n[i].mass - s[i].mass));
                double hu = from.hu[c] - k * ((x[i + 1].mom_l - x[i].mom_r) + (n[i].trans - s[i].trans));
                double hv = from.hv[c] - k * ((x[i + 1].trans - x[i].trans) + (n[i].mom_l - s[i].mom_r));
                if (second) {
                    // The g/2 h^2 of the two reconstructed faces plus the centred bed-slope
                    // term of Audusse et al.: g/2 (h_E + h_W)(eta_E - eta_W), zero on a flat
                    // surface.
                    const double hc = from.h[c];
                    hu -= k * gravity * hc * slope_x_[1][c];
                    hv -= k * gravity * hc * slope_y_[1][c];
                }
                to.h[c] = h;
                to.hu[c] = hu;
                to.hv[c] = hv;
            }
        }
    });
}

double Solver::boundary_flux() const {
    const uint32_t nx = grid_.nx, ny = grid_.ny;
    double q = 0;
    for (uint32_t j = 0; j < ny; ++j)
        q += fx_[size_t(j) * (nx + 1) + nx].mass - fx_[size_t(j) * (nx + 1)].mass;
    for (uint32_t i = 0; i < nx; ++i)
        q += fy_[size_t(ny) * nx + i].mass - fy_[i].mass;
    return q * grid_.dx;
}

void Solver::finish_step(double dt) {
    const uint32_t nx = grid_.nx, ny = grid_.ny;
    const double area = grid_.dx * grid_.dx;
    const double t0 = stats_.t;
    // Inflows: the exact volume of the hydrograph over the step, spread over its cells.
    for (const Inflow& in : inputs_.inflows) {
        const double volume = in.discharge.integral(t0, t0 + dt);
        const double depth = volume / (double(in.cells.size()) * area);
        for (size_t c : in.cells)
            next_.h[c] += depth;
        stats_.inflow += depth * double(in.cells.size()) * area;
    }
    const double rain = inputs_.rain_mm_per_h.integral(t0, t0 + dt) / 3.6e6;  // m over the step
    stats_.rain += rain * area * double(size_t(nx) * ny);
    const double dry = options_.dry_depth;
    parallel_rows(ny, [&](uint32_t j0, uint32_t j1) {
        for (uint32_t j = j0; j < j1; ++j) {
            double storage = 0, speed = 0, clamped = 0;
            for (uint32_t i = 0; i < nx; ++i) {
                const size_t c = grid_.index(i, j);
                double h = next_.h[c] + rain;
                if (h < 0) {
                    clamped -= h;
                    h = 0;
                }
                double hu = next_.hu[c], hv = next_.hv[c];
                if (h > dry) {
                    // Semi-implicit Manning: q <- q / (1 + dt g n^2 |u| / h^(4/3)).
                    const double n2 = manning2_[c];
                    if (n2 > 0) {
                        const double speed_c = std::sqrt(hu * hu + hv * hv) / h;
                        const double f = 1 + dt * gravity * n2 * speed_c / std::pow(h, 4.0 / 3.0);
                        hu /= f;
                        hv /= f;
                    }
                    speed =
                        std::max(speed, std::max(std::abs(hu), std::abs(hv)) / h + std::sqrt(gravity * h));
                } else {
                    hu = hv = 0;
                }
                next_.h[c] = h;
                next_.hu[c] = hu;
                next_.hv[c] = hv;
                storage += h;
            }
            row_storage_[j] = storage * area;
            row_speed_[j] = speed;
            row_clamped_[j] = clamped * area;
        }
    });
    double storage = 0, speed = 0;
    for (uint32_t j = 0; j < ny; ++j) {
        storage += row_storage_[j];
        speed = std::max(speed, row_speed_[j]);
        stats_.clamped += row_clamped_[j];
    }
    std::swap(state_, next_);
    max_speed_ = speed;
    stats_.storage = storage;
    stats_.t = t0 + dt;
    stats_.steps += 1;
    stats_.cell_updates += uint64_t(nx) * ny;
    stats_.last_dt = dt;
    stats_.max_volume_error = std::max(stats_.max_volume_error, stats_.relative_volume_error());
}

void check_options(const Options& o) {
    static_assert(max_courant == 0.5, "the message below names it");
    if (!(o.courant > 0) || !(o.courant <= max_courant) || !(o.max_dt > 0))
        throw std::invalid_argument("flood options: courant must be in (0, 0.5] and max_dt > 0");
}

double Solver::step(double dt_limit) {
    const double dt = std::min({cfl_dt(), options_.max_dt, dt_limit});
    if (!(dt > 0)) return 0;
    if (!options_.second_order) {
        compute_fluxes(state_);
        stats_.outflow += dt * boundary_flux();
        apply_fluxes(state_, next_, dt);
    } else {
        // Heun: U1 = U0 + dt L(U0), U2 = U1 + dt L(U1), U = (U0 + U2) / 2.
        compute_slopes(state_);
        compute_fluxes(state_);
        const double q0 = boundary_flux();
        apply_fluxes(state_, stage_, dt);
        double lifted = 0;
        for (double& h : stage_.h)
            if (h < 0) {
                lifted -= h;
                h = 0;
            }
        stats_.clamped += 0.5 * lifted * grid_.dx * grid_.dx;  // half of it reaches U
        compute_slopes(stage_);
        compute_fluxes(stage_);
        const double q1 = boundary_flux();
        apply_fluxes(stage_, next_, dt);
        stats_.outflow += dt * 0.5 * (q0 + q1);
        parallel_rows(grid_.ny, [&](uint32_t j0, uint32_t j1) {
            for (size_t c = size_t(j0) * grid_.nx; c < size_t(j1) * grid_.nx; ++c) {
                next_.h[c] = 0.5 * (state_.h[c] + next_.h[c]);
                next_.hu[c] = 0.5 * (state_.hu[c] + next_.hu[c]);
                next_.hv[c] = 0.5 * (state_.hv[c] + next_.hv[c]);
            }
        });
    }
    finish_step(dt);
    return dt;
}

double Solver::step_towards(double t_end) {
    const double t0 = stats_.t;
    const double dt = flood_step_dt(t0, t_end, cfl_dt(), options_.max_dt);
    if (!(dt > 0) || step(dt) <= 0) return 0;
    stats_.t = flood_arrive(t0, dt, t_end);
    return dt;
}

void Solver::run_until(double t_end) {
    while (stats_.t < t_end)
        if (step_towards(t_end) <= 0) break;
}

}  // namespace zw::flood
