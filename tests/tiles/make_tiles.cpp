// Writes the small tilesets that tests/tiles renders (golden images) and tests/pick picks:
//   pnts_cloud/   a pnts point cloud: quantised positions, RGB, oct normals, uint8
//                 BATCH_IDs with a batch table (four quarters with a name and a kind)
//   draco_b3dm/   a b3dm holding a KHR_draco_mesh_compression glb: three coloured
//                 houses, _BATCHID per house, a batch table
// Both are placed on the ellipsoid near Weisendorf by an east-north-up transform.
// usage: zw_make_tiles OUT_DIR   (the files in tests/data/tiles were written so; rerun
// it only to change them, and re-bless the goldens)
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tests/tiles/draco_writer.h"

namespace {

namespace fs = std::filesystem;
using zw::test::append;
using zw::test::ordered_json;

void write(const fs::path& path, const std::vector<uint8_t>& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}
void write(const fs::path& path, const ordered_json& j) {
    const std::string text = j.dump(2) + "\n";
    write(path, std::vector<uint8_t>(text.begin(), text.end()));
}

// East-north-up at 49.617 N, 10.833 E, 300 m on WGS84, column-major as 3D Tiles wants.
ordered_json enu_transform() {
    const double lat = 49.617 * M_PI / 180.0, lon = 10.833 * M_PI / 180.0, h = 300.0;
    const double a = 6378137.0, e2 = 6.69437999014e-3;
    const double n = a / std::sqrt(1.0 - e2 * std::sin(lat) * std::sin(lat));
    const double x = (n + h) * std::cos(lat) * std::cos(lon), y = (n + h) * std::cos(lat) * std::sin(lon),
                 z = (n * (1.0 - e2) + h) * std::sin(lat);
    const double east[3] = {-std::sin(lon), std::cos(lon), 0.0};
    const double north[3] = {-std::sin(lat) * std::cos(lon), -std::sin(lat) * std::sin(lon), std::cos(lat)};
    const double up[3] = {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
    return {east[0], east[1], east[2], 0, north[0], north[1], north[2], 0,
            up[0],   up[1],   up[2],   0, x,        y,        z,        1};
}

ordered_json tileset(const ordered_json& box, const std::string& uri) {
    return {{"asset", {{"version", "1.0"}}},
            {"geometricError", 0},
            {"root",
             {{"transform", enu_transform()},
              {"boundingVolume", {{"box", box}}},
              {"geometricError", 0},
              {"refine", "ADD"},
              {"content", {{"uri", uri}}}}}};
}

// 100 x 100 points on a 60 m square, a low dome, coloured by position; four quarters.
void pnts_cloud(const fs::path& dir) {
    const uint32_t side = 100, n = side * side;
    const double size = 60.0, height = 6.0;
    std::vector<uint16_t> q;
    std::vector<uint8_t> rgb, oct, ids;
    for (uint32_t j = 0; j < side; ++j)
        for (uint32_t i = 0; i < side; ++i) {
            const double u = double(i) / (side - 1), v = double(j) / (side - 1);
            const double r2 = (u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5);
            const double z = height * std::max(0.0, 1.0 - 2.0 * r2);
            q.insert(q.end(), {uint16_t(u * 65535), uint16_t(v * 65535), uint16_t(z / height * 65535)});
            rgb.insert(rgb.end(), {uint8_t(40 + 215 * u), uint8_t(40 + 215 * v), uint8_t(230 - 200 * u * v)});
            oct.insert(oct.end(), {128, 255});  // straight up
            ids.push_back(uint8_t((u >= 0.5 ? 1 : 0) + (v >= 0.5 ? 2 : 0)));
        }
    std::vector<uint8_t> bin;
    append(bin, q);  // 60000 bytes
    const size_t rgb_at = bin.size();
    append(bin, rgb);
    const size_t oct_at = bin.size();
    append(bin, oct);
    const size_t ids_at = bin.size();
    append(bin, ids);
    const ordered_json ft = {{"POINTS_LENGTH", n},
                             {"RTC_CENTER", {0.0, 0.0, 0.0}},
                             {"POSITION_QUANTIZED", {{"byteOffset", 0}}},
                             {"QUANTIZED_VOLUME_OFFSET", {-size / 2, -size / 2, 0.0}},
                             {"QUANTIZED_VOLUME_SCALE", {size, size, height}},
                             {"RGB", {{"byteOffset", rgb_at}}},
                             {"NORMAL_OCT16P", {{"byteOffset", oct_at}}},
                             {"BATCH_ID", {{"byteOffset", ids_at}, {"componentType", "UNSIGNED_BYTE"}}},
                             {"BATCH_LENGTH", 4}};
    const std::string bt =
        R"({"id": ["PC-SW", "PC-SE", "PC-NW", "PC-NE"], "name": ["Südwest", "Südost", "Nordwest", "Nordost"],)"
        R"( "kind": ["Wiese", "Acker", "Wald", "Hof"]})";
    write(dir / "pnts_cloud" / "cloud.pnts", zw::test::make_legacy_tile("pnts", ft.dump(), bin, bt, {}));
    write(dir / "pnts_cloud" / "tileset.json",
          tileset({0, 0, height / 2, size / 2, 0, 0, 0, size / 2, 0, 0, 0, height / 2}, "cloud.pnts"));
}

// A house of 10 x 8 m, walls 6 m, gable 4 m, at (x, y): walls in `wall`, roof in `roof`.
void house(zw::test::DracoInput& in, float x, float y, const uint8_t wall[3], const uint8_t roof[3],
           uint16_t id) {
    auto quad = [&](const float(&p)[4][3], const uint8_t c[3]) {
        const uint32_t base = uint32_t(in.positions.size() / 3);
        const float ax = p[1][0] - p[0][0], ay = p[1][1] - p[0][1], az = p[1][2] - p[0][2];
        const float bx = p[3][0] - p[0][0], by = p[3][1] - p[0][1], bz = p[3][2] - p[0][2];
        float nx = ay * bz - az * by, ny = az * bx - ax * bz, nz = ax * by - ay * bx;
        const float len = std::sqrt(nx * nx + ny * ny + nz * nz);
        nx /= len, ny /= len, nz /= len;
        for (const auto& v : p) {
            // glTF is y-up: (east, up, -north).
            in.positions.insert(in.positions.end(), {x + v[0], v[2], -(y + v[1])});
            in.normals.insert(in.normals.end(), {nx, nz, -ny});
            in.colors.insert(in.colors.end(), {c[0], c[1], c[2], 255});
            in.batch_ids.push_back(id);
        }
        in.triangles.insert(in.triangles.end(), {base, base + 1, base + 2, base, base + 2, base + 3});
    };
    const float w = 5, d = 4, h = 6, r = 10;
    quad({{-w, -d, 0}, {w, -d, 0}, {w, -d, h}, {-w, -d, h}}, wall);  // south
    quad({{w, d, 0}, {-w, d, 0}, {-w, d, h}, {w, d, h}}, wall);      // north
    quad({{w, -d, 0}, {w, d, 0}, {w, d, h}, {w, -d, h}}, wall);      // east
    quad({{-w, d, 0}, {-w, -d, 0}, {-w, -d, h}, {-w, d, h}}, wall);  // west
    quad({{-w, -d, h}, {w, -d, h}, {w, 0, r}, {-w, 0, r}}, roof);    // south roof
    quad({{w, d, h}, {-w, d, h}, {-w, 0, r}, {w, 0, r}}, roof);      // north roof
    // The gable ends as degenerate quads (a triangle and a point on its edge).
    quad({{w, -d, h}, {w, d, h}, {w, 0, r}, {w, -d * 0.5f, h + 2}}, wall);
    quad({{-w, d, h}, {-w, -d, h}, {-w, 0, r}, {-w, d * 0.5f, h + 2}}, wall);
}

void draco_b3dm(const fs::path& dir) {
    zw::test::DracoInput in;
    const uint8_t white[3] = {235, 225, 200}, red[3] = {180, 40, 30}, yellow[3] = {240, 200, 70},
                  grey[3] = {90, 90, 100}, blue[3] = {120, 160, 220}, brown[3] = {120, 70, 40};
    house(in, -15, 0, white, red, 0);
    house(in, 0, 12, yellow, grey, 1);
    house(in, 15, 0, blue, brown, 2);
    const auto glb = zw::test::draco_glb(in, "_BATCHID");
    const std::string bt =
        R"({"id": ["H-1", "H-2", "H-3"], "street": ["Am Anger", "Am Anger", "Kirchplatz"],)"
        R"( "storeys": [2, 1, 3]})";
    write(dir / "draco_b3dm" / "houses.b3dm",
          zw::test::make_legacy_tile("b3dm", R"({"BATCH_LENGTH": 3})", {}, bt, {}, glb));
    write(dir / "draco_b3dm" / "tileset.json",
          tileset({0, 4, 5, 21, 0, 0, 0, 13, 0, 0, 0, 5}, "houses.b3dm"));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: zw_make_tiles OUT_DIR\n";
        return 2;
    }
    pnts_cloud(argv[1]);
    draco_b3dm(argv[1]);
    std::cout << "wrote " << argv[1] << "/pnts_cloud and " << argv[1] << "/draco_b3dm\n";
    return 0;
}
