#include "app/bake/recipe.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace zw::bake {
namespace {

using nlohmann::json;

class Reader {
  public:
    Reader(const json& j, std::string where, const std::filesystem::path& file)
        : j_(j), where_(std::move(where)), file_(file) {
        if (!j_.is_object()) fail("recipe '", file_.string(), "': ", where_, " must be a JSON object");
    }
    ~Reader() = default;

    template <typename T>
    void get(const char* key, T& out) {
        seen_.insert(key);
        auto it = j_.find(key);
        if (it == j_.end()) return;
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            if (!it->is_number_integer())
                fail("recipe '", file_.string(), "': '", where_, key, "' must be a whole number, not ",
                     it->dump());
        }
        try {
            out = it->template get<T>();
        } catch (const json::exception&) {
            fail("recipe '", file_.string(), "': '", where_, key, "' has the wrong type (", it->type_name(),
                 ")");
        }
    }
    template <typename T>
    void get(const char* key, std::optional<T>& out) {
        T v{};
        const auto before = j_.find(key);
        get(key, v);
        if (before != j_.end()) out = v;
    }
    const json* child(const char* key) {
        seen_.insert(key);
        auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }
    // Unknown keys are typos: refuse them.
    void finish() {
        for (const auto& [key, value] : j_.items()) {
            if (!seen_.count(key))
                fail("recipe '", file_.string(), "': unknown key '", where_, key, "' (check the spelling)");
        }
    }

  private:
    const json& j_;
    std::string where_;
    const std::filesystem::path& file_;
    std::set<std::string> seen_;
};

void positive(const std::filesystem::path& file, const char* key, double v) {
    if (!(v > 0)) fail("recipe '", file.string(), "': '", key, "' must be positive, not ", v);
}

// The town layers a recipe may tile differently (imports are tiled by their defaults).
const char* const tiled_layers[] = {"buildings", "roads", "water", "trees", "planning", "utilities"};

void read_tiling(const json& j, const std::filesystem::path& path, Recipe& r) {
    if (!j.is_object()) fail("recipe '", path.string(), "': 'tiling' must be a JSON object");
    for (const auto& [layer, value] : j.items()) {
        if (std::find(std::begin(tiled_layers), std::end(tiled_layers), layer) == std::end(tiled_layers))
            fail("recipe '", path.string(), "': unknown key 'tiling.", layer,
                 "' (layers: buildings, roads, water, trees, planning, utilities)");
        const std::string where = "tiling." + layer + ".";
        Reader rd(value, where, path);
        LayerTiling t;
        rd.get("max_level", t.max_level);
        rd.get("leaf_triangles", t.leaf_triangles);
        rd.get("leaf_features", t.leaf_features);
        rd.get("drop_size_m", t.drop_size_m);
        rd.finish();
        auto bad = [&](const char* key, const char* rule) {
            fail("recipe '", path.string(), "': '", where, key, "' must be ", rule);
        };
        // Level 16 is a 6 cm leaf on a 4 km town: deeper is a typo.
        if (t.max_level && (*t.max_level < 0 || *t.max_level > 16)) bad("max_level", "between 0 and 16");
        if (t.leaf_triangles && *t.leaf_triangles < 1) bad("leaf_triangles", "at least 1");
        if (t.leaf_features && *t.leaf_features < 0) bad("leaf_features", "0 (any number) or more");
        if (t.drop_size_m && !(*t.drop_size_m >= 0)) bad("drop_size_m", "0 (keep every feature) or more");
        r.tiling[layer] = t;
    }
}

}  // namespace

Recipe load_recipe(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read recipe '", path.string(), "': the file does not exist or is not readable");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::parse_error& e) {
        fail("recipe '", path.string(), "' is not valid JSON: ", e.what());
    }
    Recipe r;
    r.path = path;
    Reader top(j, "", path);
    top.get("name", r.name);
    top.get("description_de", r.description_de);
    top.get("description_en", r.description_en);
    top.get("seed", r.seed);
    top.get("extent_m", r.extent_m);
    top.get("built_up_radius_m", r.built_up_radius_m);
    top.get("town_radius_m", r.town_radius_m);
    top.get("building_target", r.building_target);
    top.get("pond_count", r.pond_count);
    top.get("planned_houses", r.planned_houses);
    top.get("planning_name", r.planning_name);
    top.get("flood_scenarios", r.flood_scenarios);
    std::string comment;  // free text for people reading the recipe
    top.get("$comment", comment);
    if (const json* o = top.child("origin")) {
        Reader rd(*o, "origin.", path);
        rd.get("lat_deg", r.origin_lat_deg);
        rd.get("lon_deg", r.origin_lon_deg);
        rd.get("height_m", r.origin_height_m);
        rd.get("geoid_undulation_m", r.geoid_undulation_m);
        rd.finish();
    }
    if (const json* o = top.child("terrain")) {
        Reader rd(*o, "terrain.", path);
        rd.get("hill_amplitude_m", r.hill_amplitude_m);
        rd.get("fine_cell_m", r.fine_cell_m);
        rd.get("outer_cell_m", r.outer_cell_m);
        rd.finish();
    }
    if (const json* o = top.child("creek")) {
        Reader rd(*o, "creek.", path);
        rd.get("name", r.creek_name);
        rd.get("drop_m", r.creek_drop_m);
        rd.get("channel_depth_m", r.channel_depth_m);
        rd.get("channel_width_m", r.channel_width_m);
        rd.get("water_depth_m", r.creek_water_depth_m);
        rd.get("floodplain_half_width_m", r.floodplain_half_width_m);
        rd.get("floodplain_rise_m", r.floodplain_rise_m);
        rd.get("meander_amplitude_m", r.meander_amplitude_m);
        rd.finish();
    }
    if (const json* o = top.child("villages")) {
        Reader rd(*o, "villages.", path);
        rd.get("count", r.villages.count);
        rd.get("radius_m", r.villages.radius_m);
        rd.get("gap_m", r.villages.gap_m);
        rd.finish();
    }
    if (const json* o = top.child("tiling")) read_tiling(*o, path, r);
    if (const json* o = top.child("imports")) {
        if (!o->is_array()) fail("recipe '", path.string(), "': 'imports' must be an array");
        int n = 0;
        for (const json& item : *o) {
            const std::string where = "imports[" + std::to_string(n++) + "].";
            Reader rd(item, where, path);
            ImportSpec s;
            std::string kind = "model", file;
            std::vector<double> position;
            rd.get("kind", kind);
            rd.get("file", file);
            rd.get("crs", s.crs);
            rd.get("position", position);
            rd.get("rotation_deg", s.rotation_deg);
            rd.get("scale", s.scale);
            rd.get("layer_id", s.layer_id);
            rd.get("title_de", s.title_de);
            rd.get("title_en", s.title_en);
            rd.get("access", s.access);
            rd.finish();
            if (kind == "model") {
                s.kind = ImportSpec::Kind::model;
            } else if (kind == "citygml") {
                s.kind = ImportSpec::Kind::citygml;
            } else {
                fail("recipe '", path.string(), "': '", where,
                     "kind' must be \"model\" or \"citygml\", not '", kind, "'");
            }
            if (file.empty()) fail("recipe '", path.string(), "': '", where, "file' is missing");
            s.file = std::filesystem::path(file).is_absolute() ? std::filesystem::path(file)
                                                               : path.parent_path() / file;
            if (s.kind == ImportSpec::Kind::model) {
                if (position.size() != 3)
                    fail("recipe '", path.string(), "': '", where,
                         "position' must be [easting, northing, height] in EPSG:25832 metres");
                s.position = {position[0], position[1], position[2]};
            }
            if (s.access != "citizen" && s.access != "council" && s.access != "administration")
                fail("recipe '", path.string(), "': '", where,
                     "access' must be citizen, council or administration, not '", s.access, "'");
            r.imports.push_back(std::move(s));
        }
    }
    top.finish();
    positive(path, "extent_m", r.extent_m);
    positive(path, "built_up_radius_m", r.built_up_radius_m);
    positive(path, "terrain.fine_cell_m", r.fine_cell_m);
    positive(path, "terrain.outer_cell_m", r.outer_cell_m);
    if (r.building_target < 0 || r.building_target > max_building_target)
        fail("recipe '", path.string(), "': 'building_target' must be between 0 and ", max_building_target);
    if (j.contains("town_radius_m") && !(r.town_radius_m > 0 && r.town_radius_m <= r.built_up_radius_m))
        fail("recipe '", path.string(),
             "': 'town_radius_m' must be positive and at most 'built_up_radius_m' (", r.built_up_radius_m,
             ")");
    if (r.villages.count < 0 || r.villages.count > 400)
        fail("recipe '", path.string(), "': 'villages.count' must be between 0 and 400");
    if (r.villages.count > 0 && !(r.villages.radius_m > 0 && r.villages.radius_m < r.built_up_radius_m))
        fail("recipe '", path.string(), "': 'villages.radius_m' must be positive and less than ",
             "'built_up_radius_m' (", r.built_up_radius_m, "): villages lie inside the built-up area");
    if (!(r.villages.gap_m >= 0)) fail("recipe '", path.string(), "': 'villages.gap_m' must be 0 or more");
    return r;
}

}  // namespace zw::bake
