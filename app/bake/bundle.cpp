#include "app/bake/bundle.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "app/bake/critical_sites.h"
#include "app/bake/flood_bundle.h"
#include "app/bake/glb_writer.h"
#include "app/bake/output_dir.h"
#include "app/bake/surface.h"
#include "app/bake/tiler.h"
#include "app/bake/town.h"
#include "app/bake/town_layers.h"
#include "app/bake/traffic_bundle.h"
#include "app/bake/traffic_network.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/geo/utm.h"
#include "engine/scenario/traffic/sumo_tools.h"
#include "engine/twin/addresses.h"
#include "engine/twin/tour.h"

namespace zw::bake {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

double round_to(double v, double unit) {
    return std::round(v / unit) * unit;
}

// A layer ready to write: tiles plus what the manifest says about it.
struct BakedLayer {
    std::string id, title_de, title_en, group;
    Access access = Access::citizen;
    bool default_visible = true;
    FeatureLayer* features = nullptr;     // null for terrain; its meshes are let go once tiled
    std::optional<FeatureLayer> generic;  // its values where critical sites are not named
    TiledLayer tiles;
    json legend = json::array();
};

json legend_entry(uint32_t hex, const char* de, const char* en) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%06x", hex);
    return {{"color", buf}, {"label_de", de}, {"label_en", en}};
}

// A twin that may not name critical sites has the generic public use in their place.
json building_legend(bool name_critical_sites) {
    json out = json::array(
        {legend_entry(0xe9dcc0, "Wohnhaus", "House"),
         legend_entry(0xe2cfa8, "Mehrfamilienhaus", "Apartment building"),
         legend_entry(0xd8b98a, "Bauernhaus", "Farmhouse"), legend_entry(0x9a7a56, "Scheune", "Barn"),
         legend_entry(0xc9c4b8, "Garage, Nebengebäude", "Garage, outbuilding"),
         legend_entry(0xb7bcc2, "Gewerbe", "Commercial"), legend_entry(0xf2efe8, "Kirche", "Church"),
         legend_entry(0xe6c45c, "Rathaus", "Town hall"), legend_entry(0xe7a96b, "Schule", "School"),
         legend_entry(0xc0392b, "Feuerwehr", "Fire station")});
    if (name_critical_sites) {
        out.push_back(legend_entry(0x7fa3c0, "Wasserwerk, Pumpwerk", "Water works, pumping station"));
        out.push_back(legend_entry(0x8c7fc0, "Umspannwerk", "Substation"));
        out.push_back(legend_entry(0x6fb0a8, "Kläranlage", "Wastewater plant"));
    } else {
        out.push_back(legend_entry(generic_public_wall, std::string(generic_public_use).c_str(),
                                   std::string(generic_public_use_en).c_str()));
    }
    return out;
}

const char* type_name(PropertyType t) {
    switch (t) {
        case PropertyType::string:
            return "string";
        case PropertyType::int32:
            return "int32";
        case PropertyType::float64:
            return "float64";
    }
    return "?";
}

std::vector<size_t> allowed_properties(const FeatureClass& cls, Access level) {
    std::vector<size_t> out;
    for (size_t i = 0; i < cls.properties.size(); ++i)
        if (cls.properties[i].access <= level) out.push_back(i);
    return out;
}

json box_json(const Box& b) {
    const glm::dvec3 c = (b.lo + b.hi) / 2.0, h = (b.hi - b.lo) / 2.0;
    auto r = [](double v) { return round_to(v, 1e-3); };
    // Rounding to the millimetre must not shrink the box: grow by 1 mm.
    return json::array(
        {r(c.x), r(c.y), r(c.z), r(h.x) + 0.001, 0, 0, 0, r(h.y) + 0.001, 0, 0, 0, r(h.z) + 0.001});
}

json tile_json(const TiledLayer& layer, uint32_t index) {
    const Tile& t = layer.tiles[index];
    json j = {{"boundingVolume", {{"box", box_json(t.box)}}},
              {"geometricError", round_to(t.geometric_error, 1e-3)}};
    if (!t.content.indices.empty()) j["content"] = {{"uri", t.uri()}};
    if (!t.children.empty()) {
        j["children"] = json::array();
        for (uint32_t c : t.children)
            j["children"].push_back(tile_json(layer, c));
    }
    return j;
}

json tileset_json(const BakedLayer& layer, const Frame& frame, const Recipe& recipe) {
    json root = tile_json(layer.tiles, 0);
    root["refine"] = "REPLACE";
    json transform = json::array();
    const glm::dmat4& m = frame.enu_to_ecef();
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r)
            transform.push_back(m[c][r]);
    root["transform"] = transform;
    const double top = round_to(layer.tiles.tiles[0].geometric_error * 2 + 1, 1e-3);
    return {{"asset",
             {{"version", "1.1"},
              {"generator", "zwilling-bake"},
              {"tilesetVersion", "seed " + std::to_string(recipe.seed)}}},
            {"geometricError", top},
            {"root", root}};
}

json road_graph_json(const Town& town, const Frame& frame) {
    const double e0 = frame.origin_easting(), n0 = frame.origin_northing(), h0 = frame.origin_height();
    json nodes = json::array(), edges = json::array();
    for (size_t i = 0; i < town.nodes.size(); ++i) {
        const glm::dvec3& p = town.nodes[i].position;
        nodes.push_back({{"id", "n" + std::to_string(i)},
                         {"x", round_to(e0 + p.x, 0.01)},
                         {"y", round_to(n0 + p.y, 0.01)},
                         {"z", round_to(h0 + p.z, 0.01)}});
    }
    for (size_t i = 0; i < town.edges.size(); ++i) {
        const RoadEdge& e = town.edges[i];
        const Road& r = town.roads[e.road];
        json shape = json::array();
        for (const glm::dvec2& p : e.shape)
            shape.push_back({round_to(e0 + p.x, 0.01), round_to(n0 + p.y, 0.01)});
        edges.push_back({{"id", "e" + std::to_string(i)},
                         {"from", "n" + std::to_string(e.from)},
                         {"to", "n" + std::to_string(e.to)},
                         {"name", r.name},
                         {"class", road_class_name(r.cls)},
                         {"lanes", r.lanes},
                         {"speed_kmh", r.speed_kmh},
                         {"oneway", false},
                         {"length_m", round_to(e.length, 0.01)},
                         {"shape", shape}});
    }
    return {{"crs", "EPSG:25832"}, {"nodes", nodes}, {"edges", edges}};
}

struct Departments {
    const char* id;
    const char* de;
    const char* en;
    std::vector<std::string> layers;
};

json departments_json(const std::vector<BakedLayer>& layers) {
    auto has = [&](const std::string& id) {
        for (const BakedLayer& l : layers)
            if (l.id == id) return true;
        return false;
    };
    std::vector<std::string> imports;
    for (const BakedLayer& l : layers)
        if (l.group == "import") imports.push_back(l.id);
    const Departments all[] = {
        {"bauamt",
         "Bauamt",
         "Planning and building office",
         {"terrain", "buildings", "roads", "water", "trees", "planning"}},
        {"bauhof",
         "Bauhof",
         "Building yard",
         {"terrain", "buildings", "roads", "water", "trees", "utilities"}},
        {"ordnungsamt",
         "Ordnungsamt (Katastrophenschutz)",
         "Public order (civil protection)",
         {"terrain", "buildings", "roads", "water", "trees", "utilities"}},
    };
    json out = json::array();
    for (const Departments& d : all) {
        json ids = json::array();
        for (const std::string& l : d.layers)
            if (has(l)) ids.push_back(l);
        if (std::string(d.id) == "bauamt")
            for (const std::string& l : imports)
                ids.push_back(l);
        out.push_back({{"id", d.id}, {"title_de", d.de}, {"title_en", d.en}, {"layers", ids}});
    }
    return out;
}

}  // namespace

const std::vector<TwinSpec>& twin_specs() {
    static const std::vector<TwinSpec> specs = {
        {"citizen", "public", "Bürgerzwilling", "Citizens' twin", Access::citizen},
        {"council", "council", "Ratszwilling", "Council twin", Access::council},
        {"administration", "staff", "Verwaltungszwilling", "Administration twin", Access::administration},
    };
    return specs;
}

const std::vector<ReservedName>& reserved_names() {
    static const std::vector<ReservedName> names = {
        {"twin.json", "the twin's manifest"},
        {"scenarios", "the flood scenarios, which the server gives every department"},
        {"views", "the town's tours and surface grid, which the server gives every department"},
        {"server", "the server configuration (OUT/server/)"},
        {"bake-report.json", "the bake's report"},
        {".zwilling-bake", "the mark of a folder the bake may replace"},
        {"citizen", "a twin's folder"},
        {"council", "a twin's folder"},
        {"administration", "a twin's folder"},
    };
    return names;
}

std::string printable_id(const std::string& id) {
    std::string out;
    for (const char c : id) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '\\') {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out;
}

std::string layer_id_problem(const std::string& id) {
    for (const ReservedName& r : reserved_names())
        if (id == r.name)
            return std::string("is reserved: the bundle uses '") + r.name + "' for " + r.use +
                   "; choose another layer id";
    const auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (id.empty() || id.size() > 64 ||
        !std::all_of(id.begin(), id.end(), [&](char c) { return lower_or_digit(c) || c == '_' || c == '-'; }))
        return "is not usable as a folder name; use 1 to 64 lowercase ASCII letters, digits, '_' or '-'";
    if (!lower_or_digit(id[0])) return "must start with a lowercase letter or a digit";
    return "";
}

TilingOptions tiling_options(const std::string& layer_id, const Recipe& recipe) {
    TilingOptions o;
    double drop = 0;
    if (layer_id == "buildings" || layer_id == "trees") {
        o.max_level = 4;
        // Coarse tiles keep every house as a block and leave out only sheds and
        // garages (buildings) or small trees: a town seen from a kilometre away must not
        // lose its houses, and a block costs a dozen triangles.
        drop = layer_id == "buildings" ? 8 : 16;
    } else if (layer_id == "roads" || layer_id == "utilities") {
        o.max_level = 3;
    } else if (layer_id == "planning") {
        o.max_level = 1;
    } else {
        o.max_level = 2;  // water and imports
    }
    // Larger towns: one more level per doubling of the extent, so that leaves keep their
    // size, and coarse tiles leave out what is small against their size. Roads and
    // utilities keep every piece in the sample town; a larger town has too many for its
    // coarse tiles' budget, so they leave out short pieces as well.
    const double scale = std::max(1.0, recipe.extent_m / 4096);
    o.max_level += int(std::lround(std::log2(scale)));
    if (scale > 1 && (layer_id == "roads" || layer_id == "utilities")) drop = 160;
    // A larger town has too many houses for its coarse tiles' 2 MB: they leave out what
    // is small against their size.
    if (scale > 1 && (layer_id == "buildings" || layer_id == "trees")) drop = 40;
    o.drop_size = drop * scale;
    if (auto it = recipe.tiling.find(layer_id); it != recipe.tiling.end()) {
        const LayerTiling& t = it->second;
        if (t.max_level) o.max_level = *t.max_level;
        if (t.leaf_triangles) o.leaf_triangles = size_t(*t.leaf_triangles);
        if (t.leaf_features) o.leaf_features = size_t(*t.leaf_features);
        if (t.drop_size_m) o.drop_size = *t.drop_size_m;
    }
    return o;
}

Frame make_frame(const Recipe& r) {
    const geo::Utm u = geo::geodetic_to_utm(r.origin_lat_deg, r.origin_lon_deg, geo::epsg25832_zone);
    return Frame(round_to(u.easting, 0.01), round_to(u.northing, 0.01), r.origin_height_m,
                 r.geoid_undulation_m);
}

// The twin's views/ folder (docs/tours.md): its surface grid and the town's tours with the
// views it can show (every layer and scenario a view names is in this twin's `manifest`);
// returns the manifest's "views" entry and says in `report` which views were left out.
json write_views(const std::filesystem::path& dir, const json& manifest, const std::vector<twin::Tour>& tours,
                 const scenario::AsciiGrid& surface, const std::string& addresses, json& report) {
    std::set<std::string> ids;
    for (const json& l : manifest["layers"])
        ids.insert(l["id"].get<std::string>());
    std::set<std::string> scenarios;
    if (manifest.contains("scenarios"))
        for (const json& s : manifest["scenarios"])
            scenarios.insert(s["id"].get<std::string>());
    auto shown = [&](const twin::TourView& v) {
        for (const auto* id : {&v.flood, &v.flood_compare, &v.traffic, &v.traffic_b})
            if (*id && !(*id)->empty() && !scenarios.count(**id)) return false;
        return !v.layers || std::all_of(v.layers->begin(), v.layers->end(),
                                        [&](const std::string& l) { return ids.count(l) > 0; });
    };
    std::filesystem::create_directories(dir / "views");
    scenario::write_ascii_grid((dir / "views" / "surface.asc").string(), surface, 1);
    write_file(dir / "views" / "addresses.json", addresses);
    json entry = {
        {"surface", "views/surface.asc"}, {"addresses", "views/addresses.json"}, {"tours", json::array()}};
    report = json::object();
    for (const twin::Tour& tour : tours) {
        twin::Tour kept = tour;
        kept.views.clear();
        for (const twin::TourView& v : tour.views) {
            if (shown(v))
                kept.views.push_back(v);
            else
                report[tour.id]["left_out"].push_back(v.id.empty() ? v.title_en : v.id);
        }
        report[tour.id]["views"] = kept.views.size();
        if (kept.views.empty()) continue;
        write_file(dir / "views" / (tour.id + ".json"), twin::tour_json(kept));
        entry["tours"].push_back({{"id", tour.id},
                                  {"title_de", tour.title_de},
                                  {"title_en", tour.title_en},
                                  {"uri", "views/" + tour.id + ".json"}});
    }
    return entry;
}

json bake(const Recipe& recipe, std::vector<FeatureLayer> imported, const BakeOptions& options) {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    auto seconds = [](clock::time_point a) {
        return std::chrono::duration<double>(clock::now() - a).count();
    };
    json report;
    std::vector<TwinSpec> twins;
    for (const TwinSpec& twin : twin_specs())
        if (options.twins.empty() ||
            std::find(options.twins.begin(), options.twins.end(), twin.id) != options.twins.end())
            twins.push_back(twin);
    for (const std::string& id : options.twins)
        if (std::none_of(twin_specs().begin(), twin_specs().end(),
                         [&](const TwinSpec& t) { return t.id == id; }))
            fail("unknown twin '", id, "': the twins are citizen, council and administration");
    {
        // A layer's id is its folder and its path on the server: refuse what would share
        // one with the bundle, the town or another import before anything is written.
        std::set<std::string> taken(town_layer_ids().begin(), town_layer_ids().end());
        taken.insert("terrain");
        for (const FeatureLayer& l : imported) {
            if (const std::string problem = layer_id_problem(l.id); !problem.empty())
                fail("the layer id '", printable_id(l.id), "' of an import ", problem,
                     " (--layer ID, or layer_id in the recipe's imports)");
            if (!taken.insert(l.id).second)
                fail("the layer id '", l.id,
                     "' is taken by the town or another import; give each import its own --layer");
        }
    }
    // The traffic network needs netconvert: a bake that cannot build it fails now, not
    // after the tiles and the flood runs. Failing (rather than leaving the network out)
    // keeps a recipe's twins complete; --no-traffic leaves it out on purpose.
    const bool traffic = recipe.traffic_network && options.traffic;
    if (traffic) {
        try {
            scenario::traffic::find_sumo_tool("netconvert");
        } catch (const Error& e) {
            fail("the recipe", recipe.path.empty() ? std::string() : " '" + recipe.path.string() + "'",
                 " asks for the town's traffic network (traffic.network), ",
                 "which the bake builds with SUMO's netconvert: ", e.what(),
                 "; or bake without it (zwilling-bake --no-traffic)");
        }
    }
    // The town's tours: a broken tour file fails the bake now, before the long work.
    std::vector<twin::Tour> tours;
    for (const std::filesystem::path& f : recipe.tours) {
        tours.push_back(twin::parse_tour(scenario::read_input_file(f.string(), "tour"), f.string()));
        if (layer_id_problem(tours.back().id) != "")
            fail("the tour '", f.string(),
                 "' needs an id of letters, digits, '_' and '-' (its file name in the "
                 "twin)");
    }
    Access widest = Access::citizen;  // layers above it are not tiled at all
    for (const TwinSpec& twin : twins)
        widest = std::max(widest, twin.level);
    StagedOutput staged(options.out);  // refuses a foreign folder before any work
    const Frame frame = make_frame(recipe);

    auto t = clock::now();
    const Town town = generate_town(recipe);
    double generate_s = seconds(t), terrain_s = 0, tiling_s = 0, write_s = 0;

    // One layer at a time: its meshes built, tiled, written into every twin that may
    // hold it, and let go, so that a large town's meshes and tiles are never all in
    // memory at once. Tiles are made once per layer; the twins differ only in which
    // layers and columns they get. The manifests come last, from the layers' descriptions.
    const json graph = road_graph_json(town, frame);
    std::vector<BakedLayer> layers;  // what the manifests list, in drawing order
    std::vector<uint64_t> twin_bytes(twins.size(), 0);
    auto tile_and_write = [&](BakedLayer& l) {
        t = clock::now();
        if (!l.features) {
            TerrainOptions to;
            to.threads = options.threads;
            to.grid = 128;
            to.fine_level =
                int(std::lround(std::log2(2 * town.terrain.half_extent() / (to.grid * recipe.fine_cell_m))));
            to.outer_level =
                int(std::lround(std::log2(2 * town.terrain.half_extent() / (to.grid * recipe.outer_cell_m))));
            to.fine_level = std::clamp(to.fine_level, 1, 8);
            to.outer_level = std::clamp(to.outer_level, 0, to.fine_level);
            core::info("bake: terrain (", to.grid, " cells per tile, ", recipe.fine_cell_m, " m inside, ",
                       recipe.outer_cell_m, " m outside)...");
            l.tiles = tile_terrain(town.terrain, frame, to);
            terrain_s += seconds(t);
        } else {
            TilingOptions fo = tiling_options(l.id, recipe);
            fo.threads = options.threads;
            core::info("bake: tiling ", l.id, " (", l.features->features.size(), " features)...");
            l.tiles = tile_features(*l.features, frame, 2 * town.terrain.half_extent(), fo);
            // The tiles hold the geometry now; the glb writer needs only the values.
            for (Feature& f : l.features->features)
                std::vector<TriMesh>().swap(f.lods);
            if (has_critical_sites(*l.features)) l.generic = generic_view(*l.features);
            tiling_s += seconds(t);
        }

        // Tile statistics (the same for every twin that holds the layer).
        json& s = report["layers"][l.id];
        std::map<int, int> per_level;
        uint64_t finest = 0;
        for (const Tile& tile : l.tiles.tiles) {
            if (!tile.content.indices.empty()) per_level[tile.level]++;
            if (tile.children.empty()) finest += tile.content.triangle_count();
        }
        for (auto [level, n] : per_level)
            s["tiles_per_level"][std::to_string(level)] = n;
        s["triangles_finest"] = finest;
        s["triangles_coarsest"] = l.tiles.tiles[0].content.triangle_count();
        s["root_geometric_error"] = l.tiles.tiles[0].geometric_error;
        s["access"] = access_name(l.access);

        t = clock::now();
        const std::string ts = tileset_json(l, frame, recipe).dump(1);
        for (size_t ti = 0; ti < twins.size(); ++ti) {
            const TwinSpec& twin = twins[ti];
            if (l.access > twin.level) continue;  // the whitelist: only what this twin may hold
            const fs::path dir = staged.dir() / twin.id;
            std::vector<size_t> props;
            if (l.features) props = allowed_properties(l.features->feature_class, twin.level);
            // Critical sites as ordinary buildings where the twin may not name them.
            const bool generic = l.generic && !recipe.names_critical_sites(twin.id);
            const FeatureLayer* values = generic ? &*l.generic : l.features;
            // In batches, so that a large town's glbs are not all in memory at once.
            uint64_t bytes = 0;
            const size_t batch = 1024;
            for (size_t first = 0; first < l.tiles.tiles.size(); first += batch) {
                const size_t n = std::min(batch, l.tiles.tiles.size() - first);
                std::vector<std::vector<uint8_t>> glbs(n);
                parallel_for(n, options.threads, [&](size_t k) {
                    const Tile& tile = l.tiles.tiles[first + k];
                    if (tile.content.indices.empty()) return;
                    TileMesh recoloured;
                    if (generic) {
                        recoloured = tile.content;
                        if (!apply_generic_colors(recoloured, *l.features)) recoloured = TileMesh{};
                    }
                    glbs[k] = write_glb(recoloured.indices.empty() ? tile.content : recoloured, values, props,
                                        l.id + "/" + tile.uri());
                });
                for (size_t k = 0; k < n; ++k) {
                    if (glbs[k].empty()) continue;
                    write_file(dir / l.id / l.tiles.tiles[first + k].uri(), glbs[k]);
                    bytes += glbs[k].size();
                }
            }
            write_file(dir / l.id / "tileset.json", ts);
            bytes += ts.size();
            if (l.id == "roads") {
                const std::string g = graph.dump();
                write_file(dir / "roads" / "graph.json", g);
                bytes += g.size();
            }
            report["twins"][twin.id]["layers"][l.id]["bytes"] = bytes;
            twin_bytes[ti] += bytes;
        }
        l.tiles = TiledLayer{};  // written: let go
        write_s += seconds(t);
    };

    {
        BakedLayer terrain;
        terrain.id = "terrain";
        terrain.title_de = "Gelände";
        terrain.title_en = "Terrain";
        terrain.group = "base";
        tile_and_write(terrain);
        layers.push_back(std::move(terrain));
    }
    // The town's layers, then the imports. Reserved: the layers point into it.
    const std::vector<std::string>& town_ids = town_layer_ids();
    const size_t layer_count = town_ids.size() + imported.size();
    std::vector<FeatureLayer> feature_layers;
    feature_layers.reserve(layer_count);
    for (size_t k = 0; k < layer_count; ++k) {
        t = clock::now();
        FeatureLayer fl = k < town_ids.size() ? town_feature_layer(town, town_ids[k])
                                              : std::move(imported[k - town_ids.size()]);
        generate_s += seconds(t);
        if (fl.access > widest) continue;  // no twin of this bake may hold it
        if (fl.features.empty()) {
            core::warn("bake: layer '", fl.id, "' has no features; left out");
            continue;
        }
        feature_layers.push_back(std::move(fl));
        FeatureLayer& source = feature_layers.back();
        BakedLayer l;
        l.id = source.id;
        l.title_de = source.title_de;
        l.title_en = source.title_en;
        l.group = source.group;
        l.access = source.access;
        l.features = &source;
        if (l.id == "buildings") {
            l.legend = building_legend(true);
        } else if (l.id == "roads") {
            l.legend = json::array({legend_entry(0x4f5254, "Hauptstraße", "Main road"),
                                    legend_entry(0x66686a, "Wohnstraße", "Residential street"),
                                    legend_entry(0xa8987a, "Feld- und Wirtschaftsweg", "Farm track")});
        } else if (l.id == "trees") {
            l.legend = json::array({legend_entry(0x5e8a3a, "Laubbaum", "Broadleaf tree"),
                                    legend_entry(0x35522a, "Nadelbaum", "Conifer")});
        } else if (l.id == "water") {
            l.legend = json::array({legend_entry(0x3f6e8c, "Bach, Weiher", "Creek, pond")});
        } else if (l.id == "utilities") {
            l.default_visible = false;
            l.legend = json::array({legend_entry(0x2a6fdb, "Trinkwasser", "Drinking water"),
                                    legend_entry(0x8b5a2b, "Abwasser", "Sewer"),
                                    legend_entry(0xe8702a, "Strom 20 kV", "Power 20 kV")});
        } else if (l.id == "planning") {
            l.legend = json::array(
                {legend_entry(0xf0a040, "geplantes Gebäude (Entwurf)", "planned building (draft)"),
                 legend_entry(0xe07b00, "Geltungsbereich", "Plan boundary")});
        }
        tile_and_write(l);
        layers.push_back(std::move(l));
    }

    // The flood scenarios: run once, written into every twin with what it may hold.
    double flood_s = 0;
    FloodBundle flood;
    if (recipe.flood_scenarios && options.flood) {
        t = clock::now();
        std::vector<FloodTwin> flood_twins;
        for (const TwinSpec& twin : twins) {
            FloodTwin ft{twin.id, staged.dir() / twin.id, twin.level >= Access::council, false, false, {}};
            if (!recipe.names_critical_sites(twin.id)) ft.unnamed_critical = critical_site_ids(town);
            for (const BakedLayer& l : layers)
                if (l.id == "buildings" && l.features && l.access <= twin.level)
                    for (size_t pi : allowed_properties(l.features->feature_class, twin.level)) {
                        const std::string& name = l.features->feature_class.properties[pi].name;
                        ft.residents = ft.residents || name == "residents";
                        ft.critical = ft.critical || name == "critical_infrastructure";
                    }
            flood_twins.push_back(ft);
        }
        flood = bake_flood(recipe, flood_twins, staged.dir() / ".flood-work", unsigned(options.threads));
        for (size_t ti = 0; ti < twins.size(); ++ti)
            if (const auto it = flood.scenarios.find(twins[ti].id); it != flood.scenarios.end())
                for (const fs::path& f :
                     fs::recursive_directory_iterator(staged.dir() / twins[ti].id / "scenarios"))
                    if (fs::is_regular_file(f)) twin_bytes[ti] += fs::file_size(f);
        report["flood"] = flood.report;
        flood_s = seconds(t);
    }

    // The road network for SUMO: built once, the same file in every twin (the roads are
    // public), listed in twin.json as traffic.network.
    double traffic_s = 0;
    TrafficBundle traffic_bundle;
    if (traffic) {
        t = clock::now();
        const fs::path work = staged.dir() / ".traffic-work";
        const TrafficNetwork net = build_traffic_network(town, frame, recipe, work);
        for (size_t ti = 0; ti < twins.size(); ++ti) {
            const fs::path to = staged.dir() / twins[ti].id / "scenarios" / "traffic" / "network.net.xml";
            std::error_code ec;
            fs::create_directories(to.parent_path(), ec);
            if (!ec) fs::copy_file(net.net, to, fs::copy_options::overwrite_existing, ec);
            if (ec) fail("cannot write '", to.string(), "': ", ec.message());
            twin_bytes[ti] += fs::file_size(to);
        }
        report["traffic"] = net.report;
        if (recipe.traffic_scenarios) {
            std::vector<TrafficTwin> traffic_twins;
            fs::path hq100;
            for (const TwinSpec& twin : twins) {
                TrafficTwin tt{twin.id,
                               staged.dir() / twin.id,
                               twin.level >= Access::council,
                               twin.level >= Access::council,
                               {}};
                if (!recipe.names_critical_sites(twin.id)) tt.unnamed_critical = critical_site_ids(town);
                traffic_twins.push_back(tt);
                const fs::path h = staged.dir() / twin.id / "scenarios" / "hq100" / "hq100-baseline";
                if (hq100.empty() && fs::exists(h / "frames.zwf")) hq100 = h;
            }
            traffic_bundle = bake_traffic(recipe, town, frame, net.net, hq100, traffic_twins,
                                          staged.dir() / ".traffic-scenarios-work");
            for (size_t ti = 0; ti < twins.size(); ++ti)
                for (const fs::path& f :
                     fs::recursive_directory_iterator(staged.dir() / twins[ti].id / "scenarios" / "traffic"))
                    if (fs::is_regular_file(f) && f.filename() != "network.net.xml")
                        twin_bytes[ti] += fs::file_size(f);
            report["traffic"]["scenarios"] = traffic_bundle.report;
        }
        std::error_code ec;
        fs::remove_all(work, ec);
        traffic_s = seconds(t);
    }

    t = clock::now();
    const scenario::AsciiGrid surface = surface_grid(town, frame, recipe.extent_m);
    // Every building's address where it stands (the address search); twins that may not
    // name the critical sites get the list without theirs (their streets name them).
    const std::map<std::string, std::string> critical = critical_site_ids(town);
    std::vector<twin::Address> all_addresses, public_addresses;
    for (const Building& b : town.buildings)
        if (!b.street.empty() && !b.parts.empty()) {
            const glm::dvec2 c = b.parts[0].centre;
            const twin::Address a{b.street, b.house_number,
                                  frame.to_enu({c.x, c.y, town.terrain.height(c.x, c.y)})};
            all_addresses.push_back(a);
            if (!critical.count(b.id)) public_addresses.push_back(a);
        }
    const std::string addresses[2] = {twin::addresses_json(public_addresses),
                                      twin::addresses_json(all_addresses)};
    const geo::Geodetic& o = frame.origin_geodetic();
    const glm::dvec3 ecef = geo::geodetic_to_ecef(o);
    for (size_t ti = 0; ti < twins.size(); ++ti) {
        const TwinSpec& twin = twins[ti];
        json manifest;
        manifest["format"] = "zwilling-twin";
        manifest["format_version"] = 1;
        manifest["twin"] = {{"id", twin.id},
                            {"audience", twin.audience},
                            {"title_de", twin.title_de},
                            {"title_en", twin.title_en}};
        manifest["town"] = {{"name", recipe.name},
                            {"synthetic", true},
                            {"description_de", recipe.description_de},
                            {"description_en", recipe.description_en},
                            {"seed", recipe.seed},
                            {"recipe", recipe.path.filename().string()}};
        manifest["crs"] = {{"horizontal", "EPSG:25832"},
                           {"vertical", "heights above sea level (DHHN2016)"},
                           {"geoid_undulation_m", frame.undulation()}};
        manifest["origin"] = {{"easting", frame.origin_easting()},
                              {"northing", frame.origin_northing()},
                              {"height", frame.origin_height()},
                              {"lat_deg", o.lat_deg},
                              {"lon_deg", o.lon_deg},
                              {"ecef", {ecef.x, ecef.y, ecef.z}}};
        manifest["layers"] = json::array();
        for (const BakedLayer& l : layers) {
            if (l.access > twin.level) continue;
            json entry = {{"id", l.id},
                          {"title_de", l.title_de},
                          {"title_en", l.title_en},
                          {"group", l.group},
                          {"tileset", l.id + "/tileset.json"},
                          {"default_visible", l.default_visible},
                          {"legend", l.legend}};
            if (l.id == "buildings" && !recipe.names_critical_sites(twin.id))
                entry["legend"] = building_legend(false);
            if (l.features) {
                entry["class"] = l.features->feature_class.id;
                entry["attributes"] = json::array();
                for (size_t pi : allowed_properties(l.features->feature_class, twin.level)) {
                    const PropertyDef& p = l.features->feature_class.properties[pi];
                    entry["attributes"].push_back({{"name", p.name},
                                                   {"type", type_name(p.type)},
                                                   {"title_de", p.title_de},
                                                   {"title_en", p.title_en}});
                }
            }
            if (l.id == "roads") entry["graph"] = "roads/graph.json";
            manifest["layers"].push_back(entry);
        }
        manifest["critical_sites"] = recipe.names_critical_sites(twin.id) ? "named" : "generic";
        if (twin.level == Access::administration)
            manifest["departments"] = departments_json(layers);  // it holds every layer
        json scenarios = json::array();
        for (const auto* bundle : {&flood.scenarios, &traffic_bundle.scenarios})
            if (const auto it = bundle->find(twin.id); it != bundle->end())
                for (const json& entry : it->second)
                    scenarios.push_back(entry);
        if (!scenarios.empty()) manifest["scenarios"] = scenarios;
        if (traffic) manifest["traffic"] = {{"network", "scenarios/traffic/network.net.xml"}};
        manifest["views"] =
            write_views(staged.dir() / twin.id, manifest, tours, surface,
                        addresses[recipe.names_critical_sites(twin.id) ? 1 : 0], report["tours"][twin.id]);
        const std::string m = manifest.dump(1);
        write_file(staged.dir() / twin.id / "twin.json", m);
        report["twins"][twin.id]["bytes"] = twin_bytes[ti] + m.size();
        core::info("bake: wrote ", twin.id, "/ (", manifest["layers"].size(), " layers, ",
                   (twin_bytes[ti] + m.size()) / 1024, " KiB)");
    }
    write_s += seconds(t);
    report["seconds"]["generate"] = generate_s;
    report["seconds"]["terrain"] = terrain_s;
    report["seconds"]["tiling"] = tiling_s;
    report["seconds"]["write"] = write_s;
    report["seconds"]["flood"] = flood_s;
    report["seconds"]["traffic"] = traffic_s;
    report["seconds"]["total"] = seconds(t0);
    report["buildings"] = town.buildings.size();
    {
        int on_floodplain = 0, low = 0;
        for (const Building& b : town.buildings) {
            const glm::dvec2 c = b.parts[0].centre;
            if (town.terrain.creek_distance(c.x, c.y) < town.terrain.floodplain_half_width()) ++on_floodplain;
            if (town.terrain.height(c.x, c.y) - town.terrain.creek_bed(c.x) < 3.0) ++low;
        }
        report["buildings_on_floodplain"] = on_floodplain;
        report["buildings_less_than_3m_above_creek_bed"] = low;
        report["trees"] = town.trees.size();
    }
    report["road_edges"] = town.edges.size();
    report["seed"] = recipe.seed;
    write_file(staged.dir() / "bake-report.json", report.dump(1));
    staged.commit();
    return report;
}

}  // namespace zw::bake
