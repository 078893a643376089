// Critical infrastructure in the twins (app/bake/critical_sites.h, docs/twin-bundle.md):
// the generator's critical sites, their generic form in twins that may not name them
// (values, colours, flood sites), the recipe key, and the leak scan that proves their
// absence, each kind of leak planted once.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "app/bake/check/check.h"
#include "app/bake/critical_sites.h"
#include "app/bake/flood_bundle.h"
#include "app/bake/glb_writer.h"
#include "app/bake/recipe.h"
#include "app/bake/town.h"
#include "app/bake/town_layers.h"
#include "engine/core/error.h"
#include "tests/unit/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace zw::bake;

void write_file(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string list(const std::vector<check::Finding>& findings) {
    std::string out;
    for (const auto& f : findings)
        out += f.file + ": " + f.message + "\n";
    return out;
}

// Findings in `file` whose message holds every one of `parts`.
size_t count_findings(const check::LeakReport& r, const std::string& file,
                      const std::vector<std::string>& parts) {
    return size_t(std::count_if(r.findings.begin(), r.findings.end(), [&](const check::Finding& f) {
        return f.file == file && std::all_of(parts.begin(), parts.end(), [&](const std::string& p) {
                   return f.message.find(p) != std::string::npos;
               });
    }));
}

// ---- the generator and the generic form ---------------------------------------------------

const Town& sample_town() {
    static const Town town = [] {
        Recipe r;
        r.building_target = 400;
        return generate_town(r);
    }();
    return town;
}

TEST(CriticalSites, TheGeneratorKeepsThemApartFromTheOrdinarySeries) {
    const Town& town = sample_town();
    std::set<std::string> critical_streets;
    std::vector<std::string> public_ids;  // what a twin that may not name them shows
    size_t critical = 0;
    for (const Building& b : town.buildings) {
        if (is_critical_site(b.critical_infrastructure)) {
            ++critical;
            EXPECT_EQ(b.id.rfind("WDF-K-", 0), 0u) << b.id << " " << b.use;
            EXPECT_EQ(b.generic_id.rfind("WDF-B-", 0), 0u) << b.id;
            public_ids.push_back(b.generic_id);
            critical_streets.insert(b.street);
        } else {
            EXPECT_TRUE(b.generic_id.empty()) << b.id;
            public_ids.push_back(b.id);
        }
    }
    // Water works, pumping station, substation, sewage works; not town hall or fire station.
    EXPECT_EQ(critical, 4u);
    EXPECT_EQ(critical_site_ids(town).size(), 4u);
    // The ordinary series has no gap where a critical site was taken out.
    std::sort(public_ids.begin(), public_ids.end());
    for (size_t i = 0; i < public_ids.size(); ++i) {
        char want[32];
        std::snprintf(want, sizeof want, "WDF-B-%05d", int(i + 1));
        ASSERT_EQ(public_ids[i], want);
    }
    // No road is named after a critical site's street unless ordinary houses stand on it.
    std::set<std::string> ordinary_streets;
    for (const Building& b : town.buildings)
        if (!is_critical_site(b.critical_infrastructure)) ordinary_streets.insert(b.street);
    for (const Road& r : town.roads)
        if (critical_streets.count(r.name)) {
            EXPECT_TRUE(ordinary_streets.count(r.name)) << r.name;
        }
}

TEST(CriticalSites, GenericValuesAndColoursInTheBuildingsLayer) {
    const Town& town = sample_town();
    FeatureLayer layer = town_feature_layer(town, "buildings");
    ASSERT_TRUE(has_critical_sites(layer));
    const FeatureLayer view = generic_view(layer);
    const auto& props = layer.feature_class.properties;
    auto column = [&](const char* name) {
        return size_t(
            std::find_if(props.begin(), props.end(), [&](const PropertyDef& p) { return p.name == name; }) -
            props.begin());
    };
    size_t generic = 0;
    for (size_t i = 0; i < layer.features.size(); ++i) {
        const Feature& f = layer.features[i];
        const auto& v = view.features[i].values;
        if (f.generic_values.empty()) {
            EXPECT_EQ(v, f.values);
            continue;
        }
        ++generic;
        EXPECT_EQ(std::get<std::string>(v[column("use")]), std::string(generic_public_use));
        EXPECT_EQ(std::get<std::string>(v[column("street")]), "");
        EXPECT_EQ(std::get<std::string>(v[column("house_number")]), "");
        EXPECT_EQ(std::get<std::string>(v[column("id")]).rfind("WDF-B-", 0), 0u);
    }
    EXPECT_EQ(generic, 4u);

    // One tile with a critical site and an ordinary house: only the critical site is recoloured.
    TileMesh mesh;
    size_t critical_index = 0, house_index = 0;
    for (size_t i = 0; i < layer.features.size(); ++i)
        (layer.features[i].generic_values.empty() ? house_index : critical_index) = i;
    for (size_t k : {critical_index, house_index}) {
        const TriMesh& m = layer.features[k].lods[0];
        const auto row = float(mesh.features.size());
        mesh.features.push_back(uint32_t(k));
        for (size_t v = 0; v < m.positions.size(); ++v) {
            mesh.positions.push_back(glm::vec3(m.positions[v]));
            mesh.normals.push_back(m.normals[v]);
            mesh.colors.push_back(m.colors[v]);
            mesh.feature_ids.push_back(row);
        }
    }
    const TileMesh before = mesh;
    ASSERT_TRUE(apply_generic_colors(mesh, layer));
    const Rgba8 wall = rgb(generic_public_wall), roof = rgb(generic_public_roof);
    for (size_t v = 0; v < mesh.colors.size(); ++v) {
        if (mesh.feature_ids[v] == 0)
            EXPECT_TRUE(mesh.colors[v] == wall || mesh.colors[v] == roof) << v;
        else
            EXPECT_TRUE(mesh.colors[v] == before.colors[v]) << v;
    }
}

TEST(CriticalSites, FloodSitesCountThemButNeverNameThem) {
    const json all = json::parse(R"([
      {"id": "WDF-B-00001", "name": "Marktplatz 1", "kind": "Rathaus", "residents": 0, "critical": true,
       "footprint": [[0, 0], [10, 0], [10, 10]]},
      {"id": "WDF-K-01", "name": "Am Wasserwerk 1", "kind": "Wasserwerk", "residents": 0, "critical": true,
       "footprint": [[20, 0], [30, 0], [30, 10]]},
      {"id": "WDF-B-00007", "name": "Hauptstraße 3", "kind": "Wohnhaus", "residents": 4, "critical": false,
       "footprint": [[40, 0], [50, 0], [50, 10]]}])");
    FloodTwin citizen{"citizen", "", false, false, false, {{"WDF-K-01", "WDF-B-00002"}}};
    const json c = twin_sites(all, citizen);
    ASSERT_EQ(c.size(), 3u);  // counted in the totals
    EXPECT_EQ(c[1], json::parse(R"({"id": "WDF-B-00002", "name": "Öffentliches Gebäude",
      "kind": "Öffentliches Gebäude", "footprint": [[20, 0], [30, 0], [30, 10]]})"));
    EXPECT_EQ(c[0]["name"], "Marktplatz 1");
    EXPECT_FALSE(c[2].contains("residents"));
    // A twin that holds the critical flag but may not name the site: an ordinary building.
    FloodTwin unnamed{"council", "", true, true, true, {{"WDF-K-01", "WDF-B-00002"}}};
    EXPECT_EQ(twin_sites(all, unnamed)[1]["critical"], false);
    FloodTwin named{"administration", "", true, true, true, {}};
    EXPECT_EQ(twin_sites(all, named), all);
}

TEST(CriticalSites, RecipeKey) {
    zw::test::TempDir tmp;
    auto load = [&](const std::string& text) {
        write_file(tmp.path() / "r.json", text);
        return load_recipe(tmp.path() / "r.json");
    };
    auto refused = [&](const std::string& text) {
        try {
            load(text);
        } catch (const zw::Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    const Recipe defaults = load("{}");
    EXPECT_FALSE(defaults.names_critical_sites("citizen"));
    EXPECT_TRUE(defaults.names_critical_sites("council"));
    EXPECT_TRUE(defaults.names_critical_sites("administration"));
    const Recipe generic = load(R"({"critical_sites": {"council": "generic", "citizen": "generic"}})");
    EXPECT_FALSE(generic.names_critical_sites("council"));
    EXPECT_TRUE(generic.names_critical_sites("administration"));
    EXPECT_NE(refused(R"({"critical_sites": {"citizen": "named"}})").find("critical_sites.citizen"),
              std::string::npos);
    EXPECT_NE(
        refused(R"({"critical_sites": {"administration": "generic"}})").find("critical_sites.administration"),
        std::string::npos);
    EXPECT_NE(refused(R"({"critical_sites": {"council": "hidden"}})").find("\"named\" or \"generic\""),
              std::string::npos);
    EXPECT_NE(refused(R"({"critical_sites": {"rat": "named"}})").find("unknown key 'critical_sites.rat'"),
              std::string::npos);
    EXPECT_NE(refused(R"({"critical_sites": "named"})").find("must be a JSON object"), std::string::npos);
}

// ---- the leak scan ----------------------------------------------------------------------

// Buildings: a water works (critical) on its own street, a pumping station (critical) on an
// ordinary street, a house on that street and the town hall (not critical).
struct Row {
    std::string id, street, number, use, kritis;
};
const std::vector<Row> kFull{{"WDF-K-01", "Am Wasserwerk", "1", "Wasserwerk", "KRITIS Wasser"},
                             {"WDF-K-02", "Lindenstraße", "7", "Pumpwerk", "KRITIS Abwasser"},
                             {"WDF-B-00003", "Lindenstraße", "5", "Wohnhaus", "keine"},
                             {"WDF-B-00004", "Marktplatz", "1", "Rathaus", "Verwaltung"}};
// The same as the citizens' twin holds them.
const std::vector<Row> kCitizen{{"WDF-B-00001", "", "", "Öffentliches Gebäude", ""},
                                {"WDF-B-00002", "", "", "Öffentliches Gebäude", ""},
                                {"WDF-B-00003", "Lindenstraße", "5", "Wohnhaus", ""},
                                {"WDF-B-00004", "Marktplatz", "1", "Rathaus", ""}};

// A buildings glb written by the bake's own writer: one triangle per row.
std::vector<uint8_t> buildings_glb(const std::vector<Row>& rows, bool with_kritis) {
    FeatureLayer layer;
    layer.id = "buildings";
    layer.feature_class.id = "building";
    for (const char* name : {"id", "street", "house_number", "use", "critical_infrastructure"})
        layer.feature_class.properties.push_back({name, PropertyType::string, Access::citizen, name, name});
    TileMesh mesh;
    for (size_t i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        layer.features.push_back({{r.id, r.street, r.number, r.use, r.kritis}, {}, {}, {}});
        mesh.features.push_back(uint32_t(i));
        for (int k = 0; k < 3; ++k) {
            mesh.positions.push_back({float(i * 10 + (k == 1 ? 5 : 0)), float(k == 2 ? 5 : 0), 0});
            mesh.normals.push_back({0, 0, 1});
            mesh.colors.push_back(rgb(0xdddddd));
            mesh.feature_ids.push_back(float(i));
            mesh.indices.push_back(uint32_t(mesh.positions.size() - 1));
        }
    }
    std::vector<size_t> props{0, 1, 2, 3};
    if (with_kritis) props.push_back(4);
    return write_glb(mesh, &layer, props, "buildings/L0_0_0.glb");
}

json manifest(const std::string& twin, bool kritis, const json& legend) {
    const std::map<std::string, std::string> audience{
        {"citizen", "public"}, {"council", "council"}, {"administration", "staff"}};
    json attrs = json::array();
    for (const char* a : {"id", "street", "house_number", "use"})
        attrs.push_back({{"name", a}, {"type", "string"}, {"title_de", a}, {"title_en", a}});
    if (kritis)
        attrs.push_back({{"name", "critical_infrastructure"},
                         {"type", "string"},
                         {"title_de", "Kritische Infrastruktur"},
                         {"title_en", "Critical infrastructure"}});
    return {{"format", "zwilling-twin"},
            {"format_version", 1},
            {"twin", {{"id", twin}, {"audience", audience.at(twin)}, {"title_de", "Z"}, {"title_en", "T"}}},
            {"critical_sites", twin == "administration" ? "named" : "generic"},
            {"scenarios", {{{"id", "hq100-baseline"}, {"uri", "scenarios/hq100/hq100-baseline.json"}}}},
            {"layers",
             {{{"id", "buildings"},
               {"title_de", "Gebäude"},
               {"title_en", "Buildings"},
               {"group", "base"},
               {"tileset", "buildings/tileset.json"},
               {"default_visible", true},
               {"class", "building"},
               {"attributes", attrs},
               {"legend", legend}}}}};
}

json sites(const std::vector<Row>& rows) {
    json out = json::array();
    for (size_t i = 0; i < rows.size(); ++i) {
        const double x = 632000 + 30.0 * double(i), y = 5497000;
        const Row& r = rows[i];
        out.push_back({{"id", r.id},
                       {"name", r.street.empty() ? r.use : r.street + " " + r.number},
                       {"kind", r.use},
                       {"footprint", {{x, y}, {x + 20, y}, {x + 20, y + 10}, {x, y + 10}}}});
    }
    return out;
}

struct Twins {
    zw::test::TempDir tmp;
    fs::path full = tmp.path() / "administration";
    fs::path citizen = tmp.path() / "citizen";
    const json legend = {
        {{"color", "#e9dcc0"}, {"label_de", "Wohnhaus"}, {"label_en", "House"}},
        {{"color", "#d5cfc4"}, {"label_de", "Öffentliches Gebäude"}, {"label_en", "Public building"}}};

    Twins() {
        json full_legend = legend;
        full_legend.push_back(
            {{"color", "#7fa3c0"}, {"label_de", "Wasserwerk, Pumpwerk"}, {"label_en", "Water"}});
        write_twin(full, manifest("administration", true, full_legend), buildings_glb(kFull, true),
                   sites(kFull));
        write_twin(citizen, manifest("citizen", false, legend), buildings_glb(kCitizen, false),
                   sites(kCitizen));
    }
    static void write_twin(const fs::path& dir, const json& m, const std::vector<uint8_t>& glb,
                           const json& s) {
        write_file(dir / "twin.json", m.dump(1));
        write_file(dir / "buildings" / "tileset.json", "{}");
        write_file(dir / "buildings" / "L0_0_0.glb", std::string(glb.begin(), glb.end()));
        write_file(dir / "scenarios" / "hq100" / "sites.json", s.dump(1));
    }
    void citizen_glb(const std::vector<Row>& rows) const {
        const auto glb = buildings_glb(rows, false);
        write_file(citizen / "buildings" / "L0_0_0.glb", std::string(glb.begin(), glb.end()));
    }
    json citizen_manifest() const { return json::parse(std::ifstream(citizen / "twin.json")); }
    check::LeakReport scan() const { return check::leak_scan(full, citizen); }
};

TEST(CriticalSitesLeakScan, GenericTwinIsClean) {
    Twins t;
    const check::LeakReport r = t.scan();
    EXPECT_TRUE(r.findings.empty()) << list(r.findings);
    // The critical ids, uses and the water works' street and address are searched for;
    // the pumping station's street is an ordinary one, its house number too short.
    EXPECT_GE(r.tokens, 7u);
}

TEST(CriticalSitesLeakScan, IdInAPropertyTable) {
    Twins t;
    auto rows = kCitizen;
    rows[0].id = "WDF-K-01";
    t.citizen_glb(rows);
    const check::LeakReport r = t.scan();
    EXPECT_EQ(
        count_findings(r, "buildings/L0_0_0.glb", {"holds 'WDF-K-01'", "id of critical site 'WDF-K-01'"}), 1u)
        << list(r.findings);
    EXPECT_EQ(count_findings(r, "buildings/L0_0_0.glb", {"row 0 has the id of critical site 'WDF-K-01'"}), 1u)
        << list(r.findings);
}

TEST(CriticalSitesLeakScan, UseValueInTheLegend) {
    Twins t;
    json legend = t.legend;
    legend.push_back({{"color", "#8c7fc0"}, {"label_de", "Pumpwerk"}, {"label_en", "Pumping station"}});
    write_file(t.citizen / "twin.json", manifest("citizen", false, legend).dump(1));
    const check::LeakReport r = t.scan();
    EXPECT_EQ(count_findings(r, "twin.json", {"'Pumpwerk'", "use of critical site 'WDF-K-02'"}), 1u)
        << list(r.findings);
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(CriticalSitesLeakScan, AddressOnAnOrdinaryStreetInTheDecodedTable) {
    Twins t;
    auto rows = kCitizen;
    rows[1].street = "Lindenstraße";  // each value is an ordinary one; together they are the address
    rows[1].number = "7";
    t.citizen_glb(rows);
    const check::LeakReport r = t.scan();
    EXPECT_EQ(count_findings(r, "buildings/L0_0_0.glb",
                             {"row 1 has the address of critical site 'WDF-K-02' (Lindenstraße 7)"}),
              1u)
        << list(r.findings);
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(CriticalSitesLeakScan, StreetAndAddressInFloodResults) {
    Twins t;
    write_file(
        t.citizen / "scenarios" / "hq100" / "hq100-baseline" / "impacts.csv",
        "id,name,kind,max_depth_m,first_wet_s\nWDF-B-00001,Am Wasserwerk 1,Öffentliches Gebäude,0.55,8864\n");
    const check::LeakReport r = t.scan();
    const std::string csv = "scenarios/hq100/hq100-baseline/impacts.csv";
    EXPECT_EQ(count_findings(r, csv, {"'Am Wasserwerk'", "street of critical site 'WDF-K-01'"}), 1u)
        << list(r.findings);
    EXPECT_EQ(count_findings(r, csv, {"'Am Wasserwerk 1'", "address of critical site 'WDF-K-01'"}), 1u)
        << list(r.findings);
}

TEST(CriticalSitesLeakScan, CoordinatesWithAName) {
    Twins t;
    // A name no table holds, standing at the pumping station's footprint.
    json s = sites(kCitizen);
    s[1]["name"] = "Hebeanlage Süd";
    write_file(t.citizen / "scenarios" / "hq100" / "sites.json", s.dump(1));
    // A point of a road's shape at the water works, named: the same.
    write_file(t.citizen / "roads" / "graph.json",
               json{{"edges",
                     {{{"id", "e1"},
                       {"name", "Zum Hochbehälter"},
                       {"shape", {{632005.0, 5497005.0}, {632100.0, 5497100.0}}}}}}}
                   .dump());
    const check::LeakReport r = t.scan();
    EXPECT_EQ(count_findings(r, "scenarios/hq100/sites.json",
                             {"[1] stands at critical site 'WDF-K-02'", "'Hebeanlage Süd'"}),
              1u)
        << list(r.findings);
    EXPECT_EQ(count_findings(r, "roads/graph.json", {"edges[0] stands at critical site 'WDF-K-01'"}), 1u)
        << list(r.findings);
}

TEST(CriticalSitesLeakScan, CouncilFollowsItsManifestTheCitizensTwinDoesNot) {
    Twins t;
    // A council twin that names the sites (the recipe's default) holds them by right ...
    const fs::path council = t.tmp.path() / "council";
    json m = manifest("council", false, t.legend);
    m["critical_sites"] = "named";
    Twins::write_twin(council, m, buildings_glb(kFull, false), sites(kFull));
    EXPECT_TRUE(check::leak_scan(t.full, council).findings.empty())
        << list(check::leak_scan(t.full, council).findings);
    // ... one that may not is scanned as the citizens' twin is.
    m["critical_sites"] = "generic";
    write_file(council / "twin.json", m.dump(1));
    EXPECT_GE(check::leak_scan(t.full, council).findings.size(), 4u);
    // The citizens' twin cannot opt out by saying "named".
    m = manifest("citizen", false, t.legend);
    m["critical_sites"] = "named";
    write_file(t.citizen / "twin.json", m.dump(1));
    t.citizen_glb(kFull);
    const check::LeakReport r = t.scan();
    EXPECT_EQ(count_findings(r, "twin.json", {"never names critical infrastructure"}), 1u)
        << list(r.findings);
    EXPECT_EQ(count_findings(r, "buildings/L0_0_0.glb", {"'Wasserwerk'", "use of critical site 'WDF-K-01'"}),
              1u)
        << list(r.findings);
}

}  // namespace
