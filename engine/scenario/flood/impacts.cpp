#include "engine/scenario/flood/impacts.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/json_fields.h"
#include "engine/scenario/geometry.h"

namespace zw::scenario {
namespace {

using nlohmann::json;

// Calls f(cell index) for the cells next to a site (see the header).
template <typename F>
void cells_near(const AsciiGrid& g, const Site& s, F&& f) {
    if (s.footprint.empty()) return;
    double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
    for (const Point& p : s.footprint)
        for (int k = 0; k < 2; ++k) {
            lo[k] = std::min(lo[k], p[size_t(k)]);
            hi[k] = std::max(hi[k], p[size_t(k)]);
        }
    const double reach = g.cellsize * 1.0001;
    const double c0 = std::floor((lo[0] - reach - g.xllcorner) / g.cellsize);
    const double c1 = std::floor((hi[0] + reach - g.xllcorner) / g.cellsize);
    const double r0 = std::floor((lo[1] - reach - g.yllcorner) / g.cellsize);
    const double r1 = std::floor((hi[1] + reach - g.yllcorner) / g.cellsize);
    for (double r = std::max(r0, 0.0); r <= std::min(r1, double(g.nrows) - 1); ++r)
        for (double c = std::max(c0, 0.0); c <= std::min(c1, double(g.ncols) - 1); ++c) {
            const Point centre{g.xllcorner + (c + 0.5) * g.cellsize, g.yllcorner + (r + 0.5) * g.cellsize};
            bool near = s.footprint.size() == 1;  // a point: the 3 x 3 cells around it
            if (!near && inside_polygon(centre, s.footprint)) near = true;
            for (size_t i = 0; i < s.footprint.size() && !near && s.footprint.size() > 1; ++i)
                near = distance_to_segment(centre, s.footprint[i],
                                           s.footprint[(i + 1) % s.footprint.size()]) <= reach;
            if (near) f(size_t(r) * g.ncols + size_t(c));
        }
}

}  // namespace

Impacts compute_impacts(const AsciiGrid& max_depth, const AsciiGrid& arrival, const std::vector<Site>& sites,
                        double wet_m, double deep_m) {
    if (arrival.ncols != max_depth.ncols || arrival.nrows != max_depth.nrows)
        fail("the arrival-time raster (", arrival.ncols, " x ", arrival.nrows,
             ") does not match the max-depth raster (", max_depth.ncols, " x ", max_depth.nrows, ")");
    Impacts out;
    out.wet_m = wet_m;
    out.deep_m = deep_m;
    for (size_t i = 0; i < sites.size(); ++i) {
        SiteImpact si;
        si.site = i;
        cells_near(max_depth, sites[i], [&](size_t c) {
            const double h = max_depth.values[c];
            if (max_depth.is_nodata(h)) return;
            si.max_depth_m = std::max(si.max_depth_m, h);
            const double t = arrival.values[c];
            if (!arrival.is_nodata(t) && t >= 0 && (si.first_wet_s < 0 || t < si.first_wet_s))
                si.first_wet_s = t;
        });
        if (!(si.max_depth_m > 0)) continue;
        if (si.max_depth_m > wet_m) {
            ++out.flooded;
            out.residents_affected += sites[i].residents;
        }
        if (si.max_depth_m > deep_m) ++out.flooded_deep;
        out.sites.push_back(si);
        if (sites[i].critical) out.critical.push_back(si);
    }
    std::stable_sort(out.sites.begin(), out.sites.end(),
                     [](const SiteImpact& a, const SiteImpact& b) { return a.max_depth_m > b.max_depth_m; });
    std::stable_sort(out.critical.begin(), out.critical.end(), [](const SiteImpact& a, const SiteImpact& b) {
        const double ta = a.first_wet_s < 0 ? 1e300 : a.first_wet_s,
                     tb = b.first_wet_s < 0 ? 1e300 : b.first_wet_s;
        return ta < tb;
    });
    return out;
}

size_t count_flooded(const AsciiGrid& depth, const std::vector<Site>& sites, double wet_m) {
    size_t n = 0;
    for (const Site& s : sites) {
        bool wet = false;
        cells_near(depth, s, [&](size_t c) {
            wet = wet || (!depth.is_nodata(depth.values[c]) && depth.values[c] > wet_m);
        });
        n += wet;
    }
    return n;
}

std::vector<Site> parse_sites(std::string_view text, const std::string& name) {
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail("sites '", name, "' nest too deep; refused");
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) fail("cannot read sites '", name, "': it is not valid JSON");
    if (!j.is_array()) fail("cannot read sites '", name, "': expected a JSON array of sites");
    std::vector<Site> out;
    const json wrapper = {{"sites", j}};
    const core::JsonFields top(wrapper, "", "sites '" + name + "'");
    for (size_t i = 0; i < j.size(); ++i) {
        const core::JsonFields f = top.element(j[i], "sites", i);
        Site s;
        s.id = f.required_text("id");
        s.name = f.text("name", s.id);
        s.kind = f.text("kind");
        s.critical = f.flag("critical", false);
        s.critical_known = f.find("critical") != nullptr;
        s.residents_known = f.find("residents") != nullptr;
        const double r = f.number("residents", 0);
        if (!(r >= 0) || r != std::floor(r) || r > 1e6)
            f.error(f.name("residents"), "must be a whole number >= 0");
        s.residents = uint32_t(r);
        auto point = [&](const json& p, const std::string& field) {
            if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
                f.error(field, "must be a point [x, y]");
            return Point{p[0].get<double>(), p[1].get<double>()};
        };
        if (const json* fp = f.find("footprint")) {
            if (!fp->is_array() || fp->size() < 3)
                f.error(f.name("footprint"), "must be a polygon of 3 or more points");
            for (size_t k = 0; k < fp->size(); ++k)
                s.footprint.push_back(point((*fp)[k], f.name("footprint") + "[" + std::to_string(k) + "]"));
        } else if (const json* at = f.find("at")) {
            s.footprint.push_back(point(*at, f.name("at")));
        } else {
            f.error(f.name("footprint"), "or 'at' is needed");
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<Site> read_sites(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read the sites '", path, "': ", std::strerror(errno));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_sites(text, path);
}

nlohmann::json impacts_json(const Impacts& im, const std::vector<Site>& sites) {
    json out = {{"sites", sites.size()},
                {"over_10cm", im.flooded},
                {"over_50cm", im.flooded_deep},
                {"file", "impacts.csv"}};
    if (std::any_of(sites.begin(), sites.end(), [](const Site& s) { return s.residents_known; }))
        out["residents_affected"] = im.residents_affected;
    if (std::any_of(sites.begin(), sites.end(), [](const Site& s) { return s.critical_known; })) {
        json critical = json::array();
        for (const SiteImpact& c : im.critical)
            critical.push_back({{"id", sites[c.site].id},
                                {"name", sites[c.site].name},
                                {"max_depth_m", std::round(c.max_depth_m * 1000) / 1000},
                                {"first_wet_s", c.first_wet_s < 0 ? json() : json(c.first_wet_s)}});
        out["critical"] = critical;
    }
    return out;
}

std::string impacts_csv(const Impacts& impacts, const std::vector<Site>& sites, const core::CsvDialect& csv) {
    const bool de = csv.style == core::NumberStyle::de;
    const std::string sep(1, csv.separator());
    const bool residents =
        std::any_of(sites.begin(), sites.end(), [](const Site& s) { return s.residents_known; });
    const bool critical =
        std::any_of(sites.begin(), sites.end(), [](const Site& s) { return s.critical_known; });
    // The German headers name the unit in brackets, as German spreadsheets do.
    std::string out(csv.preamble());
    out += de ? "ID;Name;Art;" : "id,name,kind,";
    if (residents) out += (de ? "Einwohner" : "residents") + sep;
    if (critical) out += (de ? "kritisch" : "critical") + sep;
    out += de ? "max. Tiefe (m);nass ab (s)\n" : "max_depth_m,first_wet_s\n";
    for (const SiteImpact& si : impacts.sites) {
        const Site& s = sites[si.site];
        out += core::csv_field(s.id, csv) + sep + core::csv_field(s.name, csv) + sep +
               core::csv_field(s.kind, csv) + sep;
        if (residents) out += std::to_string(s.residents) + sep;
        if (critical) out += (s.critical ? (de ? "ja" : "yes") : (de ? "nein" : "no")) + sep;
        out += core::csv_number(si.max_depth_m, 3, csv) + sep;
        if (si.first_wet_s >= 0) out += core::csv_number(si.first_wet_s, 0, csv);
        out += "\n";
    }
    return out;
}

bool residents_known(const std::vector<Site>& sites) {
    return std::any_of(sites.begin(), sites.end(), [](const Site& s) { return s.residents_known; });
}

bool critical_known(const std::vector<Site>& sites) {
    return std::any_of(sites.begin(), sites.end(), [](const Site& s) { return s.critical_known; });
}

std::vector<SummaryRow> summary_rows(const Impacts& a, const std::vector<Site>& a_sites, const Impacts* b,
                                     const std::vector<Site>* b_sites) {
    auto opt = [&](uint64_t v) { return b ? std::optional<uint64_t>(v) : std::nullopt; };
    std::vector<SummaryRow> rows;
    rows.push_back({SummaryRow::What::over_10cm, a.flooded, opt(b ? b->flooded : 0)});
    rows.push_back({SummaryRow::What::over_50cm, a.flooded_deep, opt(b ? b->flooded_deep : 0)});
    if (residents_known(a_sites) && (!b || (b_sites && residents_known(*b_sites))))
        rows.push_back(
            {SummaryRow::What::residents, a.residents_affected, opt(b ? b->residents_affected : 0)});
    return rows;
}

}  // namespace zw::scenario
