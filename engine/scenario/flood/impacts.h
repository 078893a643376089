// What a flood does to a town: which buildings get how much water, and when. Pure code
// over depth rasters (engine/scenario/ascii_grid.h) and the sites a twin holds.
//
// Buildings are burned into the flood raster as obstacles, so the water stands against
// their walls, not inside them: a site's depth is the largest depth in the cells whose
// centres lie within one cell of its footprint (inside included), or, for a site given
// as a point, in the 3 x 3 cells around it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/numbers.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/scenario.h"

namespace zw::scenario {

struct Site {
    std::string id, name;          // name: e.g. the address, or "Feuerwehr"
    std::vector<Point> footprint;  // a polygon; or one point
    uint32_t residents = 0;
    bool critical = false;  // critical infrastructure (where the twin holds that)
    std::string kind;       // e.g. the building use
    // Whether the sites file gave residents / critical at all: a twin that may not show
    // them (the citizens' twin) leaves the fields out, and so do the impacts.
    bool residents_known = false, critical_known = false;
};

struct SiteImpact {
    size_t site = 0;          // index into the sites given
    double max_depth_m = 0;   // the largest depth next to it over the run
    double first_wet_s = -1;  // when water first reached `wet_m` next to it; -1: never
};

struct Impacts {
    double wet_m = 0.10, deep_m = 0.50;  // the thresholds used
    size_t flooded = 0;                  // sites with max depth > wet_m (10 cm)
    size_t flooded_deep = 0;             // sites with max depth > deep_m (50 cm)
    uint64_t residents_affected = 0;     // living in sites over wet_m
    std::vector<SiteImpact> sites;       // every site with max depth > 0, deepest first
    std::vector<SiteImpact> critical;    // critical sites with max depth > 0, earliest wet first
};

// `max_depth` and `arrival` (time a cell first had wet_m of water, NODATA or < 0: never)
// must have the same grid. Sites outside the grid are left out.
Impacts compute_impacts(const AsciiGrid& max_depth, const AsciiGrid& arrival, const std::vector<Site>& sites,
                        double wet_m = 0.10, double deep_m = 0.50);

// Sites over `wet_m` in one depth raster (for flooded buildings over time).
size_t count_flooded(const AsciiGrid& depth, const std::vector<Site>& sites, double wet_m = 0.10);

// Reads sites from JSON: [{id, name, footprint: [[x, y], ...] | at: [x, y], residents,
// critical, kind}]. Throws zw::Error naming the entry and field.
std::vector<Site> parse_sites(std::string_view text, const std::string& name);
std::vector<Site> read_sites(const std::string& path);

// The impacts as CSV (UTF-8, a header line; docs/flood-scenario.md, "impacts.csv"): one
// row per site with max depth > 0: id, name, kind, residents, critical, max_depth_m,
// first_wet_s. The residents and critical columns are left out when no site knows them.
// English (the default, what the bake stores): comma-separated, '.' decimals, yes/no.
// German (`csv.style` de, the viewer's German exports): a UTF-8 BOM, ';', ',' decimals,
// German headers (ID;Name;Art;Einwohner;kritisch;max. Tiefe (m);nass ab (s)), ja/nein.
std::string impacts_csv(const Impacts& impacts, const std::vector<Site>& sites,
                        const core::CsvDialect& csv = {});

// The impacts for a summary.json: {sites, over_10cm, over_50cm, residents_affected,
// critical: [{id, name, max_depth_m (mm), first_wet_s (null: never)}], file: impacts.csv};
// residents_affected and critical only where some site knows them (as impacts_csv).
nlohmann::json impacts_json(const Impacts& impacts, const std::vector<Site>& sites);

// Whether any site knows its residents / whether it is critical (the citizens' twin
// leaves both out: then no residents row and no critical sites are shown).
bool residents_known(const std::vector<Site>& sites);
bool critical_known(const std::vector<Site>& sites);

// One line of the impacts summary: a count (buildings over 10 cm, over 50 cm, affected
// residents) for side A and, when compared, side B.
struct SummaryRow {
    enum class What { over_10cm, over_50cm, residents } what = What::over_10cm;
    uint64_t a = 0;
    std::optional<uint64_t> b;  // with a comparison
};

// The summary rows for A (and B): 10 cm and 50 cm always, residents only when A's sites
// (and B's, when given) know residents.
std::vector<SummaryRow> summary_rows(const Impacts& a, const std::vector<Site>& a_sites,
                                     const Impacts* b = nullptr, const std::vector<Site>* b_sites = nullptr);

}  // namespace zw::scenario
