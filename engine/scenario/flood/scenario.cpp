#include "engine/scenario/flood/scenario.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/json_fields.h"
#include "engine/scenario/geometry.h"

namespace zw::scenario {
namespace {

using nlohmann::json;
using Fields = core::JsonFields;

std::string resolve(const std::string& scenario_path, const std::string& file) {
    const std::filesystem::path p(file);
    if (p.is_absolute()) return p.lexically_normal().string();
    return (std::filesystem::path(scenario_path).parent_path() / p).lexically_normal().string();
}

Point point(const Fields& f, const json& j, const std::string& name) {
    if (!j.is_array() || j.size() != 2 || !j[0].is_number() || !j[1].is_number())
        f.error(name, "must be a point [x, y] in metres");
    const Point p{j[0].get<double>(), j[1].get<double>()};
    if (!std::isfinite(p[0]) || !std::isfinite(p[1]) || std::abs(p[0]) > max_coordinate_m ||
        std::abs(p[1]) > max_coordinate_m)
        f.error(name, "must be finite metres within " + core::number_text(max_coordinate_m) +
                          " of the grid system's origin");
    return p;
}

std::vector<Point> points(const Fields& f, const char* key, size_t at_least) {
    const json& a = f.array(key);
    if (a.size() < at_least)
        f.error(f.name(key), "needs at least " + std::to_string(at_least) + " points [x, y]");
    std::vector<Point> out;
    for (size_t i = 0; i < a.size(); ++i)
        out.push_back(point(f, a[i], f.name(key) + "[" + std::to_string(i) + "]"));
    return out;
}

// [[t, value], ...] with t growing from >= 0 and values in [0, max].
Series series(const Fields& f, const char* key, const char* unit, double max) {
    const json& a = f.array(key);
    Series s;
    for (size_t i = 0; i < a.size(); ++i) {
        const std::string n = f.name(key) + "[" + std::to_string(i) + "]";
        if (!a[i].is_array() || a[i].size() != 2 || !a[i][0].is_number() || !a[i][1].is_number())
            f.error(n, std::string("must be [time_s, ") + unit + "]");
        const double t = a[i][0].get<double>(), v = a[i][1].get<double>();
        if (!std::isfinite(t) || t < 0 || t > max_series_time_s)
            f.error(n, "time must be a number of seconds from 0 to " + core::number_text(max_series_time_s));
        if (!s.points.empty() && t <= s.points.back()[0])
            f.error(n, "time must grow from one point to the next");
        if (!std::isfinite(v) || v < 0 || v > max)
            f.error(n, std::string("must be from 0 to ") + core::number_text(max) + " " + unit + ", not " +
                           core::number_text(v));
        s.points.push_back({t, v});
    }
    return s;
}

double positive(const Fields& f, const char* key, double fallback, double max) {
    const double v = f.number(key, fallback);
    if (!(v > 0) || v > max)
        f.error(f.name(key),
                "must be above 0 and at most " + core::number_text(max) + ", not " + core::number_text(v));
    return v;
}

// A path to a grid or a sites file: printable text, resolved against the scenario's folder.
std::string path_field(const Fields& f, const char* key, const std::string& scenario_path, bool required) {
    const std::string v = f.printable(key, "", 4096);
    if (v.empty()) {
        if (required) f.error(f.name(key), "is missing or empty");
        return v;
    }
    return resolve(scenario_path, v);
}

Point centre(const AsciiGrid& g, uint32_t col, uint32_t row) {
    return {g.xllcorner + (col + 0.5) * g.cellsize, g.yllcorner + (row + 0.5) * g.cellsize};
}

}  // namespace

FloodScenario parse_flood_scenario(std::string_view text, const std::string& path) {
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail("flood scenario '", path, "' nests deeper than ", core::max_json_depth, " levels; refused");
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded())
        fail("cannot read flood scenario '", path, "': it is not valid JSON (is the file complete?)");
    if (!j.is_object()) fail("cannot read flood scenario '", path, "': expected a JSON object at the top");
    const Fields top(j, "", "flood scenario '" + path + "'");
    if (top.text("format") != "zwilling-flood-scenario")
        top.error("format", "must be \"zwilling-flood-scenario\" (is this a flood scenario file?)");
    // A misspelt key would silently run the default ("secondorder", "durration_s"): refuse
    // every key this version does not read, and name the nearest one.
    top.only_keys({"format", "format_version", "id", "title_de", "title_en", "description_de",
                   "description_en", "terrain", "initial_depth", "sites", "manning", "boundaries",
                   "duration_s", "output", "inflows", "rain", "measures", "solver", "public"});
    if (top.number("format_version", 1) != 1) top.error("format_version", "must be 1");
    FloodScenario s;
    s.path = path;
    s.id = top.printable("id", "", 128);
    if (s.id.empty()) top.error("id", "is missing or empty");
    s.title_de = top.printable("title_de", s.id);
    s.title_en = top.printable("title_en", s.title_de);
    s.description_de = top.printable("description_de", "", 4096, true);
    s.description_en = top.printable("description_en", s.description_de, 4096, true);
    s.is_public = top.flag("public", false);
    s.terrain = path_field(top, "terrain", path, true);
    s.initial_depth = path_field(top, "initial_depth", path, false);
    s.sites = path_field(top, "sites", path, false);
    if (const json* n = top.find("manning")) {
        if (n->is_string()) {
            s.manning_grid = path_field(top, "manning", path, true);
        } else {
            // 0 is allowed: a frictionless run (the analytic cases; Manning's n per cell via a grid).
            s.manning = top.number("manning", 0.035);
            if (!(s.manning >= 0) || s.manning > max_manning)
                top.error(top.name("manning"),
                          "must be from 0 (no friction) to 1 s/m^(1/3), not " + core::number_text(s.manning));
        }
    }
    const Fields b = top.child(top.object("boundaries"), "boundaries");
    b.only_keys({"north", "east", "south", "west"});
    const char* sides[4] = {"north", "east", "south", "west"};
    for (int k = 0; k < 4; ++k) {
        const std::string v = b.text(sides[k], "closed");
        if (v == "closed")
            s.boundaries[size_t(k)] = Boundary::closed;
        else if (v == "free")
            s.boundaries[size_t(k)] = Boundary::free_outflow;
        else
            b.error(b.name(sides[k]), "is '" + v + "'; expected closed or free");
    }
    s.duration_s = positive(top, "duration_s", 0, max_duration_s);
    const Fields out = top.child(top.object("output"), "output");
    out.only_keys({"interval_s", "times_s"});
    const json* times = out.find("times_s");
    if (times && out.find("interval_s"))
        out.error("output", "has both interval_s and times_s; give one of them");
    if (times) {
        if (!times->is_array()) out.error("output.times_s", "must be an array of seconds");
        if (times->size() > max_outputs)
            out.error("output.times_s", "holds more than " + std::to_string(max_outputs) + " times");
        for (size_t i = 0; i < times->size(); ++i) {
            const json& t = (*times)[i];
            const std::string n = "output.times_s[" + std::to_string(i) + "]";
            if (!t.is_number() || !(t.get<double>() > 0) || t.get<double>() > s.duration_s)
                out.error(n, "must be a time in (0, duration_s]");
            if (!s.output_times_s.empty() && t.get<double>() <= s.output_times_s.back())
                out.error(n, "times must grow");
            s.output_times_s.push_back(t.get<double>());
        }
    } else {
        const double every = positive(out, "interval_s", s.duration_s, s.duration_s);
        // Counted as a double first: a tiny interval must not overflow the conversion.
        const double count = std::floor(s.duration_s / every + 1e-9);
        if (!(count <= double(max_outputs)))
            out.error("output.interval_s", "gives more than " + std::to_string(max_outputs) +
                                               " outputs; choose a longer interval");
        const auto n = size_t(count);
        for (size_t i = 1; i <= n; ++i)
            s.output_times_s.push_back(double(i) * every);
        if (s.output_times_s.empty() || s.output_times_s.back() < s.duration_s - 1e-9)
            s.output_times_s.push_back(s.duration_s);
    }
    const json& inflows = top.array("inflows");
    for (size_t i = 0; i < inflows.size(); ++i) {
        const Fields f = top.element(inflows[i], "inflows", i);
        f.only_keys({"name", "at", "hydrograph"});
        Inflow in;
        in.name = f.printable("name", "inflow " + std::to_string(i + 1));
        in.at = points(f, "at", 1);
        in.discharge = series(f, "hydrograph", "m3/s", max_inflow_m3_s);
        if (in.discharge.points.empty())
            f.error(f.name("hydrograph"), "needs at least one point [time_s, m3/s]");
        s.inflows.push_back(std::move(in));
    }
    s.rain_mm_per_h = series(top, "rain", "mm/h", max_rain_mm_per_h);
    const json& measures = top.array("measures");
    for (size_t i = 0; i < measures.size(); ++i) {
        const Fields f = top.element(measures[i], "measures", i);
        Measure m;
        const std::string kind = f.required_text("kind");
        m.name = f.printable("name", kind);
        if (kind == "mobile_wall") {
            f.only_keys({"kind", "name", "line", "height_m"});
            m.kind = Measure::Kind::mobile_wall;
            m.points = points(f, "line", 2);
            m.height_m = positive(f, "height_m", 0, 20);
        } else if (kind == "dike_raise") {
            f.only_keys({"kind", "name", "line", "height_m", "width_m"});
            m.kind = Measure::Kind::dike_raise;
            m.points = points(f, "line", 2);
            m.height_m = positive(f, "height_m", 0, 20);
            m.width_m = positive(f, "width_m", 0, 200);
        } else if (kind == "retention_basin") {
            f.only_keys({"kind", "name", "polygon", "depth_m"});
            m.kind = Measure::Kind::retention_basin;
            m.points = points(f, "polygon", 3);
            m.depth_m = positive(f, "depth_m", 0, 50);
        } else {
            f.error(f.name("kind"), "is '" + kind + "'; expected mobile_wall, dike_raise or retention_basin");
        }
        s.measures.push_back(std::move(m));
    }
    const Fields solver = top.child(top.object("solver"), "solver");
    solver.only_keys({"courant", "second_order"});
    // At most flood::max_courant = 0.5: above it the 2D scheme is unstable (solver.h says why).
    s.courant = solver.number("courant", 0.5);
    if (!(s.courant > 0) || s.courant > 0.5)
        solver.error(solver.name("courant"), "must be above 0 and at most 0.5, not " +
                                                 core::number_text(s.courant) +
                                                 " (the 2D scheme is unstable above 0.5; smaller is slower)");
    s.second_order = solver.flag("second_order", false);
    return s;
}

FloodScenario read_flood_scenario(const std::string& path) {
    return parse_flood_scenario(read_input_file(path, "the flood scenario"), path);
}

void check_flood_grids(const FloodScenario& sc, const AsciiGrid& terrain, const AsciiGrid* manning,
                       const AsciiGrid* initial_depth) {
    if (!(terrain.cellsize >= min_flood_cell_m && terrain.cellsize <= max_flood_cell_m))
        fail("the terrain '", sc.terrain, "' has cells of ", terrain.cellsize, " m; a flood raster needs ",
             min_flood_cell_m, " to ", max_flood_cell_m, " m (resample it, e.g. gdalwarp -tr)");
    // Every value: finite (the reader sees to that) and within what can be meant.
    auto check = [](const AsciiGrid& g, const std::string& what, double lo, double hi, const char* rule) {
        for (uint32_t r = g.nrows; r-- > 0;)
            for (uint32_t c = 0; c < g.ncols; ++c) {
                const double v = g.at(c, r);
                if (g.is_nodata(v) || (v >= lo && v <= hi)) continue;
                fail(what, ": the value ", v, " at row ", g.nrows - r, " (from the top), column ", c + 1,
                     " is out of range: ", rule);
            }
    };
    check(terrain, "the terrain '" + sc.terrain + "'", -max_ground_m, max_ground_m,
          "ground heights must lie within 100 km of the datum (metres; NODATA_value marks cells outside)");
    if (manning)
        check(*manning, "the Manning grid '" + sc.manning_grid + "'", 0, max_manning,
              "Manning's n must be from 0 to 1 s/m^(1/3) (NODATA_value takes the scenario's manning)");
    if (initial_depth)
        check(*initial_depth, "the initial depth grid '" + sc.initial_depth + "'", 0, max_initial_depth_m,
              "water depths must be from 0 to 1000 m (NODATA_value for dry cells)");
}

std::optional<std::array<uint32_t, 2>> cell_of(const AsciiGrid& g, Point p) {
    const double c = std::floor((p[0] - g.xllcorner) / g.cellsize);
    const double r = std::floor((p[1] - g.yllcorner) / g.cellsize);
    if (!(c >= 0 && r >= 0 && c < g.ncols && r < g.nrows)) return std::nullopt;
    return std::array<uint32_t, 2>{uint32_t(c), uint32_t(r)};
}

std::vector<size_t> apply_measures(AsciiGrid& g, const std::vector<Measure>& measures) {
    std::vector<size_t> changed;
    for (size_t mi = 0; mi < measures.size(); ++mi) {
        const Measure& m = measures[mi];
        // Cells to edit: within `reach` of the polyline (wall: half a cell's diagonal, so
        // the line is closed for water moving along the grid's axes), or inside the polygon.
        const double reach = m.kind == Measure::Kind::mobile_wall ? g.cellsize * 0.7072 : m.width_m / 2;
        double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
        for (const Point& p : m.points)
            for (int k = 0; k < 2; ++k) {
                lo[k] = std::min(lo[k], p[size_t(k)]);
                hi[k] = std::max(hi[k], p[size_t(k)]);
            }
        const double pad = m.kind == Measure::Kind::retention_basin ? 0 : reach;
        const auto c0 =
            uint32_t(std::clamp(std::floor((lo[0] - pad - g.xllcorner) / g.cellsize), 0.0, double(g.ncols)));
        const auto c1 =
            uint32_t(std::clamp(std::ceil((hi[0] + pad - g.xllcorner) / g.cellsize), 0.0, double(g.ncols)));
        const auto r0 =
            uint32_t(std::clamp(std::floor((lo[1] - pad - g.yllcorner) / g.cellsize), 0.0, double(g.nrows)));
        const auto r1 =
            uint32_t(std::clamp(std::ceil((hi[1] + pad - g.yllcorner) / g.cellsize), 0.0, double(g.nrows)));
        size_t n = 0;
        for (uint32_t r = r0; r < r1; ++r)
            for (uint32_t c = c0; c < c1; ++c) {
                const Point p = centre(g, c, r);
                bool in = false;
                if (m.kind == Measure::Kind::retention_basin) {
                    in = inside_polygon(p, m.points);
                } else {
                    for (size_t k = 1; k < m.points.size() && !in; ++k)
                        in = distance_to_segment(p, m.points[k - 1], m.points[k]) <= reach;
                }
                double& z = g.at(c, r);
                if (!in || g.is_nodata(z)) continue;
                z += m.kind == Measure::Kind::retention_basin ? -m.depth_m : m.height_m;
                ++n;
            }
        if (n == 0)
            fail("measure ", mi, " ('", m.name,
                 "') changes no cell of the terrain: it lies outside the grid "
                 "(coordinates are metres in the terrain grid's system)");
        changed.push_back(n);
    }
    return changed;
}

}  // namespace zw::scenario
