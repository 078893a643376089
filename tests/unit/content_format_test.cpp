// Tile content decoding (engine/tiles/content.h): format detection, and the inputs the
// fuzzers found (tests/fuzz), each a message and never a crash.
#include "engine/tiles/content.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "content_test_util.h"
#include "engine/core/error.h"

namespace {

using namespace zw::test;

TEST(ContentFormat, EmptyBytesAreAnError) {
    expect_error({}, "empty.b3dm", {"empty.b3dm", "is empty"});
}

TEST(ContentFormat, OtherTileFormatsAreNotSupportedYet) {
    for (const char* magic : {"cmpt"}) {
        std::vector<uint8_t> bytes(64, 0);
        std::memcpy(bytes.data(), magic, 4);
        const std::string uri = std::string("tile.") + magic;
        expect_error(bytes, uri, {uri, magic, "not supported"});
    }
}

TEST(ContentFormat, UnknownMagicIsNamed) {
    expect_error(bytes_of("PK\x03\x04 and more"), "a.zip", {"a.zip", "not a tile", "unknown magic"});
    const std::vector<uint8_t> binary = {0x00, 0xff, 0x10, 0x80, 1, 2, 3};
    expect_error(binary, "b.bin", {"b.bin", "0x00 0xff 0x10 0x80"});
}

TEST(ContentFormat, TilesetJsonIsAnExternalTileset) {
    const std::string text =
        "\xEF\xBB\xBF  {\"asset\": {\"version\": \"1.1\"}, \"geometricError\": 1,\n"
        " \"root\": {\"boundingVolume\": {\"sphere\": [0, 0, 0, 1]}, \"geometricError\": 0}}";
    const DecodedContent c = decode(bytes_of(text), "sub/tileset.json");
    EXPECT_EQ(c.kind, DecodedContent::Kind::external_tileset);
    EXPECT_EQ(c.json, bytes_of(text));
    EXPECT_TRUE(c.model.vertices.empty());
}

TEST(ContentFormat, JsonThatIsNeitherTilesetNorGltfIsAnError) {
    EXPECT_THROW(decode(bytes_of(R"({"hello": "world"})"), "x.json"), zw::Error);
    EXPECT_THROW(decode(bytes_of(R"({"asset": {"version": "2.0"}, "broken)"), "x.gltf"), zw::Error);
}

std::string nested(size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

TEST(ContentFuzzFindings, GlbHeaderShorterThanItself) {
    // A glb whose header says it is 0 bytes long (read past the buffer before the fix).
    std::vector<uint8_t> b = {'g', 'l', 'T', 'F'};
    put_u32(b, 2);
    put_u32(b, 0);
    put_u32(b, 0x100);
    b.insert(b.end(), {'J', 'S', 'O', 'N'});
    put_u32(b, 0);
    expect_error(b, "short.glb", {"short.glb", "shorter than the header"});
}

TEST(ContentFuzzFindings, DeeplyNestedJsonIsRefused) {
    // 50,000 levels overflowed the stack in copies, dumps and tinygltf before the fix.
    expect_error(bytes_of(R"({"asset": {"version": "2.0"}, "extras": )" + nested(50000) + ", \"x\": 1}"),
                 "deep.gltf", {"deep.gltf", "nests more than 1000 levels"});
    expect_error(
        make_b3dm(batched_triangle_glb(), R"({"BATCH_LENGTH": 1})", {}, R"({"name": )" + nested(50000) + "}"),
        "deep.b3dm", {"deep.b3dm", "nests more than 1000 levels"});
    // Real files nest far less than the limit and still load.
    EXPECT_NO_THROW(
        decode(bytes_of(R"({"asset": {"version": "2.0"}, "extras": )" + nested(200) + "}"), "fine.gltf"));
}

}  // namespace
