#include "engine/tiles/twin_manifest.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"

namespace zw::tiles {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json read_json(const fs::path& path, const char* what, const char* hint) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        fail("cannot open ", what, " '", path.string(), "': the file does not exist", hint);
    if (fs::is_directory(path, ec))
        fail("cannot open ", what, " '", path.string(), "': it is a folder", hint);
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot open ", what, " '", path.string(), "': permission denied or unreadable");
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded())
        fail("cannot read ", what, " '", path.string(), "': it is not valid JSON (is the file complete?)");
    if (!j.is_object())
        fail("cannot read ", what, " '", path.string(), "': expected a JSON object at the top");
    return j;
}

std::string string_or(const json& j, const char* key, const std::string& fallback = "") {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

double number_or(const json& j, const char* key, double fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

bool bool_or(const json& j, const char* key, bool fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

const json& object_or_empty(const json& j, const char* key) {
    static const json empty = json::object();
    const auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : empty;
}

}  // namespace

fs::path resolve_inside(const fs::path& base_dir, const std::string& uri) {
    std::string u = uri.substr(0, uri.find_first_of("?#"));
    const auto colon = u.find(':');
    const auto slash = u.find('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon < slash))
        fail("URI '", uri, "' is not a relative file path (only files inside the folder can be read)");
    u = core::percent_decode(u);
    if (u.empty()) fail("URI '", uri, "' is empty");
    const fs::path rel(u);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory() || u[0] == '/' || u[0] == '\\')
        fail("URI '", uri, "' is an absolute path; URIs must be relative to '", base_dir.string(), "'");
    const fs::path base = base_dir.lexically_normal();
    const fs::path full = (base / rel).lexically_normal();
    const fs::path inside = full.lexically_relative(base);
    if (inside.empty() || *inside.begin() == ".." || inside == ".")
        fail("URI '", uri, "' leads outside '", base_dir.string(), "' (by '..'); refused");
    return full;
}

TwinInfo read_twin(const fs::path& twin_dir_or_json) {
    std::error_code ec;
    fs::path manifest = twin_dir_or_json;
    if (fs::is_directory(twin_dir_or_json, ec)) {
        manifest = twin_dir_or_json / "twin.json";
        if (!fs::exists(manifest, ec)) {
            std::string twins;  // the bundle folder (OUT) instead of one of its twins?
            for (const auto& e : fs::directory_iterator(twin_dir_or_json, ec))
                if (fs::exists(e.path() / "twin.json", ec))
                    twins += (twins.empty() ? "" : ", ") + e.path().string();
            if (!twins.empty())
                fail("'", twin_dir_or_json.string(),
                     "' is a bundle folder, not one twin; open one of its twins: ", twins);
            fail("'", twin_dir_or_json.string(),
                 "' has no twin.json; expected a twin folder written by zwilling-bake (e.g. "
                 "out/town/citizen)");
        }
    }
    const json j = read_json(manifest, "twin manifest", "; expected a twin folder or its twin.json");
    const std::string format = string_or(j, "format");
    if (format != "zwilling-twin")
        fail("cannot read twin manifest '", manifest.string(), "': 'format' is '", format,
             "', expected \"zwilling-twin\" (is this a twin.json written by zwilling-bake?)");
    if (number_or(j, "format_version", 1) > 1)
        core::warn("twin manifest '", manifest.string(), "' has format_version ",
                   number_or(j, "format_version", 1), "; this viewer reads version 1 and tries anyway");

    TwinInfo info;
    info.folder = manifest.parent_path();
    const json& twin = object_or_empty(j, "twin");
    info.id = string_or(twin, "id");
    info.title_de = string_or(twin, "title_de");
    info.title_en = string_or(twin, "title_en", info.title_de);
    const json& town = object_or_empty(j, "town");
    info.town = string_or(town, "name");
    info.synthetic = bool_or(town, "synthetic", false);
    info.description_de = string_or(town, "description_de");
    info.description_en = string_or(town, "description_en");
    const json& origin = object_or_empty(j, "origin");
    if (!origin.contains("lat_deg") || !origin.contains("lon_deg") || !origin["lat_deg"].is_number() ||
        !origin["lon_deg"].is_number())
        fail("cannot read twin manifest '", manifest.string(),
             "': 'origin.lat_deg' and 'origin.lon_deg' are needed to place the twin on the globe");
    const double undulation = number_or(object_or_empty(j, "crs"), "geoid_undulation_m", 0.0);
    info.origin = {origin["lat_deg"].get<double>(), origin["lon_deg"].get<double>(),
                   number_or(origin, "height", 0.0) + undulation};
    if (const auto it = origin.find("ecef"); it != origin.end() && it->is_array() && it->size() == 3 &&
                                             (*it)[0].is_number() && (*it)[1].is_number() &&
                                             (*it)[2].is_number()) {
        const glm::dvec3 stored{(*it)[0].get<double>(), (*it)[1].get<double>(), (*it)[2].get<double>()};
        const double off = glm::length(stored - geo::geodetic_to_ecef(info.origin));
        if (off > 1.0)
            core::warn("twin manifest '", manifest.string(), "': origin.ecef is ", off,
                       " m away from origin.lat_deg/lon_deg/height; using lat/lon/height");
    }

    const auto layers = j.find("layers");
    if (layers == j.end() || !layers->is_array())
        fail("cannot read twin manifest '", manifest.string(), "': it has no 'layers' array");
    for (const json& l : *layers) {
        if (!l.is_object()) continue;
        TwinLayer layer;
        layer.id = string_or(l, "id");
        layer.title_de = string_or(l, "title_de", layer.id);
        layer.title_en = string_or(l, "title_en", layer.title_de);
        layer.tileset = string_or(l, "tileset");
        layer.default_visible = bool_or(l, "default_visible", false);
        info.layers.push_back(std::move(layer));
    }
    return info;
}

}  // namespace zw::tiles
