// What the viewer shows and where its camera's frame sits: a model loaded whole, or
// tilesets streamed as layers (a twin's, with its manifest, department and fetch
// options), and the camera framing for them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "app/viewer/options.h"
#include "engine/core/fetch.h"
#include "engine/gltf/model.h"
#include "engine/render/camera.h"
#include "engine/render/frustum.h"
#include "engine/tiles/bounds.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {

// Where the camera's local frame sits and what the overlay says about the scene.
struct View {
    glm::dmat4 local_to_world{1.0};                // east-north-up (z up) local frame -> world
    bool builtin = false;                          // the built-in test scene
    bool origin_on_ground = false;                 // the local origin is the twin origin (ground level)
    std::shared_ptr<const twin::Manifest> twin;    // with --twin
    const twin::Department* department = nullptr;  // in *twin, administration only
    core::FetchOptions fetch;                      // CA file and the twin's credentials
};

// A tileset to stream as one layer.
struct LayerSpec {
    std::string uri, name;
    std::string id;            // the twin's layer id; empty for --tileset
    std::string confine_root;  // the twin's folder: nothing outside it is read
    bool visible = true;
    bool draped = false;  // lies on the terrain
};

// What the viewer shows: a model loaded whole (a file or the built-in scene), or
// tilesets streamed as layers.
struct Scene {
    gltf::Model model;
    std::vector<LayerSpec> layers;
    bool streaming() const { return !layers.empty(); }
};

// A local frame at world point `p`: east-north-up when `p` is at ECEF magnitudes (with
// geocentric up, within 0.2 degrees of the ellipsoid normal: fine for viewing), else
// the world axes moved to `p`.
glm::dmat4 frame_at(const glm::dvec3& p);

// What the options ask to show: a model file, the built-in test scene, or tilesets
// (a twin's granted layers, --tileset URIs). A twin's manifest is read here (with the
// credentials typed into the sign-in panel, when given); a core::FetchError (a 401)
// goes to the caller, other problems are zw::Error with what to do.
Scene load_scene(const Options& o, View& view, const std::optional<core::Credentials>& credentials = {});

// The model's bounds in the view's local frame.
geo::Aabb local_bounds(const gltf::Model& model, const View& view);
// A streamed tileset's root volume in the view's local frame.
geo::Aabb local_bounds(const tiles::Bounds& b, const View& view);

// Places the camera per --camera, or frames the content (`box`, local) from the
// south-west, looking down at ~30 degrees. Positions are in the view's local frame.
void frame_camera(render::Camera& camera, const geo::Aabb& box, const View& view, const Options& o);

// "Zwilling - Weisendorf - Bürgerzwilling (öffentlich)", or the model's name.
std::string window_title(const View& view, const Scene& scene);

// Whether the flood and traffic scenario ids of the options are the twin's; an unknown
// one is a bad option: the message on stderr says which ones the twin has.
bool scenario_ids_known(const Options& o, const twin::Manifest& twin);

}  // namespace zw::viewer
