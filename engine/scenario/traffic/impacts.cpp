#include "engine/scenario/traffic/impacts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "engine/core/error.h"

namespace zw::scenario::traffic {
namespace {

using nlohmann::json;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double number_or(const json& j, const char* key, double fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

DistrictFigures figures_of(const json& j) {
    DistrictFigures f;
    f.trips = uint64_t(std::max(0.0, number_or(j, "trips", 0)));
    f.arrived = uint64_t(std::max(0.0, number_or(j, "arrived", 0)));
    f.mean_travel_time_s = number_or(j, "mean_travel_time_s", 0);
    f.time_loss_vh = number_or(j, "time_loss_vh", 0);
    return f;
}

json figures_json(const DistrictFigures& f) {
    auto r2 = [](double v) { return std::round(v * 100.0) / 100.0; };
    return {{"trips", f.trips},
            {"arrived", f.arrived},
            {"mean_travel_time_s", r2(f.mean_travel_time_s)},
            {"time_loss_vh", r2(f.time_loss_vh)}};
}

// The edge of a lane id ("e12_0" -> "e12"): the part before the last '_'.
std::string edge_of_lane(const std::string& lane) {
    const size_t u = lane.rfind('_');
    return u == std::string::npos ? lane : lane.substr(0, u);
}

}  // namespace

int district_of(glm::dvec2 p, const std::vector<District>& districts) {
    int best = -1;
    double best_ratio = 0;
    for (size_t i = 0; i < districts.size(); ++i) {
        const District& d = districts[i];
        if (!(d.radius_m > 0)) continue;
        const double ratio = glm::length(p - d.centre) / d.radius_m;
        if (ratio <= 1.0 && (best < 0 || ratio < best_ratio)) {
            best = int(i);
            best_ratio = ratio;
        }
    }
    return best;
}

std::vector<DistrictFigures> district_figures(const std::vector<TripInfo>& trips, const Network& net,
                                              const std::vector<District>& districts) {
    std::vector<DistrictFigures> out(districts.size() + 1);
    for (size_t i = 0; i < districts.size(); ++i)
        out[i].name = districts[i].name;
    out.back().outside = true;
    std::vector<double> travel(out.size(), 0.0), loss(out.size(), 0.0);
    for (const TripInfo& t : trips) {
        int k = -1;
        const Lane* lane = net.lane(t.depart_lane);
        if (!lane) {
            // SUMO writes the lane; an edge id alone is taken too.
            if (const Edge* e = net.edge(edge_of_lane(t.depart_lane)); e && !e->lanes.empty())
                lane = &e->lanes[0];
        }
        if (lane && !lane->shape.empty()) {
            const glm::dvec3 mid = (lane->shape.front() + lane->shape.back()) / 2.0;
            k = district_of(glm::dvec2(mid), districts);
        }
        const size_t i = k < 0 ? out.size() - 1 : size_t(k);
        ++out[i].trips;
        if (!t.arrived()) continue;
        ++out[i].arrived;
        travel[i] += t.duration_s;
        loss[i] += t.time_loss_s;
    }
    for (size_t i = 0; i < out.size(); ++i) {
        out[i].mean_travel_time_s = out[i].arrived ? travel[i] / double(out[i].arrived) : 0.0;
        out[i].time_loss_vh = loss[i] / 3600.0;
    }
    return out;
}

json districts_json(const std::vector<District>& districts, const std::vector<DistrictFigures>& figures) {
    json list = json::array();
    for (size_t i = 0; i < districts.size() && i < figures.size(); ++i) {
        json j = figures_json(figures[i]);
        j["name"] = districts[i].name;
        j["easting"] = std::round(districts[i].centre.x * 100.0) / 100.0;
        j["northing"] = std::round(districts[i].centre.y * 100.0) / 100.0;
        j["radius_m"] = std::round(districts[i].radius_m * 100.0) / 100.0;
        list.push_back(std::move(j));
    }
    json out = {{"format", "zwilling-traffic-districts"}, {"format_version", 1}, {"districts", list}};
    for (const DistrictFigures& f : figures)
        if (f.outside) out["outside"] = figures_json(f);
    return out;
}

std::vector<DistrictFigures> parse_districts(const json& j) {
    if (!j.is_object() || j.value("format", std::string()) != "zwilling-traffic-districts")
        fail("districts.json: not a 'zwilling-traffic-districts' file");
    if (j.value("format_version", 0) != 1)
        fail("districts.json: format_version ", j.value("format_version", 0),
             " is not 1 (a newer Zwilling wrote it: update Zwilling)");
    std::vector<DistrictFigures> out;
    if (const auto list = j.find("districts"); list != j.end()) {
        if (!list->is_array()) fail("districts.json: 'districts' is not an array");
        for (const json& d : *list) {
            if (!d.is_object()) fail("districts.json: a district is not an object");
            DistrictFigures f = figures_of(d);
            const auto name = d.find("name");
            f.name = name != d.end() && name->is_string() ? name->get<std::string>() : std::string();
            out.push_back(std::move(f));
        }
    }
    if (const auto o = j.find("outside"); o != j.end()) {
        if (!o->is_object()) fail("districts.json: 'outside' is not an object");
        DistrictFigures f = figures_of(*o);
        f.outside = true;
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<DistrictRow> district_rows(const std::vector<DistrictFigures>& a,
                                       const std::vector<DistrictFigures>* b) {
    std::vector<DistrictRow> rows;
    std::optional<DistrictRow> outside;
    auto key = [](const DistrictFigures& f) { return f.outside ? std::string("\x01outside") : f.name; };
    std::map<std::string, size_t> index;
    auto row_of = [&](const DistrictFigures& f) -> DistrictRow& {
        if (f.outside) {
            if (!outside) {
                outside = DistrictRow{};
                outside->outside = true;
                if (b) outside->b = DistrictFigures{};
            }
            return *outside;
        }
        const auto [it, fresh] = index.try_emplace(key(f), rows.size());
        if (fresh) {
            DistrictRow r;
            r.name = f.name;
            if (b) r.b = DistrictFigures{};
            rows.push_back(std::move(r));
        }
        return rows[it->second];
    };
    for (const DistrictFigures& f : a)
        row_of(f).a = f;
    if (b)
        for (const DistrictFigures& f : *b)
            row_of(f).b = f;
    if (outside) rows.push_back(std::move(*outside));
    return rows;
}

std::vector<OverallRow> overall_rows(const TripSummary& a, std::optional<uint64_t> a_not_started,
                                     const TripSummary* b, std::optional<uint64_t> b_not_started) {
    using W = OverallRow::What;
    auto row = [&](W what, double av, double bv) {
        OverallRow r{what};
        r.a = av;
        if (b) r.b = bv;
        return r;
    };
    const TripSummary none;
    const TripSummary& bs = b ? *b : none;
    return {row(W::mean_travel_time_s, a.mean_travel_time_s, bs.mean_travel_time_s),
            row(W::time_loss_vh, a.time_loss_vh, bs.time_loss_vh),
            row(W::vehicle_km, a.vehicle_km, bs.vehicle_km),
            row(W::arrived, double(a.arrived), double(bs.arrived)),
            row(W::not_started, double(a_not_started.value_or(0)), double(b_not_started.value_or(0)))};
}

RoadLoad road_load(const EdgeMeasures& m, size_t edge) {
    double vehicles = 0, duration = 0, weight = 0, weighted_speed = 0;
    for (size_t i = 0; i < m.begin_s.size(); ++i) {
        const double len = std::max(0.0, m.end_s[i] - m.begin_s[i]);
        const size_t k = m.at(i, edge);
        duration += len;
        vehicles += m.flow_vph[k] * len / 3600.0;
        const double s = m.speed_ms[k];
        const double w = m.density_veh_km[k] * len;
        if (std::isfinite(s) && w > 0) {
            weight += w;
            weighted_speed += w * s;
        }
    }
    RoadLoad r;
    r.flow_vph = duration > 0 ? vehicles * 3600.0 / duration : 0.0;
    r.speed_ms = weight > 0 ? weighted_speed / weight : nan;
    return r;
}

std::vector<RoadChange> most_affected_roads(const EdgeMeasures& a, const EdgeMeasures* b, size_t top) {
    std::map<std::string, RoadChange> by_edge;
    auto take = [&](const EdgeMeasures& m, bool side_b) {
        for (size_t e = 0; e < m.edges.size(); ++e) {
            if (m.edges[e].empty() || m.edges[e][0] == ':') continue;
            RoadChange& r = by_edge[m.edges[e]];
            r.edge = m.edges[e];
            const RoadLoad l = road_load(m, e);
            if (side_b) {
                r.flow_b_vph = l.flow_vph;
                r.speed_b_ms = l.speed_ms;
            } else {
                r.flow_a_vph = l.flow_vph;
                r.speed_a_ms = l.speed_ms;
            }
        }
    };
    take(a, false);
    // Edges only B has: A had no vehicle there (flow 0, no speed).
    if (b) {
        for (const std::string& id : b->edges)
            if (!id.empty() && id[0] != ':' && !by_edge.count(id)) by_edge[id].speed_a_ms = nan;
        take(*b, true);
    }
    std::vector<RoadChange> all;
    for (auto& [id, r] : by_edge) {
        r.edge = id;
        if (b && !r.flow_b_vph) {  // the edge is missing from B's table: no vehicle there
            r.flow_b_vph = 0.0;
            r.speed_b_ms = nan;
        }
        if (b ? r.flow_change_vph() > 0 : r.flow_a_vph > 0) all.push_back(std::move(r));
    }
    auto speed_drop = [](const RoadChange& r) {
        const double sa = r.speed_a_ms, sb = r.speed_b_ms.value_or(nan);
        return std::isfinite(sa) && std::isfinite(sb) ? sa - sb : 0.0;
    };
    std::sort(all.begin(), all.end(), [&](const RoadChange& x, const RoadChange& y) {
        const double fx = b ? x.flow_change_vph() : x.flow_a_vph, fy = b ? y.flow_change_vph() : y.flow_a_vph;
        if (fx != fy) return fx > fy;
        const double dx = speed_drop(x), dy = speed_drop(y);
        if (dx != dy) return dx > dy;
        return x.edge < y.edge;
    });
    if (all.size() > top) all.resize(top);
    return all;
}

std::string road_label(const Network* net, const std::string& edge) {
    const Edge* e = net ? net->edge(edge) : nullptr;
    if (!e || e->name.empty()) return edge;
    return e->name + " (" + edge + ")";
}

std::optional<glm::dvec3> edge_middle(const Network& net, const std::string& edge) {
    const Edge* e = net.edge(edge);
    if (!e || e->lanes.empty() || e->lanes[0].shape.empty()) return std::nullopt;
    const std::vector<glm::dvec3>& s = e->lanes[0].shape;
    // Half the length along the lane's polyline.
    double total = 0;
    for (size_t i = 1; i < s.size(); ++i)
        total += glm::length(s[i] - s[i - 1]);
    double left = total / 2;
    for (size_t i = 1; i < s.size(); ++i) {
        const double l = glm::length(s[i] - s[i - 1]);
        if (l >= left && l > 0) return s[i - 1] + (s[i] - s[i - 1]) * (left / l);
        left -= l;
    }
    return s.front();
}

NetworkSeries network_series(const EdgeMeasures& m, const Network& net) {
    NetworkSeries s;
    s.begin_s = m.begin_s;
    s.end_s = m.end_s;
    std::vector<double> length_km(m.edges.size(), -1);
    for (size_t e = 0; e < m.edges.size(); ++e)
        if (const Edge* edge = net.edge(m.edges[e]); edge && !edge->lanes.empty())
            length_km[e] = edge->lanes[0].length / 1000.0;
    for (size_t i = 0; i < m.begin_s.size(); ++i) {
        double vehicles = 0, speed = 0;
        for (size_t e = 0; e < m.edges.size(); ++e) {
            if (length_km[e] < 0) continue;
            const size_t k = m.at(i, e);
            const double n = m.density_veh_km[k] * length_km[e];
            if (!(n > 0)) continue;
            vehicles += n;
            if (std::isfinite(m.speed_ms[k])) speed += n * m.speed_ms[k];
        }
        s.vehicles.push_back(float(vehicles));
        s.speed_kmh.push_back(vehicles > 0 ? float(speed / vehicles * 3.6) : float(nan));
    }
    return s;
}

float series_at(const NetworkSeries& s, const std::vector<float>& series, double t_s) {
    for (size_t i = 0; i < s.begin_s.size() && i < series.size(); ++i)
        if (s.begin_s[i] <= t_s && t_s < s.end_s[i]) return series[i];
    return float(nan);
}

std::vector<BuildingReach> parse_building_reach(const json& emergency) {
    std::vector<BuildingReach> out;
    if (!emergency.is_object()) return out;
    const auto b = emergency.find("buildings");
    if (b == emergency.end() || !b->is_object()) return out;
    const auto cols = b->find("columns");
    const auto rows = b->find("rows");
    if (cols == b->end() || rows == b->end() || !cols->is_array() || !rows->is_array())
        fail("emergency.json: 'buildings' needs 'columns' and 'rows' arrays");
    int id = -1, open = -1, worst = -1, east = -1, north = -1, other = -1;
    for (size_t i = 0; i < cols->size(); ++i) {
        const std::string c = (*cols)[i].is_string() ? (*cols)[i].get<std::string>() : std::string();
        int& slot = c == "id"         ? id
                    : c == "open_s"   ? open
                    : c == "worst_s"  ? worst
                    : c == "easting"  ? east
                    : c == "northing" ? north
                                      : other;
        slot = int(i);
    }
    if (id < 0) fail("emergency.json: 'buildings' has no column 'id'");
    auto time = [](const json& v) -> std::optional<double> {
        if (v.is_number()) return v.get<double>();
        return std::nullopt;  // null: unreachable
    };
    for (const json& row : *rows) {
        if (!row.is_array() || row.size() != cols->size())
            fail("emergency.json: a building row does not have ", cols->size(), " values");
        BuildingReach r;
        if (!row[size_t(id)].is_string()) fail("emergency.json: a building's id is not text");
        r.id = row[size_t(id)].get<std::string>();
        if (open >= 0) r.open_s = time(row[size_t(open)]);
        if (worst >= 0)
            r.worst_s = time(row[size_t(worst)]);
        else
            r.worst_s = r.open_s;
        if (east >= 0 && north >= 0 && row[size_t(east)].is_number() && row[size_t(north)].is_number())
            r.position = glm::dvec2(row[size_t(east)].get<double>(), row[size_t(north)].get<double>());
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<LostBuilding> no_longer_in_time(const std::vector<BuildingReach>& a,
                                            const std::vector<BuildingReach>* b, double target_s) {
    auto in_time = [&](const std::optional<double>& t) { return t && *t <= target_s; };
    std::vector<LostBuilding> out;
    if (!b) {
        for (const BuildingReach& r : a)
            if (in_time(r.open_s) && !in_time(r.worst_s))
                out.push_back({r.id, r.open_s, r.worst_s, r.position});
    } else {
        std::map<std::string, const BuildingReach*> by_id;
        for (const BuildingReach& r : *b)
            by_id[r.id] = &r;
        for (const BuildingReach& r : a) {
            const auto it = by_id.find(r.id);
            if (it == by_id.end() || !in_time(r.worst_s) || in_time(it->second->worst_s)) continue;
            out.push_back(
                {r.id, r.worst_s, it->second->worst_s, r.position ? r.position : it->second->position});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const LostBuilding& x, const LostBuilding& y) { return x.id < y.id; });
    return out;
}

std::string csv_field(const std::string& text) {
    return core::csv_field(text, core::CsvDialect{});
}

namespace {

// The German words of the CSV's sections, measures and units (German spreadsheet users
// read them; the English codes stay what scripts match).
const char* german(std::string_view code) {
    static const std::pair<std::string_view, const char*> words[] = {
        {"overall", "Gesamt"},
        {"district", "Ortsteil"},
        {"road", "Straße"},
        {"emergency", "Feuerwehr"},
        {"emergency_lost", "Feuerwehr verloren"},
        {"mean_travel_time", "mittlere Reisezeit"},
        {"time_loss", "Verlustzeit"},
        {"vehicle_distance", "Fahrleistung"},
        {"arrived", "angekommen"},
        {"not_started", "nicht gestartet"},
        {"trips", "Fahrten"},
        {"flow", "Verkehrsstärke"},
        {"speed", "Geschwindigkeit"},
        {"in_time", "rechtzeitig"},
        {"late", "zu spät"},
        {"unreachable", "nicht erreichbar"},
        {"response_time", "Anfahrtszeit"},
        {"response_time_open_worst", "Anfahrtszeit frei / schlimmster Zeitpunkt"},
        {"veh-h", "Fz-h"},
        {"vehicles", "Fahrzeuge"},
        {"veh/h", "Fz/h"},
        {"buildings", "Gebäude"},
        {"outside", "außerhalb"},
    };
    for (const auto& [en, de] : words)
        if (en == code) return de;
    return nullptr;
}

}  // namespace

std::string impacts_csv(const ImpactsReport& r, const core::CsvDialect& csv) {
    const bool compare = !r.b_id.empty();
    const bool de = csv.style == core::NumberStyle::de;
    const std::string sep(1, csv.separator());
    auto word = [&](const std::string& code) -> std::string {
        const char* g = de ? german(code) : nullptr;
        return core::csv_field(g ? std::string(g) : code, csv);
    };
    auto text = [&](const std::string& t) { return core::csv_field(t, csv); };
    auto number = [&](double v, int decimals) { return core::csv_number(v, decimals, csv); };
    std::string out(csv.preamble());
    out +=
        de ? "Abschnitt;ID;Name;Größe;Einheit;A;B;Änderung\n" : "section,id,name,measure,unit,a,b,change\n";
    auto line = [&](const char* section, const std::string& id, const std::string& name, const char* measure,
                    const char* unit, double a, std::optional<double> b, int decimals) {
        out += word(section) + sep + (id == "outside" ? word(id) : text(id)) + sep + text(name) + sep +
               word(measure) + sep + word(unit) + sep + number(a, decimals) + sep;
        if (compare && b) {
            out += number(*b, decimals) + sep;
            if (std::isfinite(a) && std::isfinite(*b)) out += number(*b - a, decimals);
        } else {
            out += sep;
        }
        out += "\n";
    };
    using W = OverallRow::What;
    for (const OverallRow& o : r.overall) {
        switch (o.what) {
            case W::mean_travel_time_s:
                line("overall", "", "", "mean_travel_time", "s", o.a, o.b, 1);
                break;
            case W::time_loss_vh:
                line("overall", "", "", "time_loss", "veh-h", o.a, o.b, 2);
                break;
            case W::vehicle_km:
                line("overall", "", "", "vehicle_distance", "km", o.a, o.b, 1);
                break;
            case W::arrived:
                line("overall", "", "", "arrived", "vehicles", o.a, o.b, 0);
                break;
            case W::not_started:
                line("overall", "", "", "not_started", "vehicles", o.a, o.b, 0);
                break;
        }
    }
    for (const DistrictRow& d : r.districts) {
        const std::string id = d.outside ? "outside" : "";
        auto b_of = [&](auto field) -> std::optional<double> {
            if (!d.b) return std::nullopt;
            return double((*d.b).*field);
        };
        line("district", id, d.name, "trips", "vehicles", double(d.a.trips), b_of(&DistrictFigures::trips),
             0);
        line("district", id, d.name, "mean_travel_time", "s", d.a.mean_travel_time_s,
             b_of(&DistrictFigures::mean_travel_time_s), 1);
        line("district", id, d.name, "time_loss", "veh-h", d.a.time_loss_vh,
             b_of(&DistrictFigures::time_loss_vh), 2);
    }
    for (size_t i = 0; i < r.roads.size(); ++i) {
        const RoadChange& c = r.roads[i];
        const std::string name = i < r.road_names.size() ? r.road_names[i] : std::string();
        line("road", c.edge, name, "flow", "veh/h", c.flow_a_vph, c.flow_b_vph, 1);
        std::optional<double> sb;
        if (c.speed_b_ms) sb = *c.speed_b_ms * 3.6;
        line("road", c.edge, name, "speed", "km/h", c.speed_a_ms * 3.6, sb, 1);
    }
    static const char* const reach[3] = {"in_time", "late", "unreachable"};
    if (r.emergency_a)
        for (int k = 0; k < 3; ++k) {
            std::optional<double> b;
            if (r.emergency_b) b = double((*r.emergency_b)[size_t(k)]);
            line("emergency", "", "", reach[k], "buildings", double((*r.emergency_a)[size_t(k)]), b, 0);
        }
    for (const LostBuilding& l : r.lost) {
        // Unreachable is an empty time. A alone: the open network's time (a) against A's
        // worst moment (b), measure response_time_open_worst.
        out += word("emergency_lost") + sep + text(l.id) + sep + sep +
               word(compare ? "response_time" : "response_time_open_worst") + sep + "s" + sep +
               (l.a_s ? number(*l.a_s, 0) : "") + sep + (l.b_s ? number(*l.b_s, 0) : "") + sep;
        if (l.a_s && l.b_s) out += number(*l.b_s - *l.a_s, 0);
        out += "\n";
    }
    return out;
}

}  // namespace zw::scenario::traffic
