#include "engine/scenario/traffic/edge_measures.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"

namespace zw::scenario::traffic {
namespace {

using nlohmann::json;

constexpr const char* format_name = "zwilling-edge-measures";
constexpr int format_version = 1;
const double nan = std::numeric_limits<double>::quiet_NaN();

double round2(double v) {
    return std::round(v * 100) / 100;
}

struct Table {
    const char* key;
    std::vector<double> EdgeMeasures::*values;
    bool nullable;
};
constexpr Table tables[] = {{"flow_vph", &EdgeMeasures::flow_vph, false},
                            {"speed_ms", &EdgeMeasures::speed_ms, true},
                            {"density_veh_km", &EdgeMeasures::density_veh_km, false},
                            {"waiting_s", &EdgeMeasures::waiting_s, false}};

}  // namespace

EdgeMeasures edge_measures(const std::vector<EdgeInterval>& intervals, std::string_view id) {
    std::set<std::string> ids;
    for (const EdgeInterval& iv : intervals)
        ids.insert(iv.id);
    if (id.empty() && ids.size() > 1)
        fail("the edgeData holds the ids '", *ids.begin(), "' and '", *std::next(ids.begin()),
             "': name the one whose measures to keep");
    if (!id.empty() && !ids.count(std::string(id))) fail("the edgeData holds no interval with id '", id, "'");
    std::vector<const EdgeInterval*> chosen;
    std::set<std::string> names;
    for (const EdgeInterval& iv : intervals)
        if (id.empty() || iv.id == id) {
            chosen.push_back(&iv);
            for (const EdgeMeasure& m : iv.edges)
                names.insert(m.edge);
        }
    EdgeMeasures out;
    out.edges.assign(names.begin(), names.end());
    const size_t n = out.edges.size();
    if (n > max_measure_edges || chosen.size() > max_measure_intervals ||
        double(n) * double(chosen.size()) > double(max_measure_values))
        fail("the edgeData's ", n, " edges x ", chosen.size(), " intervals are more than ",
             max_measure_values, " values (use longer intervals)");
    std::map<std::string_view, size_t> column;
    for (size_t j = 0; j < n; ++j)
        column.emplace(out.edges[j], j);
    out.flow_vph.assign(n * chosen.size(), 0);
    out.speed_ms.assign(n * chosen.size(), nan);
    out.density_veh_km.assign(n * chosen.size(), 0);
    out.waiting_s.assign(n * chosen.size(), 0);
    for (size_t i = 0; i < chosen.size(); ++i) {
        out.begin_s.push_back(chosen[i]->begin_s);
        out.end_s.push_back(chosen[i]->end_s);
        for (const EdgeMeasure& m : chosen[i]->edges) {
            const size_t k = out.at(i, column.at(m.edge));
            out.flow_vph[k] = round2(m.flow_vph);
            out.speed_ms[k] = m.sampled_s > 0 ? round2(m.speed_ms) : nan;
            out.density_veh_km[k] = round2(m.density_veh_km);
            out.waiting_s[k] = round2(m.waiting_s);
        }
    }
    return out;
}

void write_edge_measures(const std::string& path, const EdgeMeasures& m) {
    json j = {{"format", format_name}, {"format_version", format_version}, {"edges", m.edges}};
    json intervals = json::array();
    for (size_t i = 0; i < m.begin_s.size(); ++i)
        intervals.push_back({{"begin_s", m.begin_s[i]}, {"end_s", m.end_s[i]}});
    j["intervals"] = std::move(intervals);
    for (const Table& t : tables) {
        const std::vector<double>& v = m.*t.values;
        json rows = json::array();
        for (size_t i = 0; i < m.begin_s.size(); ++i) {
            json row = json::array();
            for (size_t e = 0; e < m.edges.size(); ++e) {
                const double x = v.at(m.at(i, e));
                row.push_back(std::isfinite(x) ? json(x) : json(nullptr));
            }
            rows.push_back(std::move(row));
        }
        j[t.key] = std::move(rows);
    }
    const std::string text = j.dump() + "\n";
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) fail("cannot write '", path, "': ", std::strerror(errno), " (does the folder exist?)");
        out.write(text.data(), std::streamsize(text.size()));
        out.close();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            fail("cannot write '", path, "': disk full or not writable");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail("cannot write '", path, "': ", ec.message());
}

EdgeMeasures read_edge_measures(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot open edge measures '", path, "': ", std::strerror(errno), " (is the path right?)");
    std::ostringstream buf;
    buf << in.rdbuf();
    return parse_edge_measures(buf.str(), path);
}

EdgeMeasures parse_edge_measures(std::string_view text, const std::string& path) {
    auto bad = [&](const std::string& why) -> void {
        fail("edge measures '", path, "': ", why, " (bake or export them again)");
    };
    if (core::json_nesting_depth(text) > core::max_json_depth) bad("the JSON nests too deep");
    const json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) bad("not JSON, or not an object");
    if (j.value("format", json()) != format_name)
        bad(std::string("'format' must be \"") + format_name + "\"");
    if (j.value("format_version", json()) != format_version)
        bad("'format_version' must be 1 (a newer Zwilling wrote it?)");
    EdgeMeasures m;
    const json& edges = j.contains("edges") ? j["edges"] : json();
    if (!edges.is_array() || edges.size() > max_measure_edges) bad("'edges' must be an array of edge ids");
    for (size_t e = 0; e < edges.size(); ++e) {
        if (!edges[e].is_string()) bad("edges[" + std::to_string(e) + "] must be a string");
        m.edges.push_back(edges[e].get<std::string>());
    }
    const json& intervals = j.contains("intervals") ? j["intervals"] : json();
    if (!intervals.is_array() || intervals.size() > max_measure_intervals)
        bad("'intervals' must be an array of {begin_s, end_s}");
    if (double(edges.size()) * double(intervals.size()) > double(max_measure_values))
        bad("more than " + std::to_string(max_measure_values) + " values");
    for (size_t i = 0; i < intervals.size(); ++i) {
        const json& iv = intervals[i];
        const std::string at = "intervals[" + std::to_string(i) + "]";
        if (!iv.is_object() || !iv.contains("begin_s") || !iv.contains("end_s") ||
            !iv["begin_s"].is_number() || !iv["end_s"].is_number())
            bad(at + " must be {begin_s, end_s} with numbers");
        m.begin_s.push_back(iv["begin_s"].get<double>());
        m.end_s.push_back(iv["end_s"].get<double>());
        if (!(m.begin_s.back() <= m.end_s.back())) bad(at + " ends before it begins");
    }
    for (const Table& t : tables) {
        std::vector<double>& v = m.*t.values;
        const json& rows = j.contains(t.key) ? j[t.key] : json();
        if (!rows.is_array() || rows.size() != intervals.size())
            bad(std::string("'") + t.key + "' must hold one row per interval");
        v.reserve(edges.size() * intervals.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            const std::string at = std::string(t.key) + "[" + std::to_string(i) + "]";
            if (!rows[i].is_array() || rows[i].size() != edges.size())
                bad(at + " must hold one value per edge");
            for (size_t e = 0; e < edges.size(); ++e) {
                const json& x = rows[i][e];
                if (x.is_null() && t.nullable)
                    v.push_back(nan);
                else if (x.is_number() && std::isfinite(x.get<double>()))
                    v.push_back(x.get<double>());
                else
                    bad(at + "[" + std::to_string(e) + "] must be a number" + (t.nullable ? " or null" : ""));
            }
        }
    }
    return m;
}

}  // namespace zw::scenario::traffic
