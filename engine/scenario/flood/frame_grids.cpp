#include "engine/scenario/flood/frame_grids.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace zw::scenario {

namespace fs = std::filesystem;

namespace {

bool same_grid_values(uint32_t nc, uint32_t nr, double x, double y, double cs, const AsciiGrid& g) {
    const double eps = 1e-3 * std::max(cs, 1e-9);
    return nc == g.ncols && nr == g.nrows && std::abs(cs - g.cellsize) <= eps &&
           std::abs(x - g.xllcorner) <= eps && std::abs(y - g.yllcorner) <= eps;
}

std::string grid_text(uint32_t nc, uint32_t nr, double x, double y, double cs) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%u x %u cells of %g m at %.2f, %.2f", nc, nr, cs, x, y);
    return buf;
}

AsciiGrid empty_grid(const DepthFrames& f, double fill) {
    AsciiGrid g;
    g.ncols = f.ncols;
    g.nrows = f.nrows;
    g.xllcorner = f.xllcorner;
    g.yllcorner = f.yllcorner;
    g.cellsize = f.cellsize;
    g.values.assign(size_t(f.ncols) * f.nrows, fill);
    return g;
}

}  // namespace

bool same_grid(const AsciiGrid& a, const AsciiGrid& b) {
    return same_grid_values(a.ncols, a.nrows, a.xllcorner, a.yllcorner, a.cellsize, b);
}

bool same_grid(const DepthFrames& f, const AsciiGrid& g) {
    return same_grid_values(f.ncols, f.nrows, f.xllcorner, f.yllcorner, f.cellsize, g);
}

AsciiGrid max_depth_of(const DepthFrames& f) {
    AsciiGrid g = empty_grid(f, 0.0);
    for (const std::vector<float>& d : f.depth_m)
        for (size_t i = 0; i < d.size() && i < g.values.size(); ++i)
            g.values[i] = std::max(g.values[i], double(d[i]));
    return g;
}

AsciiGrid arrival_of(const DepthFrames& f, double wet_m) {
    AsciiGrid g = empty_grid(f, -1.0);
    g.nodata = -1.0;
    for (size_t k = 0; k < f.depth_m.size(); ++k)
        for (size_t i = 0; i < f.depth_m[k].size() && i < g.values.size(); ++i)
            if (g.values[i] < 0 && f.depth_m[k][i] > wet_m) g.values[i] = f.times_s[k];
    return g;
}

AsciiGrid frame_grid(const DepthFrames& f, size_t index) {
    AsciiGrid g = empty_grid(f, 0.0);
    const std::vector<float>& d = f.depth_m.at(index);
    for (size_t i = 0; i < d.size() && i < g.values.size(); ++i)
        g.values[i] = d[i];
    return g;
}

AsciiGrid depth_grid(const AsciiGrid& ground, const std::vector<float>& depth) {
    AsciiGrid g = ground;
    g.nodata = -9999;
    for (size_t i = 0; i < g.values.size() && i < depth.size(); ++i)
        g.values[i] = ground.is_nodata(ground.values[i]) ? -9999.0 : double(depth[i]);
    return g;
}

std::string import_ground_file(const std::string& folder) {
    std::error_code ec;
    for (const char* name : {"terrain.asc", "dem.asc"})
        if (fs::is_regular_file(fs::path(folder) / name, ec)) return (fs::path(folder) / name).string();
    return {};
}

ImportGround choose_import_ground(const DepthFrames& f, const AsciiGrid* folder_ground,
                                  const AsciiGrid* twin_ground) {
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

}  // namespace zw::scenario
