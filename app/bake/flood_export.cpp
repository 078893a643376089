#include "app/bake/flood_export.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "app/bake/bundle.h"
#include "app/bake/layout.h"
#include "app/bake/town.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/scenario/ascii_grid.h"

namespace zw::bake {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

void write_json(const fs::path& path, const json& j) {
    std::ofstream out(path, std::ios::binary);
    out << j.dump(1) << "\n";
    if (!out) fail("cannot write '", path.string(), "'");
}

// The Seebach's HQ100 at the town: synthetic but plausible for a Franconian creek with
// some 40 km^2 of catchment (peak about 28 m^3/s after a 2.5 h rise, 2 m^3/s base flow).
json hq100_hydrograph() {
    return json::array({{0, 2}, {3600, 8}, {9000, 28}, {14400, 12}, {21600, 4}});
}

json scenario(const std::string& id, const char* de, const char* en, const char* desc_de, const char* desc_en,
              const json& inflow_points, const json& measures, bool is_public) {
    return {{"format", "zwilling-flood-scenario"},
            {"public", is_public},
            {"format_version", 1},
            {"id", id},
            {"title_de", de},
            {"title_en", en},
            {"description_de", desc_de},
            {"description_en", desc_en},
            {"terrain", "terrain.asc"},
            {"initial_depth", "initial_depth.asc"},
            {"sites", "sites.json"},
            {"manning", 0.045},
            {"boundaries", {{"east", "free"}}},
            {"duration_s", 21600},
            {"output", {{"interval_s", 300}}},
            {"inflows",
             json::array({{{"name", "Seebach"}, {"at", inflow_points}, {"hydrograph", hq100_hydrograph()}}})},
            {"measures", measures}};
}

}  // namespace

json export_flood_scenarios(const Recipe& recipe, const fs::path& out, const FloodExportOptions& o) {
    if (!(o.cell_m >= 1 && o.cell_m <= 100)) fail("--flood-cell expects metres from 1 to 100");
    const Town town = generate_town(recipe);
    const Terrain& t = town.terrain;
    const Frame frame = make_frame(recipe);
    const double e0 = frame.origin_easting(), n0 = frame.origin_northing(), h0 = frame.origin_height();
    const double half = t.half_extent() - o.cell_m;
    double ylo = 1e300, yhi = -1e300;
    for (double x = -half; x <= half; x += o.cell_m) {
        ylo = std::min(ylo, t.creek_y(x));
        yhi = std::max(yhi, t.creek_y(x));
    }
    ylo = std::max(ylo - o.margin_m, -half);
    yhi = std::min(yhi + o.margin_m, half);
    scenario::AsciiGrid g;
    g.ncols = uint32_t(std::floor(2 * half / o.cell_m));
    g.nrows = uint32_t(std::floor((yhi - ylo) / o.cell_m));
    g.cellsize = o.cell_m;
    const double x0 = -half, y0 = ylo;
    g.xllcorner = e0 + x0;
    g.yllcorner = n0 + y0;
    g.nodata = -9999;
    g.values.resize(size_t(g.ncols) * g.nrows);
    scenario::AsciiGrid water = g;
    auto centre = [&](uint32_t c, uint32_t r) {
        return glm::dvec2{x0 + (c + 0.5) * o.cell_m, y0 + (r + 0.5) * o.cell_m};
    };
    for (uint32_t r = 0; r < g.nrows; ++r)
        for (uint32_t c = 0; c < g.ncols; ++c) {
            const glm::dvec2 p = centre(c, r);
            const double ground = t.height(p.x, p.y);
            g.at(c, r) = h0 + ground;
            // The creek and the ponds at their normal level.
            double level = -1e300;
            if (t.creek_distance(p.x, p.y) <= t.channel_half_width()) level = t.creek_water(p.x);
            for (const Pond& pond : t.ponds())
                if (pond.signed_distance(p) < 0) level = std::max(level, pond.water_level);
            water.at(c, r) = std::max(0.0, level - ground);
        }
    // Buildings are obstacles: their cells rise to the eaves.
    json sites = json::array();
    size_t burned = 0;
    for (const Building& b : town.buildings) {
        bool inside = false;
        for (const BuildingPart& part : b.parts) {
            const Obb box = part_box(part);
            const glm::dvec2 r = glm::dvec2(glm::length(box.half));
            const auto c0 = int64_t(std::floor((box.c.x - r.x - x0) / o.cell_m));
            const auto c1 = int64_t(std::floor((box.c.x + r.x - x0) / o.cell_m));
            const auto r0 = int64_t(std::floor((box.c.y - r.y - y0) / o.cell_m));
            const auto r1 = int64_t(std::floor((box.c.y + r.y - y0) / o.cell_m));
            for (int64_t rr = std::max<int64_t>(r0, 0); rr <= std::min<int64_t>(r1, g.nrows - 1); ++rr)
                for (int64_t cc = std::max<int64_t>(c0, 0); cc <= std::min<int64_t>(c1, g.ncols - 1); ++cc) {
                    const glm::dvec2 p = centre(uint32_t(cc), uint32_t(rr)) - box.c;
                    if (std::abs(glm::dot(p, box.axis_u())) > box.half.x ||
                        std::abs(glm::dot(p, box.axis_v())) > box.half.y)
                        continue;
                    double& z = g.at(uint32_t(cc), uint32_t(rr));
                    z = std::max(z, h0 + part.base + part.eave);
                    water.at(uint32_t(cc), uint32_t(rr)) = 0;
                    inside = true;
                    ++burned;
                }
        }
        const glm::dvec2 c = b.parts[0].centre;
        if (c.x < x0 || c.x > x0 + g.ncols * o.cell_m || c.y < y0 || c.y > y0 + g.nrows * o.cell_m) continue;
        (void)inside;
        json footprint = json::array();
        for (const glm::dvec2& p : part_box(b.parts[0]).corners())
            footprint.push_back({std::round((e0 + p.x) * 100) / 100, std::round((n0 + p.y) * 100) / 100});
        const bool critical = !b.critical_infrastructure.empty() && b.critical_infrastructure != "keine";
        sites.push_back({{"id", b.id},
                         {"name", b.street.empty() ? b.use : b.street + " " + b.house_number},
                         {"kind", b.use},
                         {"residents", b.residents},
                         {"critical", critical},
                         {"footprint", footprint}});
    }
    // The Seebach enters across its channel at the western edge.
    json inflow = json::array();
    const double xin = x0 + 0.5 * o.cell_m;
    for (uint32_t r = 0; r < g.nrows; ++r) {
        const double y = y0 + (r + 0.5) * o.cell_m;
        if (std::abs(y - t.creek_y(xin)) <= std::max(t.channel_half_width(), 0.5 * o.cell_m))
            inflow.push_back({e0 + xin, n0 + y});
    }
    if (inflow.empty()) fail("the creek does not cross the western edge of the flood raster");
    // A flood retention basin on the floodplain upstream of the town: the valley floor
    // lowered by 2.5 m over 800 m along the creek and 100 m to either side, about
    // 400,000 m^3 (the HQ100's volume above base flow is some 240,000 m^3). Walls along
    // the banks were tried first: they back the water up into the old core and made it
    // worse (docs/flood-scenario.md).
    json measures = json::array();
    {
        json polygon = json::array();
        const double xa = -1800, xb = -1000, half_width = 100;
        for (double x = xa; x <= xb + 1e-9; x += 50)
            polygon.push_back(
                {std::round((e0 + x) * 100) / 100, std::round((n0 + t.creek_y(x) + half_width) * 100) / 100});
        for (double x = xb; x >= xa - 1e-9; x -= 50)
            polygon.push_back(
                {std::round((e0 + x) * 100) / 100, std::round((n0 + t.creek_y(x) - half_width) * 100) / 100});
        measures.push_back({{"kind", "retention_basin"},
                            {"name", "Rückhaltebecken oberhalb des Orts"},
                            {"polygon", polygon},
                            {"depth_m", 2.5}});
    }
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) fail("cannot create '", out.string(), "': ", ec.message());
    scenario::write_ascii_grid((out / "terrain.asc").string(), g, 3);
    scenario::write_ascii_grid((out / "initial_depth.asc").string(), water, 3);
    write_json(out / "sites.json", sites);
    const char* desc_de =
        "Synthetisches HQ100 des Seebachs (Scheitel 28 m³/s nach 2,5 h) im synthetischen Beispielort; keine "
        "amtliche Hochwasserkarte.";
    const char* desc_en =
        "Synthetic HQ100 of the Seebach (peak 28 m³/s after 2.5 h) in the synthetic sample town; not an "
        "official "
        "flood map.";
    write_json(out / "hq100-baseline.json",
               scenario("hq100-baseline", "HQ100 ohne Maßnahmen", "HQ100 without measures", desc_de, desc_en,
                        inflow, json::array(), true));
    write_json(out / "hq100-measures.json",
               scenario("hq100-measures", "HQ100 mit Rückhaltebecken oberhalb des Orts",
                        "HQ100 with a retention basin upstream of the town", desc_de, desc_en, inflow,
                        measures, false));
    core::info("flood export: ", g.ncols, " x ", g.nrows, " cells of ", o.cell_m, " m, ", burned,
               " building cells, ", sites.size(), " sites, into ", out.string());
    return {{"ncols", g.ncols},
            {"nrows", g.nrows},
            {"cell_m", o.cell_m},
            {"sites", sites.size()},
            {"building_cells", burned}};
}

}  // namespace zw::bake
