// The bake's importers: models via Assimp and CityGML buildings via libcitygml, placed in
// the bake-local frame, with their attributes, colours and blocks; and the errors a user
// can cause (missing or broken files, wrong CRS), which must name the file and the problem.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <variant>

#include "app/bake/bundle.h"
#include "app/bake/import/import.h"
#include "engine/core/error.h"

// libcitygml 2.4 leaks the objects it had made when Xerces stops on malformed XML (the
// truncated.gml case); that is the library's, and a bake stops there anyway.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libcitygml\nleak:libxerces-c\n";
}

namespace {

using namespace zw::bake;

const std::filesystem::path data_dir = std::filesystem::path(ZW_TEST_DATA) / "import";

const LocalOrigin origin{631000.0, 5498000.0, 300.0};

bool has_point(const TriMesh& m, glm::dvec3 p, double tol = 1e-6) {
    for (const glm::dvec3& q : m.positions)
        if (glm::length(q - p) < tol) return true;
    return false;
}

struct Box {
    glm::dvec3 lo{1e300}, hi{-1e300};
};
Box bounds(const TriMesh& m) {
    Box b;
    for (const glm::dvec3& p : m.positions) {
        b.lo = glm::min(b.lo, p);
        b.hi = glm::max(b.hi, p);
    }
    return b;
}

void expect_near(glm::dvec3 a, glm::dvec3 b, double tol = 1e-6) {
    EXPECT_NEAR(a.x, b.x, tol);
    EXPECT_NEAR(a.y, b.y, tol);
    EXPECT_NEAR(a.z, b.z, tol);
}

// Every mesh of a feature is indexed triangles with unit normals and a colour per vertex.
void expect_well_formed(const Feature& f) {
    ASSERT_GE(f.lods.size(), 2u);
    for (const TriMesh& m : f.lods) {
        ASSERT_FALSE(m.empty());
        ASSERT_EQ(m.indices.size() % 3, 0u);
        ASSERT_EQ(m.normals.size(), m.positions.size());
        ASSERT_EQ(m.colors.size(), m.positions.size());
        for (uint32_t i : m.indices)
            ASSERT_LT(i, m.positions.size());
        for (const glm::vec3& n : m.normals)
            ASSERT_NEAR(glm::length(n), 1.0f, 1e-5f);
    }
    // The block: 12 triangles with face normals around the full mesh.
    const TriMesh& block = f.lods[1];
    EXPECT_EQ(block.triangle_count(), 12u);
    EXPECT_EQ(block.positions.size(), 24u);
    const Box full = bounds(f.lods[0]), coarse = bounds(block);
    expect_near(full.lo, coarse.lo);
    expect_near(full.hi, coarse.hi);
}

// Sum of triangle areas whose colour is `c`.
double area_with_color(const TriMesh& m, Rgba8 c) {
    double a = 0;
    for (size_t t = 0; t < m.indices.size(); t += 3) {
        const Rgba8 k = m.colors[m.indices[t]];
        if (k.r != c.r || k.g != c.g || k.b != c.b) continue;
        const glm::dvec3 &p0 = m.positions[m.indices[t]], &p1 = m.positions[m.indices[t + 1]],
                         &p2 = m.positions[m.indices[t + 2]];
        a += 0.5 * glm::length(glm::cross(p1 - p0, p2 - p0));
    }
    return a;
}

// Every triangle's winding agrees with its vertices' normals (the faces point outward).
void expect_winding_matches_normals(const TriMesh& m) {
    for (size_t t = 0; t < m.indices.size(); t += 3) {
        const glm::dvec3 &p0 = m.positions[m.indices[t]], &p1 = m.positions[m.indices[t + 1]],
                         &p2 = m.positions[m.indices[t + 2]];
        const glm::dvec3 n = glm::normalize(glm::cross(p1 - p0, p2 - p0));
        EXPECT_GT(glm::dot(n, glm::dvec3(m.normals[m.indices[t]])), 0.9) << "triangle " << t / 3;
    }
}

void expect_color(Rgba8 c, int r, int g, int b, int a = 255) {
    EXPECT_EQ(c.r, r);
    EXPECT_EQ(c.g, g);
    EXPECT_EQ(c.b, b);
    EXPECT_EQ(c.a, a);
}

const std::string& str(const Value& v) {
    return std::get<std::string>(v);
}
int64_t int_of(const Value& v) {
    return std::get<int64_t>(v);
}
double num(const Value& v) {
    return std::get<double>(v);
}

// Runs `f`, expects a zw::Error, and that its message contains every one of `parts`.
void expect_error(const std::function<void()>& f, std::initializer_list<std::string> parts) {
    try {
        f();
        ADD_FAILURE() << "no zw::Error thrown";
    } catch (const zw::Error& e) {
        const std::string msg = e.what();
        for (const std::string& p : parts)
            EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
    }
}

ModelImport house(double rotation_deg) {
    ModelImport in;
    in.file = data_dir / "house.obj";
    in.position = {631100.0, 5498200.0, 305.0};
    in.rotation_deg = rotation_deg;
    in.layer_id = "house";
    in.title_de = "Haus";
    in.title_en = "House";
    return in;
}

TEST(ImportCrs, AcceptsTheSpellingsOf25832Only) {
    EXPECT_TRUE(is_epsg_25832("EPSG:25832"));
    EXPECT_TRUE(is_epsg_25832("epsg:25832"));
    EXPECT_TRUE(is_epsg_25832("urn:ogc:def:crs:EPSG::25832"));
    EXPECT_TRUE(is_epsg_25832("urn:ogc:def:crs:EPSG:6.12:25832"));
    EXPECT_TRUE(is_epsg_25832("http://www.opengis.net/def/crs/EPSG/0/25832"));
    EXPECT_TRUE(is_epsg_25832("urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::7837"));
    EXPECT_TRUE(is_epsg_25832("urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH"));
    EXPECT_FALSE(is_epsg_25832("EPSG:31468"));
    EXPECT_FALSE(is_epsg_25832("EPSG:258320"));
    EXPECT_FALSE(is_epsg_25832("EPSG:2583"));
    EXPECT_FALSE(is_epsg_25832("urn:ogc:def:crs,crs:EPSG::7837,crs:EPSG::25832"));  // vertical first: not UTM
    EXPECT_FALSE(is_epsg_25832("EPSG:4326"));
    EXPECT_FALSE(is_epsg_25832("25832"));
    EXPECT_FALSE(is_epsg_25832(""));
}

TEST(ImportModel, ObjHouseLandsWhereItIsPlaced) {
    const FeatureLayer layer = import_model(house(0), origin);
    EXPECT_EQ(layer.id, "house");
    EXPECT_EQ(layer.title_de, "Haus");
    EXPECT_EQ(layer.group, "import");
    EXPECT_EQ(layer.access, Access::council);
    ASSERT_EQ(layer.features.size(), 2u);
    const TriMesh& walls = layer.features[0].lods[0];
    // Model (x, y, z) y-up -> (x, -z, y), then + (100, 200, 5).
    EXPECT_TRUE(has_point(walls, {110, 200, 5}));   // model (10, 0, 0)
    EXPECT_TRUE(has_point(walls, {100, 192, 5}));   // model (0, 0, 8)
    EXPECT_TRUE(has_point(walls, {100, 196, 14}));  // model (0, 9, 4), the ridge
    const Box b = bounds(walls);
    expect_near(b.lo, {100, 192, 5});
    expect_near(b.hi, {110, 200, 14});
}

TEST(ImportModel, ObjHouseRotatedCounterClockwise) {
    const FeatureLayer layer = import_model(house(90), origin);
    ASSERT_EQ(layer.features.size(), 2u);
    const TriMesh& walls = layer.features[0].lods[0];
    // Local before rotation (10, 0, 0) turns to (0, 10, 0); (0, -8, 0) to (8, 0, 0).
    EXPECT_TRUE(has_point(walls, {100, 210, 5}));   // model (10, 0, 0)
    EXPECT_TRUE(has_point(walls, {108, 200, 5}));   // model (0, 0, 8)
    EXPECT_TRUE(has_point(walls, {104, 200, 14}));  // model (0, 9, 4)
    EXPECT_FALSE(has_point(walls, {110, 200, 5}));  // where the unrotated corner was
    const Box b = bounds(walls);
    expect_near(b.lo, {100, 200, 5});
    expect_near(b.hi, {108, 210, 14});
    // The roof's south slope faces model (0, 0.8, 0.6) -> local (0, -0.6, 0.8) -> rotated (0.6, 0, 0.8).
    const TriMesh& roof = layer.features[1].lods[0];
    bool east_slope = false;
    for (const glm::vec3& n : roof.normals) {
        EXPECT_NEAR(std::abs(n.x), 0.6f, 1e-4f);
        EXPECT_NEAR(n.y, 0.0f, 1e-4f);
        EXPECT_NEAR(n.z, 0.8f, 1e-4f);
        east_slope = east_slope || n.x > 0;
    }
    EXPECT_TRUE(east_slope);
    expect_winding_matches_normals(walls);
    expect_winding_matches_normals(roof);
}

TEST(ImportModel, ObjHouseFeaturesAttributesAndColours) {
    const FeatureLayer layer = import_model(house(30), origin);
    EXPECT_EQ(layer.feature_class.id, "imported_model");
    ASSERT_EQ(layer.feature_class.properties.size(), 3u);
    EXPECT_EQ(layer.feature_class.properties[0].name, "id");
    EXPECT_EQ(layer.feature_class.properties[1].name, "name");
    EXPECT_EQ(layer.feature_class.properties[2].name, "source_file");
    ASSERT_EQ(layer.features.size(), 2u);
    const Feature& walls = layer.features[0];
    const Feature& roof = layer.features[1];
    ASSERT_EQ(walls.values.size(), 3u);
    EXPECT_EQ(str(walls.values[0]), "house-1");
    EXPECT_EQ(str(walls.values[1]), "walls");
    EXPECT_EQ(str(walls.values[2]), "house.obj");
    EXPECT_EQ(str(roof.values[0]), "house-2");
    EXPECT_EQ(str(roof.values[1]), "roof");
    EXPECT_EQ(walls.lods[0].triangle_count(), 12u);  // floor 2, sides 2 + 2, gables 3 + 3
    EXPECT_EQ(roof.lods[0].triangle_count(), 4u);
    expect_well_formed(walls);
    expect_well_formed(roof);
    // Kd 0.8 0.75 0.7 and 0.6 0.2 0.1 (linear) as sRGB bytes.
    for (Rgba8 c : walls.lods[0].colors)
        expect_color(c, 231, 225, 218);
    for (Rgba8 c : roof.lods[0].colors)
        expect_color(c, 203, 124, 89);
    for (Rgba8 c : roof.lods[1].colors)
        expect_color(c, 203, 124, 89);
}

TEST(ImportModel, GltfKioskWithNodeTransformAndScale) {
    ModelImport in;
    in.file = data_dir / "kiosk.gltf";
    in.position = {631050.0, 5498060.0, 300.0};
    in.scale = 2;
    in.access = Access::citizen;
    const FeatureLayer layer = import_model(in, origin);
    EXPECT_EQ(layer.id, "import");
    EXPECT_EQ(layer.title_en, "kiosk.gltf");
    EXPECT_EQ(layer.access, Access::citizen);
    EXPECT_EQ(layer.feature_class.properties[0].access, Access::citizen);
    ASSERT_EQ(layer.features.size(), 1u);
    const Feature& f = layer.features[0];
    expect_well_formed(f);
    EXPECT_EQ(str(f.values[0]), "import-1");
    EXPECT_EQ(str(f.values[1]), "Kiosk");
    EXPECT_EQ(str(f.values[2]), "kiosk.gltf");
    EXPECT_EQ(f.lods[0].triangle_count(), 12u);
    EXPECT_EQ(f.lods[0].positions.size(), 24u);  // flat faces keep their own corners
    // Box (0..2, 0..3, 0..2) moved by the node to x 5..7, scaled by 2, y-up to z-up.
    const Box b = bounds(f.lods[0]);
    expect_near(b.lo, {60, 56, 0});
    expect_near(b.hi, {64, 60, 6});
    // baseColorFactor (0.2, 0.4, 0.8) linear.
    for (Rgba8 c : f.lods[0].colors)
        expect_color(c, 124, 170, 231);
    // The glTF's +y face is the top, its +z face looks south.
    size_t up = 0, south = 0;
    for (const glm::vec3& n : f.lods[0].normals) {
        up += n.z > 0.999f;
        south += n.y < -0.999f;
    }
    EXPECT_EQ(up, 4u);
    EXPECT_EQ(south, 4u);
    expect_winding_matches_normals(f.lods[0]);
    expect_winding_matches_normals(f.lods[1]);
}

TEST(ImportModel, DegenerateTrianglesAreSkipped) {
    ModelImport in;
    in.file = data_dir / "degenerate.obj";
    const FeatureLayer layer = import_model(in, LocalOrigin{});
    ASSERT_EQ(layer.features.size(), 1u);
    EXPECT_EQ(layer.features[0].lods[0].triangle_count(), 1u);
    EXPECT_EQ(layer.features[0].lods[0].positions.size(), 3u);
    EXPECT_EQ(str(layer.features[0].values[1]), "degenerate.obj");  // no object name: the file's
    // A flat model's block has only its top and bottom.
    EXPECT_EQ(layer.features[0].lods[1].triangle_count(), 4u);
}

TEST(ImportModel, ErrorsNameTheFileAndTheProblem) {
    ModelImport in;
    in.file = data_dir / "no_such_model.glb";
    expect_error([&] { import_model(in, origin); }, {"no_such_model.glb", "not found"});
    in.file = data_dir / "garbage.glb";
    expect_error([&] { import_model(in, origin); }, {"garbage.glb", "cannot read", "glTF"});
    in.file = data_dir / "nan.obj";
    expect_error([&] { import_model(in, origin); }, {"nan.obj", "not numbers"});
    in.file = data_dir / "lines_only.obj";
    expect_error([&] { import_model(in, origin); }, {"lines_only.obj", "no triangles"});
    in = house(0);
    in.crs = "EPSG:31468";
    expect_error([&] { import_model(in, origin); }, {"house.obj", "EPSG:31468", "EPSG:25832"});
    in = house(0);
    in.scale = 0;
    expect_error([&] { import_model(in, origin); }, {"house.obj", "scale"});
    in = house(0);
    in.layer_id = "../escape";
    expect_error([&] { import_model(in, origin); }, {"house.obj", "../escape", "folder name"});
    in = house(0);
    in.crs = "urn:ogc:def:crs:EPSG::25832";
    EXPECT_EQ(import_model(in, origin).features.size(), 2u);
}

// Ids that would share a folder, a path or a server rule with the bundle (`scenarios` is
// every department's), that are no plain folder name, or that a case-insensitive disk or a
// regular expression would read as another: refused, naming the file and what to do.
TEST(ImportModel, ReservedAndHostileLayerIdsAreRefused) {
    const std::vector<std::string> hostile = {"scenarios",
                                              "server",
                                              "twin.json",
                                              "bake-report.json",
                                              "council",
                                              "..",
                                              ".",
                                              "a/b",
                                              "a b",
                                              "Roads",
                                              "m\u00fcll",
                                              "a.*",
                                              "a|b",
                                              "-x",
                                              std::string(65, 'x'),
                                              "a\tb"};
    for (const std::string& id : hostile) {
        SCOPED_TRACE(id);
        ModelImport in = house(0);
        in.layer_id = id;
        expect_error([&] { import_model(in, origin); },
                     {"import of '", "house.obj", "the layer id '" + printable_id(id) + "'", "--layer ID"});
        CityGmlImport c;
        c.file = data_dir / "buildings.gml";
        c.layer_id = id;
        expect_error([&] { import_citygml(c, origin); },
                     {"buildings.gml", "the layer id '" + printable_id(id) + "'"});
    }
    ModelImport in = house(0);
    in.layer_id = "scenarios";
    expect_error([&] { import_model(in, origin); }, {"is reserved", "flood scenarios", "every department"});
    for (const char* ok : {"road", "roads_2", "bauhof", "a-b", "0"}) {
        in.layer_id = ok;
        EXPECT_EQ(import_model(in, origin).id, ok);
    }
}

CityGmlImport citygml(const std::string& name) {
    CityGmlImport in;
    in.file = data_dir / name;
    return in;
}

TEST(ImportCityGml, BuildingsWithAttributes) {
    const FeatureLayer layer = import_citygml(citygml("buildings.gml"), origin);
    EXPECT_EQ(layer.id, "citygml_buildings");
    EXPECT_EQ(layer.access, Access::citizen);
    EXPECT_EQ(layer.group, "import");
    EXPECT_EQ(layer.feature_class.id, "building");
    const std::vector<std::pair<std::string, PropertyType>> expected = {
        {"id", PropertyType::string},           {"street", PropertyType::string},
        {"house_number", PropertyType::string}, {"use", PropertyType::string},
        {"storeys", PropertyType::int32},       {"height_m", PropertyType::float64},
        {"year_built", PropertyType::int32}};
    ASSERT_EQ(layer.feature_class.properties.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(layer.feature_class.properties[i].name, expected[i].first);
        EXPECT_EQ(layer.feature_class.properties[i].type, expected[i].second);
        EXPECT_EQ(layer.feature_class.properties[i].access, Access::citizen);
    }

    ASSERT_EQ(layer.features.size(), 3u);
    const auto& v1 = layer.features[0].values;
    ASSERT_EQ(v1.size(), 7u);
    EXPECT_EQ(str(v1[0]), "DEBY_LOD2_0001");
    EXPECT_EQ(str(v1[1]), "Hauptstraße");
    EXPECT_EQ(str(v1[2]), "12");
    EXPECT_EQ(str(v1[3]), "31001_1000");
    EXPECT_EQ(int_of(v1[4]), 2);
    EXPECT_DOUBLE_EQ(num(v1[5]), 9.0);
    EXPECT_EQ(int_of(v1[6]), 1965);

    // No measuredHeight: the height of the geometry; storeys of the Building, not its part.
    const auto& v2 = layer.features[1].values;
    EXPECT_EQ(str(v2[0]), "DEBY_LOD2_0002");
    EXPECT_EQ(str(v2[1]), "Schulweg");
    EXPECT_EQ(str(v2[2]), "3a");
    EXPECT_EQ(str(v2[3]), "31001_2000");
    EXPECT_EQ(int_of(v2[4]), 3);
    EXPECT_NEAR(num(v2[5]), 7.0, 1e-9);
    EXPECT_EQ(int_of(v2[6]), -1);

    const auto& v3 = layer.features[2].values;
    EXPECT_EQ(str(v3[0]), "DEBY_LOD2_0003");
    EXPECT_EQ(str(v3[1]), "");
    EXPECT_EQ(str(v3[2]), "");
    EXPECT_EQ(str(v3[3]), "");
    EXPECT_EQ(int_of(v3[4]), -1);
    EXPECT_NEAR(num(v3[5]), 3.0, 1e-9);
    EXPECT_EQ(int_of(v3[6]), -1);
}

TEST(ImportCityGml, GeometryRelativeToTheOrigin) {
    const FeatureLayer layer = import_citygml(citygml("buildings.gml"), origin);
    ASSERT_EQ(layer.features.size(), 3u);
    for (const Feature& f : layer.features) {
        expect_well_formed(f);
        expect_winding_matches_normals(f.lods[0]);
        expect_winding_matches_normals(f.lods[1]);
    }
    const TriMesh& b1 = layer.features[0].lods[0];
    // Ground 2, walls 2 + 2 + 3 + 3, roof 2 + 2; the rings' closing points add none.
    EXPECT_EQ(b1.triangle_count(), 16u);
    Box box = bounds(b1);
    expect_near(box.lo, {10, 10, 0});
    expect_near(box.hi, {20, 18, 9});
    EXPECT_TRUE(has_point(b1, {20, 14, 9}));  // the ridge over the east gable
    // The part is merged into its building: 12 + 12 triangles, 18 m east to west.
    const TriMesh& b2 = layer.features[1].lods[0];
    EXPECT_EQ(b2.triangle_count(), 24u);
    box = bounds(b2);
    expect_near(box.lo, {30, 10, 0.5});
    expect_near(box.hi, {48, 20, 7.5});
    EXPECT_EQ(layer.features[2].lods[0].triangle_count(), 12u);

    // Another origin moves everything by the difference.
    const FeatureLayer moved =
        import_citygml(citygml("buildings.gml"), LocalOrigin{631010.0, 5497990.0, 310.0});
    box = bounds(moved.features[0].lods[0]);
    expect_near(box.lo, {0, 20, -10});
}

TEST(ImportCityGml, ColoursBySurfaceType) {
    const FeatureLayer layer = import_citygml(citygml("buildings.gml"), origin);
    ASSERT_EQ(layer.features.size(), 3u);
    const Rgba8 wall{232, 226, 212, 255}, roof{150, 66, 48, 255}, ground{128, 128, 128, 255};
    // Building 1 from its Wall-, Roof- and GroundSurfaces: areas of the 10 x 8 m house,
    // 6 m to the eaves, 3 m gables (roof slopes 5 m wide).
    const TriMesh& b1 = layer.features[0].lods[0];
    EXPECT_NEAR(area_with_color(b1, ground), 80.0, 1e-6);
    EXPECT_NEAR(area_with_color(b1, wall), 2 * 60.0 + 2 * (48.0 + 12.0), 1e-6);
    EXPECT_NEAR(area_with_color(b1, roof), 100.0, 1e-6);
    for (size_t i = 0; i < b1.positions.size(); ++i) {
        const Rgba8 c = b1.colors[i];
        if (b1.normals[i].z > 0.5f) expect_color(c, roof.r, roof.g, roof.b);
        if (std::abs(b1.normals[i].z) < 1e-6f) expect_color(c, wall.r, wall.g, wall.b);
        if (b1.normals[i].z < -0.99f) expect_color(c, ground.r, ground.g, ground.b);
    }
    // Building 3 has bare surfaces: told apart by their slope.
    const TriMesh& b3 = layer.features[2].lods[0];
    EXPECT_NEAR(area_with_color(b3, roof), 36.0, 1e-6);
    EXPECT_NEAR(area_with_color(b3, ground), 36.0, 1e-6);
    EXPECT_NEAR(area_with_color(b3, wall), 4 * 18.0, 1e-6);
    // The block: roof on top, walls around, ground below.
    const TriMesh& block = layer.features[0].lods[1];
    EXPECT_NEAR(area_with_color(block, roof), 80.0, 1e-6);
    EXPECT_NEAR(area_with_color(block, ground), 80.0, 1e-6);
    EXPECT_NEAR(area_with_color(block, wall), 2 * (10 + 8) * 9.0, 1e-6);
}

TEST(ImportCityGml, SolidOfXlinkedSurfacesCountsEachPolygonOnce) {
    const FeatureLayer layer = import_citygml(citygml("buildings_xlink_solid.gml"), origin);
    ASSERT_EQ(layer.features.size(), 1u);
    const TriMesh& b1 = layer.features[0].lods[0];
    EXPECT_EQ(b1.triangle_count(), 16u);
    EXPECT_NEAR(area_with_color(b1, Rgba8{150, 66, 48, 255}), 100.0, 1e-6);  // roofs, by their surface
    EXPECT_NEAR(area_with_color(b1, Rgba8{128, 128, 128, 255}), 80.0, 1e-6);
}

TEST(ImportCityGml, CompoundCrsAndOwnLayerId) {
    CityGmlImport in = citygml("buildings_compound_crs.gml");
    in.layer_id = "lod2";
    in.title_de = "LoD2-Gebäude";
    in.access = Access::council;
    const FeatureLayer layer = import_citygml(in, origin);
    EXPECT_EQ(layer.id, "lod2");
    EXPECT_EQ(layer.title_de, "LoD2-Gebäude");
    EXPECT_EQ(layer.title_en, "buildings_compound_crs.gml");
    EXPECT_EQ(layer.access, Access::council);
    ASSERT_EQ(layer.features.size(), 1u);
    EXPECT_EQ(str(layer.features[0].values[0]), "DEBY_LOD2_0001");
}

TEST(ImportCityGml, ErrorsNameTheFileAndTheProblem) {
    expect_error([] { import_citygml(citygml("no_such_file.gml"), origin); },
                 {"no_such_file.gml", "not found"});
    expect_error([] { import_citygml(citygml("garbage.gml"), origin); },
                 {"garbage.gml", "not a CityGML file"});
    expect_error([] { import_citygml(citygml("truncated.gml"), origin); },
                 {"truncated.gml", "cannot read", "XML"});
    expect_error([] { import_citygml(citygml("buildings_gk4.gml"), origin); },
                 {"buildings_gk4.gml", "EPSG:31468", "EPSG:25832"});
    expect_error([] { import_citygml(citygml("no_srs.gml"), origin); },
                 {"no_srs.gml", "srsName", "EPSG:25832"});
    expect_error([] { import_citygml(citygml("broken_nan.gml"), origin); },
                 {"broken_nan.gml", "broken geometry", "line 16", "not a number"});
    expect_error([] { import_citygml(citygml("no_buildings.gml"), origin); },
                 {"no_buildings.gml", "no buildings"});
    expect_error([] { import_citygml(citygml("no_surfaces.gml"), origin); },
                 {"no_surfaces.gml", "none of its 2 building(s) has surface geometry"});
    // A model file is not CityGML, and CityGML is not a model Assimp reads.
    expect_error([] { import_citygml(citygml("house.obj"), origin); }, {"house.obj", "not a CityGML file"});
}

}  // namespace
