#include "engine/twin/manifest.h"

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/json_fields.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"

namespace zw::twin {
namespace {

using nlohmann::json;
using Fields = core::JsonFields;
namespace fs = std::filesystem;

bool parse_color(const std::string& s, uint32_t& rgb) {
    if (s.size() != 7 || s[0] != '#') return false;
    uint32_t v = 0;
    for (size_t i = 1; i < 7; ++i) {
        const char c = s[i];
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0) return false;
        v = v * 16 + uint32_t(d);
    }
    rgb = v;
    return true;
}

Audience parse_audience(const Fields& twin) {
    const std::string a = twin.required_text("audience");
    if (a == "public") return Audience::public_;
    if (a == "council") return Audience::council;
    if (a == "staff") return Audience::staff;
    twin.error(twin.name("audience"), "is '" + a + "'; expected public, council or staff");
}

}  // namespace

const char* audience_name(Audience a) {
    switch (a) {
        case Audience::public_:
            return "public";
        case Audience::council:
            return "council";
        case Audience::staff:
            return "staff";
    }
    return "?";
}

const Layer* Manifest::layer(std::string_view layer_id) const {
    for (const Layer& l : layers)
        if (l.id == layer_id) return &l;
    return nullptr;
}

std::string resolve_confined(const std::string& root, const std::string& base, const std::string& reference,
                             const std::string& what) {
    if (reference.empty()) fail(what, " is empty");
    const size_t colon = reference.find(':'), slash = reference.find('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon < slash))
        fail(what, " '", reference, "' names another place (", reference.substr(0, colon + 1),
             "); a twin's URIs are relative to its folder");
    if (reference.starts_with("//")) fail(what, " '", reference, "' names another host; refused");
    if (reference[0] == '/' || reference[0] == '\\')
        fail(what, " '", reference, "' is an absolute path; a twin's URIs are relative to its folder");
    const std::string resolved = core::resolve_uri(base, reference);
    if (!core::uri_inside(root, resolved))
        fail(what, " '", reference, "' leads outside the twin folder ", core::display_uri(root), "; refused");
    return resolved;
}

std::string manifest_uri(const std::string& given) {
    if (given.empty())
        fail("no twin given: expected a twin folder written by zwilling-bake (e.g. out/town/citizen)");
    if (core::is_http(given)) {
        const std::string path = given.substr(0, given.find_first_of("?#"));
        if (path.ends_with("/")) return path + "twin.json";
        if (path.ends_with(".json")) return given;
        return path + "/twin.json";
    }
    const std::string path = core::file_path_of(core::normalize_uri(given));
    if (path.empty())
        fail("cannot open twin '", given, "': only folders, files and http(s):// URLs can be opened");
    const fs::path p = fs::path(path).lexically_normal();
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
        const fs::path manifest = p / "twin.json";
        if (fs::exists(manifest, ec)) return manifest.string();
        std::string twins;  // the bundle folder (OUT) instead of one of its twins?
        for (const auto& e : fs::directory_iterator(p, ec))
            if (fs::exists(e.path() / "twin.json", ec))
                twins += (twins.empty() ? "" : ", ") + e.path().string();
        if (!twins.empty())
            fail("'", given, "' is a bundle folder, not one twin; open one of its twins: ", twins);
        fail("'", given,
             "' has no twin.json; expected a twin folder written by zwilling-bake (e.g. out/town/citizen)");
    }
    if (!fs::exists(p, ec))
        fail("cannot open twin '", given,
             "': no such file or folder; expected a twin folder written by zwilling-bake (e.g. "
             "out/town/citizen)");
    return p.string();
}

Manifest parse_manifest(std::string_view text, const std::string& uri) {
    const std::string shown = core::display_uri(uri);
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail("twin manifest '", shown, "' nests deeper than ", core::max_json_depth, " levels; refused");
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded())
        fail("cannot read twin manifest '", shown, "': it is not valid JSON (is the file complete?)");
    if (!j.is_object()) fail("cannot read twin manifest '", shown, "': expected a JSON object at the top");
    const Fields top(j, "", "twin manifest '" + shown + "'");
    const std::string format = top.text("format");
    if (format != "zwilling-twin")
        fail("cannot read twin manifest '", shown, "': 'format' is '", format,
             "', expected \"zwilling-twin\" (is this a twin.json written by zwilling-bake?)");
    Manifest m;
    m.uri = uri;
    m.root = core::uri_folder(uri);
    if (const double v = top.number("format_version", 1); v > 1)
        m.warnings.push_back("format_version " + std::to_string(int(v)) +
                             "; this viewer reads version 1 and tries anyway");

    const Fields twin = top.child(top.object("twin"), "twin");
    m.id = twin.required_text("id");
    m.audience = parse_audience(twin);
    const Audience expected = m.id == "citizen"          ? Audience::public_
                              : m.id == "council"        ? Audience::council
                              : m.id == "administration" ? Audience::staff
                                                         : m.audience;
    if (m.audience != expected)
        twin.error("twin.audience", std::string("is '") + audience_name(m.audience) +
                                        "', which does not fit twin.id '" + m.id + "' (expected '" +
                                        audience_name(expected) + "')");
    m.title_de = twin.text("title_de", m.id);
    m.title_en = twin.text("title_en", m.title_de);

    const Fields town = top.child(top.object("town"), "town");
    m.town = town.text("name");
    m.synthetic = town.flag("synthetic", false);
    m.description_de = town.text("description_de");
    m.description_en = town.text("description_en");

    const Fields origin = top.child(top.object("origin"), "origin");
    if (!origin.find("lat_deg") || !origin.find("lon_deg"))
        origin.error("origin.lat_deg and origin.lon_deg", "are needed to place the twin on the globe");
    const double undulation = top.child(top.object("crs"), "crs").number("geoid_undulation_m", 0.0);
    m.geoid_undulation_m = undulation;
    m.origin = {origin.number("lat_deg", 0), origin.number("lon_deg", 0),
                origin.number("height", 0) + undulation};
    if (!(std::abs(m.origin.lat_deg) <= 90) || !(std::abs(m.origin.lon_deg) <= 180))
        origin.error("origin.lat_deg/lon_deg", "lie outside the globe");
    if (const json* ecef = origin.find("ecef"); ecef && ecef->is_array() && ecef->size() == 3 &&
                                                (*ecef)[0].is_number() && (*ecef)[1].is_number() &&
                                                (*ecef)[2].is_number()) {
        const glm::dvec3 stored{(*ecef)[0].get<double>(), (*ecef)[1].get<double>(), (*ecef)[2].get<double>()};
        const double off = glm::length(stored - geo::geodetic_to_ecef(m.origin));
        if (off > 1.0)
            m.warnings.push_back("origin.ecef is " + std::to_string(off) +
                                 " m away from origin.lat_deg/lon_deg/height; using lat/lon/height");
    }

    if (!top.find("layers")) top.error("layers", "is missing: a twin lists its layers");
    const json& layers = top.array("layers");
    std::set<std::string> ids;
    for (size_t i = 0; i < layers.size(); ++i) {
        const Fields f = top.element(layers[i], "layers", i);
        Layer l;
        l.id = f.required_text("id");
        if (!ids.insert(l.id).second) f.error(f.name("id"), "'" + l.id + "' is given twice");
        l.title_de = f.text("title_de", l.id);
        l.title_en = f.text("title_en", l.title_de);
        l.group = f.text("group", "other");
        l.default_visible = f.flag("default_visible", false);
        l.feature_class = f.text("class");
        const std::string tileset = f.text("tileset");
        if (tileset.empty()) {
            m.warnings.push_back("layer '" + l.id + "' has no tileset; left out");
            continue;
        }
        l.tileset =
            resolve_confined(m.root, uri, tileset, "twin manifest '" + shown + "': " + f.name("tileset"));
        if (const std::string g = f.text("graph"); !g.empty())
            l.graph = resolve_confined(m.root, uri, g, "twin manifest '" + shown + "': " + f.name("graph"));
        const json& attrs = f.array("attributes");
        for (size_t k = 0; k < attrs.size(); ++k) {
            const Fields a = f.element(attrs[k], "attributes", k);
            Attribute at;
            at.name = a.required_text("name");
            at.type = a.text("type", "string");
            at.title_de = a.text("title_de", at.name);
            at.title_en = a.text("title_en", at.title_de);
            l.attributes.push_back(std::move(at));
        }
        const json& legend = f.array("legend");
        for (size_t k = 0; k < legend.size(); ++k) {
            const Fields e = f.element(legend[k], "legend", k);
            LegendEntry entry;
            const std::string color = e.text("color");
            if (!parse_color(color, entry.rgb)) {
                m.warnings.push_back(e.name("color") + " '" + color + "' is not #rrggbb; entry left out");
                continue;
            }
            entry.label_de = e.text("label_de");
            entry.label_en = e.text("label_en", entry.label_de);
            l.legend.push_back(std::move(entry));
        }
        m.layers.push_back(std::move(l));
    }

    const json& departments = top.array("departments");
    for (size_t i = 0; i < departments.size(); ++i) {
        const Fields f = top.element(departments[i], "departments", i);
        Department d;
        d.id = f.required_text("id");
        d.title_de = f.text("title_de", d.id);
        d.title_en = f.text("title_en", d.title_de);
        const json& dl = f.array("layers");
        for (size_t k = 0; k < dl.size(); ++k) {
            if (!dl[k].is_string())
                f.error(f.name("layers") + "[" + std::to_string(k) + "]", "must be a layer id");
            d.layers.push_back(dl[k].get<std::string>());
        }
        for (const Department& other : m.departments)
            if (other.id == d.id) f.error(f.name("id"), "'" + d.id + "' is given twice");
        m.departments.push_back(std::move(d));
    }
    if (!m.departments.empty() && m.audience != Audience::staff)
        top.error("departments",
                  "are only for the administration twin (audience staff); this twin is '" + m.id + "'");

    const json& scenarios = top.array("scenarios");
    for (size_t i = 0; i < scenarios.size(); ++i) {
        const Fields f = top.element(scenarios[i], "scenarios", i);
        Scenario s;
        s.id = f.required_text("id");
        s.kind = f.required_text("kind");
        s.title_de = f.text("title_de", s.id);
        s.title_en = f.text("title_en", s.title_de);
        s.is_public = f.flag("public", false);
        s.uri = resolve_confined(m.root, uri, f.required_text("uri"),
                                 "twin manifest '" + shown + "': " + f.name("uri"));
        if (f.find("results")) {
            s.results = resolve_confined(m.root, uri, f.required_text("results"),
                                         "twin manifest '" + shown + "': " + f.name("results"));
            if (!s.results.empty() && s.results.back() != '/') s.results += '/';
        }
        m.scenarios.push_back(std::move(s));
    }
    if (top.find("views")) {
        const Fields views = top.child(top.object("views"), "views");
        if (views.find("surface"))
            m.surface = resolve_confined(m.root, uri, views.required_text("surface"),
                                         "twin manifest '" + shown + "': " + views.name("surface"));
        if (views.find("addresses"))
            m.addresses = resolve_confined(m.root, uri, views.required_text("addresses"),
                                           "twin manifest '" + shown + "': " + views.name("addresses"));
        const json& tours = views.array("tours");
        for (size_t i = 0; i < tours.size(); ++i) {
            const Fields f = views.element(tours[i], "tours", i);
            TourRef t;
            t.id = f.required_text("id");
            t.title_de = f.text("title_de", t.id);
            t.title_en = f.text("title_en", t.title_de);
            t.uri = resolve_confined(m.root, uri, f.required_text("uri"),
                                     "twin manifest '" + shown + "': " + f.name("uri"));
            m.tours.push_back(std::move(t));
        }
    }
    return m;
}

}  // namespace zw::twin
