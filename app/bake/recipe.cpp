#include "app/bake/recipe.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/json_fields.h"

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
        seen_.push_back(key);
        auto it = j_.find(key);
        if (it == j_.end()) return;
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            // Whole numbers that fit: a negative seed or 4294967297 houses must not wrap.
            const bool fits = it->is_number_unsigned()
                                  ? it->template get<uint64_t>() <= uint64_t(std::numeric_limits<T>::max())
                                  : it->is_number_integer() && std::is_signed_v<T> &&
                                        it->template get<int64_t>() >= int64_t(std::numeric_limits<T>::min());
            if (!it->is_number_integer())
                fail("recipe '", file_.string(), "': '", where_, key, "' must be a whole number, not ",
                     it->dump());
            if (!fits)
                fail("recipe '", file_.string(), "': '", where_, key, "' must be a whole number from ",
                     +std::numeric_limits<T>::min(), " to ", +std::numeric_limits<T>::max(), ", not ",
                     it->dump());
        }
        try {
            out = it->template get<T>();
        } catch (const json::exception&) {
            fail("recipe '", file_.string(), "': '", where_, key, "' has the wrong type (", it->type_name(),
                 ")");
        }
        if constexpr (std::is_floating_point_v<T>) {
            if (!std::isfinite(out))
                fail("recipe '", file_.string(), "': '", where_, key, "' must be finite");
        }
    }
    template <typename T>
    void get(const char* key, std::optional<T>& out) {
        T v{};
        const auto before = j_.find(key);
        get(key, v);
        if (before != j_.end()) out = v;
    }
    // Text shown to people or written into the twins: printable UTF-8 (no NUL, no control
    // characters), 1 to max_bytes bytes unless it may be empty.
    void text(const char* key, std::string& out, size_t max_bytes, bool may_be_empty = false,
              bool allow_newlines = false) {
        const bool given = j_.contains(key);
        get(key, out);
        if (!given) return;
        if (out.empty() && !may_be_empty)
            fail("recipe '", file_.string(), "': '", where_, key, "' must not be empty");
        if (const std::string why = core::text_problem(out, max_bytes, allow_newlines); !why.empty())
            fail("recipe '", file_.string(), "': '", where_, key, "' ", why);
    }
    const json* child(const char* key) {
        seen_.push_back(key);
        auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }
    // Unknown keys are typos: refuse them, naming the nearest known key.
    void finish() {
        for (const auto& [key, value] : j_.items()) {
            if (std::find(seen_.begin(), seen_.end(), key) == seen_.end())
                fail("recipe '", file_.string(), "': ", core::unknown_key(key, where_ + key, seen_));
        }
    }

  private:
    const json& j_;
    std::string where_;
    const std::filesystem::path& file_;
    std::vector<std::string> seen_;  // the keys read here, in order: the known ones
};

// `key` must lie within [lo, hi] (the recipe's documented ranges, recipe.h).
void in_range(const std::filesystem::path& file, const std::string& key, double v, double lo, double hi,
              const char* unit = "") {
    if (!(v >= lo && v <= hi))
        fail("recipe '", file.string(), "': '", key, "' must be between ", core::number_text(lo), " and ",
             core::number_text(hi), unit, ", not ", core::number_text(v));
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

// `critical_sites`: per twin "named" or "generic"; only the council's is a choice.
void read_critical_sites(const json& j, const std::filesystem::path& path, Recipe& r) {
    if (!j.is_object()) fail("recipe '", path.string(), "': 'critical_sites' must be a JSON object");
    for (const auto& [twin, value] : j.items()) {
        const std::string where = "recipe '" + path.string() + "': 'critical_sites." + twin + "'";
        if (!value.is_string() || (value != "named" && value != "generic"))
            fail(where, " must be \"named\" or \"generic\", not ", value.dump());
        const bool named = value == "named";
        if (twin == "council") {
            r.council_names_critical_sites = named;
        } else if (twin == "citizen") {
            if (named)
                fail(where, " cannot be \"named\": the citizens' twin never names critical infrastructure ",
                     "(docs/twin-bundle.md); leave it out");
        } else if (twin == "administration") {
            if (!named)
                fail(where, " cannot be \"generic\": the administration twin keeps the critical sites; ",
                     "leave it out");
        } else {
            fail("recipe '", path.string(), "': unknown key 'critical_sites.", twin,
                 "' (the twins are citizen, council and administration)");
        }
    }
}

}  // namespace

Recipe load_recipe(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        fail("cannot read recipe '", path.string(), "': it is a folder, not a file (name the .json file)");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read recipe '", path.string(), "': the file does not exist or is not readable");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_recipe(text, path);
}

Recipe parse_recipe(std::string_view text, const std::filesystem::path& path) {
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail("recipe '", path.string(), "' nests deeper than ", core::max_json_depth, " levels; refused");
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e400
        fail("recipe '", path.string(), "' is not valid JSON: ", e.what());
    }
    Recipe r;
    r.path = path;
    Reader top(j, "", path);
    top.text("name", r.name, max_name_bytes);
    top.text("description_de", r.description_de, max_description_bytes, true, true);
    top.text("description_en", r.description_en, max_description_bytes, true, true);
    top.get("seed", r.seed);
    top.get("extent_m", r.extent_m);
    top.get("built_up_radius_m", r.built_up_radius_m);
    top.get("town_radius_m", r.town_radius_m);
    top.get("building_target", r.building_target);
    top.get("pond_count", r.pond_count);
    top.get("planned_houses", r.planned_houses);
    top.text("planning_name", r.planning_name, max_name_bytes);
    top.get("flood_scenarios", r.flood_scenarios);
    std::string comment;  // free text for people reading the recipe
    top.text("$comment", comment, 100000, true, true);
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
        rd.text("name", r.creek_name, max_name_bytes);
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
    if (const json* o = top.child("traffic")) {
        Reader rd(*o, "traffic.", path);
        rd.get("network", r.traffic_network);
        rd.get("signal_at_market", r.signal_at_market);
        rd.get("scenarios", r.traffic_scenarios);
        rd.finish();
        if (r.traffic_scenarios && !r.traffic_network)
            fail("recipe '", path.string(),
                 "': 'traffic.scenarios' needs 'traffic.network': true (SUMO runs on it)");
    }
    if (const json* o = top.child("tiling")) read_tiling(*o, path, r);
    if (const json* o = top.child("critical_sites")) read_critical_sites(*o, path, r);
    if (const json* o = top.child("tours")) {
        if (!o->is_array() || !std::all_of(o->begin(), o->end(), [](const json& t) {
                return t.is_string() && !t.get<std::string>().empty() && t.get<std::string>().size() <= 4096;
            }))
            fail("recipe '", path.string(), "': 'tours' must be a list of tour files (docs/tours.md)");
        for (const json& t : *o) {
            const std::filesystem::path f(t.get<std::string>());
            r.tours.push_back(f.is_absolute() ? f : path.parent_path() / f);
        }
    }
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
            rd.text("file", file, 4096);
            rd.text("crs", s.crs, max_name_bytes);
            rd.get("position", position);
            rd.get("rotation_deg", s.rotation_deg);
            rd.get("scale", s.scale);
            rd.text("layer_id", s.layer_id, max_name_bytes, true);  // empty: the import's default id
            rd.text("title_de", s.title_de, max_name_bytes, true);
            rd.text("title_en", s.title_en, max_name_bytes, true);
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
                // Inside EPSG:25832's zone (its easting and northing numbers), on Earth's surface.
                in_range(path, where + "position[0]", s.position.x, min_easting_m, max_easting_m,
                         " m (easting)");
                in_range(path, where + "position[1]", s.position.y, min_northing_m, max_northing_m,
                         " m (northing)");
                in_range(path, where + "position[2]", s.position.z, min_height_m, max_height_m,
                         " m (height)");
            }
            in_range(path, where + "rotation_deg", s.rotation_deg, -360, 360, " degrees");
            in_range(path, where + "scale", s.scale, 1e-4, 1e4);
            if (s.access != "citizen" && s.access != "council" && s.access != "administration")
                fail("recipe '", path.string(), "': '", where,
                     "access' must be citizen, council or administration, not '", s.access, "'");
            r.imports.push_back(std::move(s));
        }
    }
    top.finish();
    // The documented ranges (recipe.h), in the order of the file.
    in_range(path, "origin.lat_deg", r.origin_lat_deg, min_lat_deg, max_lat_deg,
             " degrees north (EPSG:25832's zone, UTM 32N)");
    in_range(path, "origin.lon_deg", r.origin_lon_deg, min_lon_deg, max_lon_deg,
             " degrees east (EPSG:25832's zone, UTM 32N)");
    in_range(path, "origin.height_m", r.origin_height_m, min_height_m, max_height_m, " m");
    in_range(path, "origin.geoid_undulation_m", r.geoid_undulation_m, -110, 90, " m");
    in_range(path, "extent_m", r.extent_m, min_extent_m, max_extent_m, " m");
    in_range(path, "built_up_radius_m", r.built_up_radius_m, 100, r.extent_m / std::sqrt(2.0),
             " m (the square's half diagonal: extent_m / sqrt 2)");
    in_range(path, "terrain.hill_amplitude_m", r.hill_amplitude_m, 0, 500, " m");
    in_range(path, "terrain.fine_cell_m", r.fine_cell_m, min_cell_m, max_cell_m, " m");
    in_range(path, "terrain.outer_cell_m", r.outer_cell_m, r.fine_cell_m, max_cell_m,
             " m (no finer than terrain.fine_cell_m)");
    in_range(path, "creek.drop_m", r.creek_drop_m, 0, 500, " m");
    in_range(path, "creek.channel_depth_m", r.channel_depth_m, 0.1, 20, " m");
    in_range(path, "creek.channel_width_m", r.channel_width_m, 0.5, 200, " m");
    in_range(path, "creek.water_depth_m", r.creek_water_depth_m, 0, r.channel_depth_m,
             " m (no deeper than creek.channel_depth_m)");
    in_range(path, "creek.floodplain_half_width_m", r.floodplain_half_width_m, r.channel_width_m / 2, 5000,
             " m (at least half the channel's width)");
    in_range(path, "creek.floodplain_rise_m", r.floodplain_rise_m, 0, 50, " m");
    in_range(path, "creek.meander_amplitude_m", r.meander_amplitude_m, 0, 5000, " m");
    in_range(path, "pond_count", r.pond_count, 0, max_pond_count);
    in_range(path, "building_target", r.building_target, 0, max_building_target);
    in_range(path, "planned_houses", r.planned_houses, 0, max_planned_houses,
             " (the draft development area has room for 24)");
    for (const auto& [layer, t] : r.tiling)
        if (t.drop_size_m)
            in_range(path, "tiling." + layer + ".drop_size_m", *t.drop_size_m, 0, r.extent_m, " m");
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
    in_range(path, "villages.gap_m", r.villages.gap_m, 0, 10000, " m");
    return r;
}

BakeMemory estimate_bake_memory(const Recipe& r) {
    BakeMemory m;
    const double pi = 3.14159265358979323846;
    const double area = r.extent_m * r.extent_m;
    const double built_up = std::min(area, pi * r.built_up_radius_m * r.built_up_radius_m);
    // Terrain: every tile of every level is held until written; the levels above the
    // finest add a third. Fine cells inside the built-up disk, outer cells everywhere.
    const double fine_cells = built_up / (r.fine_cell_m * r.fine_cell_m);
    const double outer_cells = area / (r.outer_cell_m * r.outer_cell_m);
    m.terrain = (fine_cells + outer_cells) * 4.0 / 3.0 * bytes_per_terrain_cell;
    // Buildings (each with its LODs and attributes) and the trees in their gardens.
    m.buildings = double(r.building_target) * bytes_per_building;
    // Forest and field trees: one try per 16 m x 16 m outside the built-up area.
    m.trees = std::max(0.0, area - built_up) / (16.0 * 16.0) * bytes_per_open_land_tree_slot;
    // The HQ100 runs: the flood raster spans the extent at 10 m, about 1 km across the
    // creek, and keeps a depth and velocity frame every 300 s for 6 h per scenario.
    if (r.flood_scenarios) {
        const double cells = (r.extent_m / 10.0) * ((2 * 450.0 + 2.8 * r.meander_amplitude_m) / 10.0);
        m.flood = cells * bytes_per_flood_cell;
    }
    m.total = bytes_base + m.terrain + m.buildings + m.trees + m.flood;
    return m;
}

void check_bake_memory(const Recipe& r, double limit_bytes, const std::string& limit_source) {
    const BakeMemory m = estimate_bake_memory(r);
    if (m.total <= limit_bytes) return;
    auto gib = [](double b) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f GiB", b / double(uint64_t(1) << 30));
        return std::string(buf);
    };
    fail("recipe '", r.path.string(), "': the bake would need about ", gib(m.total), " of memory (terrain ",
         gib(m.terrain), ", buildings ", gib(m.buildings), ", trees ", gib(m.trees), ", flood ", gib(m.flood),
         "), more than the limit of ", gib(limit_bytes), " (", limit_source,
         "). Make the town smaller (extent_m, building_target), its terrain coarser "
         "(terrain.fine_cell_m, terrain.outer_cell_m) or leave out the flood scenarios (--no-flood); "
         "or, on a machine with more memory, raise the limit with --max-memory GIB.");
}

}  // namespace zw::bake
