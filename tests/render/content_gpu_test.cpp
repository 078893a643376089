// Tile content on the GPU, with validation on: textured models render their own images
// (sampler and KHR_texture_transform included), a textured tile streams like any other,
// and every content we can lay hands on - the public samples, tests/data and generated
// hostile variants (many, huge, missing and undecodable images, zero-sized views,
// dangling references) - goes through decode *and* upload and one frame without a crash
// or a validation message. Before the upload batch kept image handles instead of
// pointers into a growing vector, a model with two images crashed here.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <thread>

#include "engine/core/error.h"
#include "engine/core/jobs.h"
#include "engine/render/tile_uploader.h"
#include "engine/tiles/content.h"
#include "engine/tiles/stream.h"
#include "tests/render/content_variants.h"
#include "tests/render/fixture.h"
#include "tests/render/golden.h"

namespace zw {
namespace {

namespace fs = std::filesystem;
using test::RenderTest;

// As the scene goldens (render_test.cpp): above 6/255 a pixel differs; 0.5 % may, and
// half of any 8x8 block.
constexpr test::Tolerance golden_tolerance{6, 0.005, 0.5};

// The textured row of `count` quads seen from the south, filling most of the image.
render::Camera row_camera(int count) {
    const double cx = 0.6 * count - 0.1;
    render::Camera c;
    c.look_at({cx, -0.95 * count - 1.0, 0.5}, {cx, 0, 0.5});
    return c;
}

// The framebuffer pixel that world point `p` lands on.
glm::ivec2 project(const render::Camera& camera, const glm::dvec3& p) {
    const VkExtent2D size = test::render_size;
    const glm::dvec4 clip = camera.projection(double(size.width) / size.height) * camera.view_rotation() *
                            glm::dvec4(p - camera.eye(), 1);
    const glm::dvec2 ndc = glm::dvec2(clip) / clip.w;
    return {int((ndc.x * 0.5 + 0.5) * size.width), int((ndc.y * 0.5 + 0.5) * size.height)};
}

// The palette colour (by hue: each channel over the brightest) nearest to a pixel.
int nearest_palette(const uint8_t* px) {
    const float m = float(std::max({px[0], px[1], px[2], uint8_t(1)}));
    const glm::vec3 c(px[0] / m, px[1] / m, px[2] / m);
    int best = -1;
    float best_d = 1e9f;
    for (int i = 0; i < 6; ++i) {
        const glm::u8vec3 p = test::left_colour(i);
        const float pm = float(std::max({p.r, p.g, p.b}));
        const float d = glm::length(c - glm::vec3(p) / pm);
        if (d < best_d) best_d = d, best = i;
    }
    return best;
}

// Quad i of the row shows its own image: left half left_colour(i), right half
// right_colour(i), swapped where the quad's texture transform shifts by half.
void expect_row_textures(const core::Image& image, const render::Camera& camera, int count,
                         const std::vector<int>& transformed) {
    for (int i = 0; i < count; ++i) {
        const bool swapped = std::find(transformed.begin(), transformed.end(), i) != transformed.end();
        for (int half = 0; half < 2; ++half) {
            const double x = 1.2 * i + (half ? 0.75 : 0.25);
            const glm::ivec2 px = project(camera, {x, 0, 0.5});
            ASSERT_TRUE(px.x >= 0 && px.y >= 0 && px.x < image.width && px.y < image.height);
            const glm::u8vec3 want = (half == 0) != swapped ? test::left_colour(i) : test::right_colour(i);
            int want_index = 0;
            for (int k = 0; k < 6; ++k)
                if (test::left_colour(k) == want) want_index = k;
            const uint8_t* got = image.pixel(px.x, px.y);
            EXPECT_EQ(nearest_palette(got), want_index)
                << "quad " << i << (half ? " right" : " left") << " half at pixel " << px.x << "," << px.y
                << " is " << int(got[0]) << "," << int(got[1]) << "," << int(got[2]);
        }
    }
}

TEST_F(RenderTest, TexturedModelShowsEachImageWithItsSamplerAndTransform) {
    // Four images, four materials; quad 2's texture is shifted by half through
    // KHR_texture_transform. Two or more images crashed the upload before.
    constexpr int count = 4;
    const std::vector<int> transformed = {2};
    const auto glb = test::make_textured_row_glb(count, transformed);
    renderer->set_model(gltf::load_model_from_glb(glb, "textured row"), *frames);
    const render::Camera camera = row_camera(count);
    const core::Image image = render(camera);
    expect_row_textures(image, camera, count, transformed);
    const std::string failure = test::compare_with_golden(image, "textured_model", golden_tolerance);
    EXPECT_TRUE(failure.empty()) << failure;
}

// A folder holding a one-tile tileset whose content is `content_name`.
fs::path write_tileset(const std::string& folder, const std::string& content_name,
                       const std::vector<uint8_t>& content, double half_x) {
    const fs::path dir = fs::temp_directory_path() / folder;
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / content_name, std::ios::binary)
        .write(reinterpret_cast<const char*>(content.data()), std::streamsize(content.size()));
    std::ofstream(dir / "tileset.json") << R"({"asset":{"version":"1.1"},"geometricError":10,"root":{)"
                                        << R"("boundingVolume":{"box":[)" << half_x << ",0,0.5," << half_x
                                        << R"(,0,0,0,0.5,0,0,0,0.6]},"geometricError":0,"refine":"ADD",)"
                                        << R"("content":{"uri":")" << content_name << R"("}}})";
    return dir;
}

// Streams the one-tile tileset in `dir` through the streamer and the tile uploader (the
// viewer's path: uploads recorded into the frame's command buffer) until the view is
// complete, and returns the last frame. `draws` receives what was drawn.
core::Image stream_tile(test::RenderTest& t, gpu::FrameRing& frames, render::Renderer& renderer,
                        gpu::RenderTarget& target, const fs::path& dir, const render::Camera& camera,
                        const std::function<void(tiles::TileStreamer&)>& after = {}) {
    core::JobSystem jobs(2);
    render::TileUploader uploader(renderer, frames);
    tiles::TileStreamer streamer(jobs, uploader);
    streamer.add_tileset((dir / "tileset.json").string(), "tile");
    const double aspect = double(test::render_size.width) / test::render_size.height;
    tiles::ViewState view;
    view.eye = camera.eye();
    view.direction = camera.forward();
    view.culling = tiles::CullingVolume::from_matrix(camera.projection(aspect) * camera.view_rotation());
    view.viewport_height = test::render_size.height;
    view.fov_y = camera.fov_y;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool complete = false;
    for (uint64_t n = 1; !complete && std::chrono::steady_clock::now() < deadline; ++n) {
        const gpu::Frame& f = frames.begin();
        uploader.begin_frame(f.cmd);
        streamer.update(view, n);
        render::collect_draws(streamer, view, renderer.streamed);
        complete = streamer.stats().complete && !renderer.streamed.empty();
        renderer.render(frames, f, target, 0, camera, {}, complete);
        frames.submit();
        if (!complete) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    frames.drain();
    EXPECT_TRUE(complete) << "the tile did not finish loading: "
                          << (streamer.layers()[0].error.empty() ? "no error" : streamer.layers()[0].error);
    core::Image image = target.read_image();
    if (after) after(streamer);
    renderer.streamed.clear();
    frames.drain();
    streamer.wait_idle();
    (void)t;
    return image;
}

TEST_F(RenderTest, TexturedTileStreamsAndShowsItsTextures) {
    // The same row as a b3dm tile, streamed.
    constexpr int count = 3;
    const fs::path dir = write_tileset("zw_textured_tile", "row.b3dm",
                                       test::wrap_b3dm(test::make_textured_row_glb(count, {1})), 0.6 * count);
    const render::Camera camera = row_camera(count);
    const core::Image image = stream_tile(*this, *frames, *renderer, *target, dir, camera);
    expect_row_textures(image, camera, count, {1});
    const std::string failure = test::compare_with_golden(image, "textured_tile", golden_tolerance);
    EXPECT_TRUE(failure.empty()) << failure;
}

TEST_F(RenderTest, InstancedTileDrawsEveryCopyInOneDrawAndPicksItsBatchId) {
    // An i3dm: one red quad, five copies along x (every 2 m, the fourth scaled 1.5), batch
    // ids 0..4 with names. Each copy is drawn (red at its centre, sky between), with one
    // draw call for all five, and a pick on the fourth returns batch id 3.
    const std::vector<glm::vec3> positions = {{0, 0, 0}, {2, 0, 0}, {4, 0, 0}, {6, 0, 0}, {8, 0, 0}};
    const std::vector<std::string> names = {"Linde 0", "Linde 1", "Linde 2", "Eiche 3", "Linde 4"};
    const auto tile = test::make_i3dm(test::make_plain_quad_glb(test::left_colour(0)), positions,
                                      {1, 1, 1, 1.5f, 1}, names);
    const fs::path dir = write_tileset("zw_instanced_tile", "trees.i3dm", tile, 4.5);
    render::Camera camera;
    camera.look_at({4.5, -9.0, 0.6}, {4.5, 0, 0.6});
    render::DrawStats stats;
    std::optional<render::PickHit> hit;
    std::string picked_name;
    const glm::ivec2 fourth = project(camera, {6.5, 0, 0.5});
    const core::Image image =
        stream_tile(*this, *frames, *renderer, *target, dir, camera, [&](tiles::TileStreamer& s) {
            renderer->request_pick(uint32_t(fourth.x), uint32_t(fourth.y));
            for (int i = 0; i < 2 && !hit; ++i) {
                const gpu::Frame& f = frames->begin();
                stats = renderer->render(*frames, f, *target, 0, camera);
                frames->submit();
                frames->drain();
                hit = renderer->take_pick(*frames);
            }
            const tiles::TileContent& content = s.render_list().at(0)->contents.at(0);
            if (hit && hit->hit && hit->table >= 0) {
                const gltf::PropertyTable& t = content.loaded->model.property_tables.at(size_t(hit->table));
                picked_name = t.values.at(0).at(hit->feature);
            }
        });
    for (size_t i = 0; i < positions.size(); ++i) {
        const double size = i == 3 ? 1.5 : 1.0;
        const glm::ivec2 px =
            project(camera, glm::dvec3(positions[i]) + glm::dvec3(0.5 * size, 0, 0.5 * size));
        EXPECT_EQ(nearest_palette(image.pixel(px.x, px.y)), 0) << "copy " << i << " is drawn";
    }
    const glm::ivec2 gap = project(camera, {1.5, 0, 0.5});
    const uint8_t* sky = image.pixel(gap.x, gap.y);
    EXPECT_FALSE(sky[0] > 2 * sky[2]) << "nothing red between the copies";
    // One draw for the five copies, plus the sky.
    EXPECT_EQ(stats.draw_calls, 2u);
    EXPECT_EQ(stats.triangles, 5u * 2u + 1u);
    ASSERT_TRUE(hit && hit->hit) << "the pick found the fourth copy";
    EXPECT_EQ(hit->feature, 3u);
    EXPECT_EQ(picked_name, "Eiche 3");
    const std::string failure = test::compare_with_golden(image, "instanced_tile", golden_tolerance);
    EXPECT_TRUE(failure.empty()) << failure;
}

TEST_F(RenderTest, GpuInstancedGlbDrawsEveryCopyInOneDraw) {
    // EXT_mesh_gpu_instancing: four copies of a green quad (moved, scaled, turned).
    renderer->set_model(
        gltf::load_model_from_glb(test::make_gpu_instanced_glb(test::left_colour(1)), "copies"), *frames);
    render::Camera camera;
    camera.look_at({3.5, -8.0, 0.6}, {3.5, 0, 0.6});
    render::DrawStats stats;
    const core::Image image = render(camera, &stats);
    // Centres: plain, half size, the diamond (its centre stays inside), moved up.
    for (const glm::dvec3 c : {glm::dvec3(0.5, 0, 0.5), glm::dvec3(2.25, 0, 0.25), glm::dvec3(4.0, 0, 0.6),
                               glm::dvec3(6.5, 0, 1.0)}) {
        const glm::ivec2 px = project(camera, c);
        EXPECT_EQ(nearest_palette(image.pixel(px.x, px.y)), 1) << "a copy at " << c.x << "," << c.z;
    }
    const glm::ivec2 corner = project(camera, {2.75, 0, 0.75});  // outside the half-size copy
    EXPECT_NE(nearest_palette(image.pixel(corner.x, corner.y)), 1) << "the second copy is half the size";
    EXPECT_EQ(stats.draw_calls, 2u) << "one instanced draw and the sky";
    const std::string failure = test::compare_with_golden(image, "gpu_instanced_glb", golden_tolerance);
    EXPECT_TRUE(failure.empty()) << failure;
}

// Every content file below `root` (glb, glTF, b3dm, i3dm, pnts, cmpt).
std::vector<fs::path> content_files(const fs::path& root) {
    std::vector<fs::path> out;
    if (!fs::is_directory(root)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".glb" || ext == ".gltf" || ext == ".b3dm" || ext == ".i3dm" ||
                                    ext == ".pnts" || ext == ".cmpt"))
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<uint8_t> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(RenderTest, EveryContentDecodesAndUploadsWithValidationOn) {
    struct Item {
        std::string name;
        std::vector<uint8_t> bytes;
        tiles::FetchFn fetch;
    };
    std::vector<Item> items;
    size_t sample_files = 0;
    for (const fs::path& root : {fs::path(ZW_SHARED_DATA), fs::path(ZW_TEST_DATA), fs::path(ZW_FUZZ_CORPUS)})
        for (const fs::path& p : content_files(root)) {
            const fs::path dir = p.parent_path();
            items.push_back({p.string(), read_file(p), [dir](const std::string& uri) {
                                 const fs::path f = dir / uri;
                                 if (!fs::is_regular_file(f)) throw Error("no such file: " + f.string());
                                 return read_file(f);
                             }});
            sample_files += root == fs::path(ZW_SHARED_DATA);
        }
    // The shared samples are part of every checkout's ../shared (CI has them).
    EXPECT_GE(sample_files, 30u) << "expected the public samples below " << ZW_SHARED_DATA;
    for (test::ContentVariant& v : test::hostile_content_variants()) {
        auto files = std::make_shared<std::vector<std::pair<std::string, std::vector<uint8_t>>>>(v.files);
        items.push_back({v.name, std::move(v.bytes), [files](const std::string& uri) {
                             for (const auto& [name, bytes] : *files)
                                 if (uri.ends_with("/" + name) || uri == name) return bytes;
                             throw Error("no such file: " + uri);
                         }});
    }

    render::TileUploader uploader(*renderer, *frames);
    size_t uploaded = 0, refused = 0, textured = 0;
    for (Item& item : items) {
        SCOPED_TRACE(item.name);
        tiles::DecodedContent decoded;
        try {
            decoded = tiles::decode_content(item.bytes,
                                            "file:///content/" + fs::path(item.name).filename().string(),
                                            glm::dmat4(1.0), item.fetch);
        } catch (const Error& e) {
            EXPECT_GT(std::string(e.what()).size(), 10u) << "a refusal says why";
            ++refused;
            continue;
        }
        if (decoded.kind != tiles::DecodedContent::Kind::model) continue;
        for (const gltf::Material& m : decoded.model.materials)
            textured += m.base_color_texture >= 0;
        tiles::LoadedContent content;
        content.model = std::move(decoded.model);
        // Upload inside a frame's command buffer (the viewer's path), then draw it.
        const gpu::Frame& f = frames->begin();
        uploader.begin_frame(f.cmd);
        uploader.upload(content);
        ASSERT_TRUE(content.gpu != nullptr);
        render::DrawModel d;
        d.model = &content.model;
        d.gpu = static_cast<const render::GpuModel*>(content.gpu.get());
        renderer->streamed = {d};
        render::Camera camera;
        const glm::dvec3 c = (content.model.bounds.min + content.model.bounds.max) * 0.5;
        const double r = std::max(1.0, glm::length(content.model.bounds.max - content.model.bounds.min));
        camera.look_at(c + glm::dvec3(-0.6, -1.0, 0.7) * r, c);
        renderer->render(*frames, f, *target, 0, camera);
        frames->submit();
        renderer->streamed.clear();
        uploader.release(content);
        ++uploaded;
    }
    frames->drain();
    // The generated variants alone upload over a dozen textured materials; a sweep that
    // refused them all would prove nothing.
    EXPECT_GE(uploaded, items.size() / 2) << refused << " of " << items.size() << " refused";
    EXPECT_GE(textured, 40u);
    std::printf(
        "content sweep: %zu contents (%zu public samples), %zu uploaded and drawn, %zu refused, "
        "%zu textured materials\n",
        items.size(), sample_files, uploaded, refused, textured);
}

TEST_F(RenderTest, MutatedContentsDecodeAndUploadWithValidationOn) {
    // Not libFuzzer (its coverage build cannot link the Vulkan path here), but the same
    // idea on the GPU side: 3 random bytes changed in each generated variant, 16 times
    // each (a fixed seed), through decode, upload inside a frame, and a drawn frame. The
    // bytes are taken from the last two thirds (buffers and images, mostly): a broken
    // JSON chunk is refused before anything reaches the GPU.
    std::mt19937 rng(20261204);
    render::TileUploader uploader(*renderer, *frames);
    size_t uploaded = 0, refused = 0;
    for (const test::ContentVariant& v : test::hostile_content_variants()) {
        if (v.bytes.size() > (1u << 20)) continue;  // the large image: slow to mutate, covered above
        for (int round = 0; round < 16; ++round) {
            std::vector<uint8_t> bytes = v.bytes;
            for (int k = 0; k < 3; ++k)
                bytes[bytes.size() / 3 + rng() % (bytes.size() - bytes.size() / 3)] = uint8_t(rng());
            SCOPED_TRACE(v.name + " round " + std::to_string(round));
            tiles::DecodedContent decoded;
            try {
                decoded = tiles::decode_content(bytes, "file:///mutated/" + v.name, glm::dmat4(1.0),
                                                [](const std::string& uri) -> std::vector<uint8_t> {
                                                    throw Error("no such file: " + uri);
                                                });
            } catch (const Error&) {
                ++refused;
                continue;
            }
            if (decoded.kind != tiles::DecodedContent::Kind::model) continue;
            tiles::LoadedContent content;
            content.model = std::move(decoded.model);
            const gpu::Frame& f = frames->begin();
            uploader.begin_frame(f.cmd);
            uploader.upload(content);
            render::DrawModel d;
            d.model = &content.model;
            d.gpu = static_cast<const render::GpuModel*>(content.gpu.get());
            renderer->streamed = {d};
            renderer->render(*frames, f, *target, 0, row_camera(3));
            frames->submit();
            renderer->streamed.clear();
            uploader.release(content);
            ++uploaded;
        }
    }
    frames->drain();
    EXPECT_GT(uploaded, 20u) << refused << " refused";
    std::printf("mutated contents: %zu uploaded and drawn, %zu refused\n", uploaded, refused);
}

TEST_F(RenderTest, ImagesLargerThanTheDeviceAllowsAreReducedToFit) {
    // No glb decodes to this (images over 64 megapixels are not decoded), but a model
    // built otherwise may hold one: it is halved until the device can hold it.
    const uint32_t limit = ctx->properties().limits.maxImageDimension2D;
    gltf::Model model = gltf::load_model_from_glb(test::make_textured_row_glb(1), "wide");
    ASSERT_EQ(model.images.size(), 1u);
    gltf::TextureImage& img = model.images[0];
    img.width = int(limit) + 3;
    img.height = 2;
    img.rgba.assign(size_t(img.width) * 2 * 4, 0);
    for (size_t i = 0; i < img.rgba.size(); i += 4)
        img.rgba[i] = img.rgba[i + 3] = 255;  // red
    renderer->set_model(std::move(model), *frames);
    const render::Camera camera = row_camera(1);
    const core::Image image = render(camera);
    const glm::ivec2 px = project(camera, {0.5, 0, 0.5});
    const uint8_t* got = image.pixel(px.x, px.y);
    EXPECT_EQ(nearest_palette(got), 0)
        << "the reduced image is still red: " << int(got[0]) << "," << int(got[1]) << "," << int(got[2]);
}

}  // namespace
}  // namespace zw
