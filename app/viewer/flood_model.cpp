#include "app/viewer/flood_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace zw::viewer {

namespace fs = std::filesystem;

const std::array<double, 6>& PlaybackClock::speeds() {
    static const std::array<double, 6> s{1, 10, 60, 300, 900, 3600};
    return s;
}

void PlaybackClock::advance(double wall_dt_s) {
    if (!playing || !(wall_dt_s > 0)) return;
    time_s += wall_dt_s * speed;
    if (time_s < duration_s) return;
    if (loop && duration_s > 0) {
        time_s = std::fmod(time_s, duration_s);
    } else {
        time_s = duration_s;
        playing = false;
    }
}

void PlaybackClock::scrub(double t_s) {
    time_s = std::clamp(std::isfinite(t_s) ? t_s : 0.0, 0.0, std::max(duration_s, 0.0));
}

void PlaybackClock::toggle() {
    if (playing) {
        playing = false;
        return;
    }
    if (at_end()) time_s = 0;
    playing = true;
}

std::string format_hmm(double seconds) {
    const long minutes = seconds > 0 ? long(std::floor(seconds / 60.0 + 1e-9)) : 0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", minutes / 60, minutes % 60);
    return buf;
}

bool residents_known(const std::vector<scenario::Site>& sites) {
    return std::any_of(sites.begin(), sites.end(), [](const scenario::Site& s) { return s.residents_known; });
}

bool critical_known(const std::vector<scenario::Site>& sites) {
    return std::any_of(sites.begin(), sites.end(), [](const scenario::Site& s) { return s.critical_known; });
}

std::vector<SummaryRow> summary_rows(const scenario::Impacts& a, const std::vector<scenario::Site>& a_sites,
                                     const scenario::Impacts* b, const std::vector<scenario::Site>* b_sites) {
    auto opt = [&](uint64_t v) { return b ? std::optional<uint64_t>(v) : std::nullopt; };
    std::vector<SummaryRow> rows;
    rows.push_back({SummaryRow::What::over_10cm, a.flooded, opt(b ? b->flooded : 0)});
    rows.push_back({SummaryRow::What::over_50cm, a.flooded_deep, opt(b ? b->flooded_deep : 0)});
    if (residents_known(a_sites) && (!b || (b_sites && residents_known(*b_sites))))
        rows.push_back(
            {SummaryRow::What::residents, a.residents_affected, opt(b ? b->residents_affected : 0)});
    return rows;
}

namespace {
bool same_grid_values(uint32_t nc, uint32_t nr, double x, double y, double cs, const scenario::AsciiGrid& g) {
    const double eps = 1e-3 * std::max(cs, 1e-9);
    return nc == g.ncols && nr == g.nrows && std::abs(cs - g.cellsize) <= eps &&
           std::abs(x - g.xllcorner) <= eps && std::abs(y - g.yllcorner) <= eps;
}
}  // namespace

bool same_grid(const scenario::AsciiGrid& a, const scenario::AsciiGrid& b) {
    return same_grid_values(a.ncols, a.nrows, a.xllcorner, a.yllcorner, a.cellsize, b);
}

bool same_grid(const scenario::DepthFrames& f, const scenario::AsciiGrid& g) {
    return same_grid_values(f.ncols, f.nrows, f.xllcorner, f.yllcorner, f.cellsize, g);
}

std::string import_ground_file(const std::string& folder) {
    std::error_code ec;
    for (const char* name : {"terrain.asc", "dem.asc"})
        if (fs::is_regular_file(fs::path(folder) / name, ec)) return (fs::path(folder) / name).string();
    return {};
}

namespace {
std::string grid_text(uint32_t nc, uint32_t nr, double x, double y, double cs) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%u x %u cells of %g m at %.2f, %.2f", nc, nr, cs, x, y);
    return buf;
}
}  // namespace

ImportGround choose_import_ground(const scenario::DepthFrames& f, const scenario::AsciiGrid* folder_ground,
                                  const scenario::AsciiGrid* twin_ground) {
    ImportGround r;
    const std::string frames = grid_text(f.ncols, f.nrows, f.xllcorner, f.yllcorner, f.cellsize);
    if (folder_ground) {
        if (same_grid(f, *folder_ground)) {
            r.source = ImportGround::Source::folder;
            return r;
        }
        r.message = "the terrain in the folder (" +
                    grid_text(folder_ground->ncols, folder_ground->nrows, folder_ground->xllcorner,
                              folder_ground->yllcorner, folder_ground->cellsize) +
                    ") is not on the depth rasters' grid (" + frames + ")";
        return r;
    }
    if (twin_ground && same_grid(f, *twin_ground)) {
        r.source = ImportGround::Source::twin;
        return r;
    }
    r.message =
        "no ground for the depth rasters (" + frames +
        "): put the terrain as terrain.asc or dem.asc (ESRI ASCII, metres above sea level, same grid) "
        "into the folder" +
        (twin_ground ? std::string(" (the twin's flood terrain lies on another grid: ") +
                           grid_text(twin_ground->ncols, twin_ground->nrows, twin_ground->xllcorner,
                                     twin_ground->yllcorner, twin_ground->cellsize) +
                           ")"
                     : std::string());
    return r;
}

std::string unique_path(const std::string& folder, const std::string& name) {
    const fs::path dir = folder.empty() ? fs::path(".") : fs::path(folder);
    fs::path p = dir / name;
    std::error_code ec;
    const std::string stem = fs::path(name).stem().string(), ext = fs::path(name).extension().string();
    for (int n = 2; fs::exists(p, ec); ++n)
        p = dir / (stem + "-" + std::to_string(n) + ext);
    return p.string();
}

namespace {
scenario::AsciiGrid empty_grid(const scenario::DepthFrames& f, double fill) {
    scenario::AsciiGrid g;
    g.ncols = f.ncols;
    g.nrows = f.nrows;
    g.xllcorner = f.xllcorner;
    g.yllcorner = f.yllcorner;
    g.cellsize = f.cellsize;
    g.values.assign(size_t(f.ncols) * f.nrows, fill);
    return g;
}
}  // namespace

scenario::AsciiGrid max_depth_of(const scenario::DepthFrames& f) {
    scenario::AsciiGrid g = empty_grid(f, 0.0);
    for (const std::vector<float>& d : f.depth_m)
        for (size_t i = 0; i < d.size() && i < g.values.size(); ++i)
            g.values[i] = std::max(g.values[i], double(d[i]));
    return g;
}

scenario::AsciiGrid arrival_of(const scenario::DepthFrames& f, double wet_m) {
    scenario::AsciiGrid g = empty_grid(f, -1.0);
    g.nodata = -1.0;
    for (size_t k = 0; k < f.depth_m.size(); ++k)
        for (size_t i = 0; i < f.depth_m[k].size() && i < g.values.size(); ++i)
            if (g.values[i] < 0 && f.depth_m[k][i] > wet_m) g.values[i] = f.times_s[k];
    return g;
}

scenario::AsciiGrid frame_grid(const scenario::DepthFrames& f, size_t index) {
    scenario::AsciiGrid g = empty_grid(f, 0.0);
    const std::vector<float>& d = f.depth_m.at(index);
    for (size_t i = 0; i < d.size() && i < g.values.size(); ++i)
        g.values[i] = d[i];
    return g;
}

}  // namespace zw::viewer
