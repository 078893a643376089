#include "engine/twin/tour.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"

namespace zw::twin {
namespace {

using json = nlohmann::json;

constexpr const char* tour_format = "zwilling-tour";
constexpr int tour_format_version = 1;
constexpr size_t max_text = 4000;  // characters of a title or caption

struct Reader {
    const std::string& name;

    [[noreturn]] void bad(const std::string& field, const std::string& what) const {
        fail("tour '", name, "': ", field, " ", what);
    }
    std::string text(const json& o, const char* key, const std::string& field) const {
        if (!o.contains(key)) return {};
        const json& v = o[key];
        if (!v.is_string()) bad(field + "." + key, "must be a string (text in quotes)");
        std::string s = v.get<std::string>();
        if (s.size() > max_text) bad(field + "." + key, "is longer than 4000 characters");
        return s;
    }
    std::optional<double> number(const json& o, const char* key, const std::string& field, double lo,
                                 double hi, const char* unit) const {
        if (!o.contains(key)) return std::nullopt;
        const json& v = o[key];
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo ||
            v.get<double>() > hi) {
            char range[128];
            std::snprintf(range, sizeof range, "must be a number from %g to %g %s", lo, hi, unit);
            bad(field + "." + key, std::string(range) + " (got " + v.dump() + ")");
        }
        return v.get<double>();
    }
    glm::dvec3 point(const json& o, const char* key, const std::string& field) const {
        const std::string f = field + "." + key;
        if (!o.contains(key)) bad(f, "is missing: give [east, north, up] in metres from the twin's origin");
        const json& v = o[key];
        if (!v.is_array() || v.size() != 3 || !std::all_of(v.begin(), v.end(), [](const json& x) {
                return x.is_number() && std::isfinite(x.get<double>()) &&
                       std::abs(x.get<double>()) <= max_tour_coordinate_m;
            }))
            bad(f,
                "must be three numbers [east, north, up] in metres from the twin's origin, each within "
                "1,000 km (got " +
                    v.dump().substr(0, 80) + ")");
        return {v[0].get<double>(), v[1].get<double>(), v[2].get<double>()};
    }
    std::optional<std::string> id(const json& o, const char* key, const std::string& field) const {
        if (!o.contains(key)) return std::nullopt;
        const json& v = o[key];
        if (v.is_null()) return std::string();
        if (!v.is_string() || v.get<std::string>().size() > 200)
            bad(field + "." + key, "must be a scenario id in quotes, or null for none");
        return v.get<std::string>();
    }
};

TourView parse_view(const Reader& r, const json& v, const std::string& field) {
    if (!v.is_object()) r.bad(field, "must be an object with eye, target and a caption");
    TourView view;
    view.id = r.text(v, "id", field);
    view.title_de = r.text(v, "title_de", field);
    view.title_en = r.text(v, "title_en", field);
    view.caption_de = r.text(v, "caption_de", field);
    view.caption_en = r.text(v, "caption_en", field);
    view.eye = r.point(v, "eye", field);
    view.target = r.point(v, "target", field);
    if (glm::length(view.target - view.eye) < 0.01)
        r.bad(field + ".target", "is where the eye is: the camera must look somewhere else");
    view.flight_s = r.number(v, "flight_s", field, 0.1, 600, "seconds");
    view.dwell_s = r.number(v, "dwell_s", field, 0, 3600, "seconds").value_or(view.dwell_s);
    view.time_s = r.number(v, "time_s", field, 0, 366 * 86400.0, "seconds");
    view.flood_split = r.number(v, "flood_split", field, 0, 1, "(of the width)");
    view.flood = r.id(v, "flood", field);
    view.flood_compare = r.id(v, "flood_compare", field);
    view.traffic = r.id(v, "traffic", field);
    view.traffic_b = r.id(v, "traffic_b", field);
    if (v.contains("play")) {
        if (!v["play"].is_boolean()) r.bad(field + ".play", "must be true or false");
        view.play = v["play"].get<bool>();
    }
    if (v.contains("layers")) {
        const json& l = v["layers"];
        if (!l.is_array() || l.size() > 1000 ||
            !std::all_of(l.begin(), l.end(), [](const json& x) { return x.is_string(); }))
            r.bad(field + ".layers", "must be a list of layer ids in quotes (the layers shown)");
        view.layers = std::vector<std::string>();
        for (const json& x : l)
            view.layers->push_back(x.get<std::string>());
    }
    return view;
}

double smoothstep(double u) {
    u = std::clamp(u, 0.0, 1.0);
    return u * u * (3.0 - 2.0 * u);
}

// Bezier weights: the eye at u is base(u) + 3u(1-u) * lift * up, base being the two ends
// mixed by smoothstep(u) (the inner points lie straight above the ends).
glm::dvec3 base_at(const glm::dvec3& a, const glm::dvec3& b, double u) {
    return glm::mix(a, b, smoothstep(u));
}

}  // namespace

Tour parse_tour(std::string_view text, const std::string& name) {
    const Reader r{name};
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail("tour '", name, "' nests deeper than ", core::max_json_depth, " levels; refused");
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        fail("tour '", name, "' is not JSON: ", e.what());
    }
    if (!j.is_object()) fail("tour '", name, "' must be a JSON object with \"format\": \"zwilling-tour\"");
    if (j.value("format", json()) != tour_format)
        r.bad("format", "must be \"zwilling-tour\" (is this a tour file?)");
    if (j.value("format_version", json()) != tour_format_version)
        r.bad("format_version", "must be 1 (a newer Zwilling may read this file)");
    Tour t;
    t.id = r.text(j, "id", "tour");
    t.title_de = r.text(j, "title_de", "tour");
    t.title_en = r.text(j, "title_en", "tour");
    if (!j.contains("views") || !j["views"].is_array() || j["views"].empty())
        r.bad("views", "must be a list of at least one view");
    if (j["views"].size() > max_tour_views) r.bad("views", "holds more than 1000 views");
    for (size_t i = 0; i < j["views"].size(); ++i)
        t.views.push_back(parse_view(r, j["views"][i], "views[" + std::to_string(i) + "]"));
    return t;
}

std::string tour_json(const Tour& tour) {
    auto mm = [](double v) { return std::round(v * 1000.0) / 1000.0; };
    auto point = [&](const glm::dvec3& p) { return json::array({mm(p.x), mm(p.y), mm(p.z)}); };
    json views = json::array();
    for (const TourView& v : tour.views) {
        json o = json::object();
        auto text = [&](const char* key, const std::string& s) {
            if (!s.empty()) o[key] = s;
        };
        auto id = [&](const char* key, const std::optional<std::string>& s) {
            if (s) o[key] = s->empty() ? json() : json(*s);
        };
        auto number = [&](const char* key, const std::optional<double>& x) {
            if (x) o[key] = mm(*x);
        };
        text("id", v.id);
        text("title_de", v.title_de);
        text("title_en", v.title_en);
        text("caption_de", v.caption_de);
        text("caption_en", v.caption_en);
        o["eye"] = point(v.eye);
        o["target"] = point(v.target);
        number("flight_s", v.flight_s);
        o["dwell_s"] = mm(v.dwell_s);
        if (v.layers) o["layers"] = *v.layers;
        id("flood", v.flood);
        id("flood_compare", v.flood_compare);
        number("flood_split", v.flood_split);
        id("traffic", v.traffic);
        id("traffic_b", v.traffic_b);
        number("time_s", v.time_s);
        if (v.play) o["play"] = true;
        views.push_back(std::move(o));
    }
    json j = {{"format", tour_format}, {"format_version", tour_format_version}};
    if (!tour.id.empty()) j["id"] = tour.id;
    if (!tour.title_de.empty()) j["title_de"] = tour.title_de;
    if (!tour.title_en.empty()) j["title_en"] = tour.title_en;
    j["views"] = std::move(views);
    return j.dump(1) + "\n";
}

std::optional<double> SurfaceGrid::highest_near(glm::dvec2 p, double radius) const {
    if (nx == 0 || ny == 0 || z.size() != size_t(nx) * ny || !(cell_m > 0)) return std::nullopt;
    const glm::dvec2 q = p - origin;
    const double c = glm::dot(q, east) / cell_m, r = glm::dot(q, north) / cell_m;
    const double reach = radius / cell_m + 0.5;  // cells are reached by any part of them
    const double c0 = std::ceil(c - reach - 0.5), c1 = std::floor(c + reach + 0.5);
    const double r0 = std::ceil(r - reach - 0.5), r1 = std::floor(r + reach + 0.5);
    if (c1 < 0 || r1 < 0 || c0 >= nx || r0 >= ny) return std::nullopt;
    std::optional<double> best;
    for (double row = std::max(r0, 0.0); row <= std::min(r1, double(ny - 1)); ++row)
        for (double col = std::max(c0, 0.0); col <= std::min(c1, double(nx - 1)); ++col) {
            const float h = z[size_t(row) * nx + size_t(col)];
            if (std::isfinite(h) && (!best || h > *best)) best = h;
        }
    return best;
}

CameraFlight::Pose CameraFlight::at(double t_s) const {
    const double u = smoothstep(duration_s > 0 ? t_s / duration_s : 1.0);
    const double v = 1.0 - u;
    Pose pose;
    pose.eye = v * v * v * p0 + 3.0 * u * v * v * p1 + 3.0 * u * u * v * p2 + u * u * u * p3;
    pose.target = base_at(target0, target1, u);
    return pose;
}

CameraFlight plan_flight(const glm::dvec3& eye0, const glm::dvec3& target0, const glm::dvec3& eye1,
                         const glm::dvec3& target1, std::optional<double> seconds, const SurfaceGrid* surface,
                         double clearance) {
    const double distance = glm::length(glm::dvec2(eye1 - eye0));
    // An arc that lets the town be seen on the way: a fifth of the distance, at most 300 m.
    double lift = std::min(0.2 * distance, 300.0);
    if (surface && surface->nx > 0) {
        const double guard = surface->cell_m;  // the ends are where the user put them
        constexpr int samples = 256;
        for (int i = 1; i < samples; ++i) {
            const double u = double(i) / samples;
            const glm::dvec3 b = base_at(eye0, eye1, u);
            const glm::dvec2 at(b);
            if (glm::length(at - glm::dvec2(eye0)) < guard || glm::length(at - glm::dvec2(eye1)) < guard)
                continue;
            const std::optional<double> top = surface->highest_near(at, 0.5 * surface->cell_m);
            if (!top) continue;
            lift = std::max(lift, (*top + clearance - b.z) / (3.0 * u * (1.0 - u)));
        }
        lift = std::min(lift, std::max(2.0 * distance, 1000.0));
    }
    CameraFlight f;
    f.p0 = eye0;
    f.p3 = eye1;
    f.p1 = eye0 + glm::dvec3(0, 0, lift);
    f.p2 = eye1 + glm::dvec3(0, 0, lift);
    f.target0 = target0;
    f.target1 = target1;
    f.lift_m = lift;
    // About 3 s for a short move, 10 s across the town: the path's length, not the time,
    // grows with the distance, and the eye must not sweep faster than people can follow.
    const double path = distance + 1.5 * lift + std::abs(eye1.z - eye0.z);
    const double turn = glm::length(glm::normalize(target1 - eye1) - glm::normalize(target0 - eye0));
    f.duration_s = seconds.value_or(std::clamp(2.5 + 1.8 * std::sqrt(path / 100.0) + turn, 3.0, 14.0));
    return f;
}

}  // namespace zw::twin
