#include "app/viewer/scene.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/viewer/flood.h"
#include "app/viewer/strings.h"
#include "app/viewer/traffic.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/geo/geo.h"
#include "engine/render/test_scene.h"
#include "engine/twin/credentials.h"
#include "engine/twin/policy.h"

namespace zw::viewer {
namespace {

// The fetch options of a twin: the extra CA, and the credentials for the twin's own
// origin only (a layer or tile on another host never sees them).
core::FetchOptions twin_fetch_options(const Options& o, const std::optional<core::Credentials>& credentials) {
    core::FetchOptions fo;
    fo.ca_file = o.ca_file;
    if (!o.twin.empty() && core::is_http(o.twin)) {
        fo.credentials_origin = core::uri_origin(twin::manifest_uri(o.twin));
        if (credentials)
            fo.credentials = credentials;
        else if (!o.credentials.empty())
            fo.credentials = twin::read_credentials_file(o.credentials);
    } else if (!o.credentials.empty()) {
        core::warn("--credentials is for a served twin (https://...); ignored for '", o.twin, "'");
    }
    return fo;
}

// Reads the twin's manifest and lists the layers the twin and department grant.
void load_twin(const Options& o, View& view, Scene& scene,
               const std::optional<core::Credentials>& credentials) {
    view.fetch = twin_fetch_options(o, credentials);
    auto m = std::make_shared<twin::Manifest>(twin::load_manifest(o.twin, view.fetch));
    for (const std::string& w : m->warnings)
        core::warn("twin '", core::display_uri(m->uri), "': ", w);
    const twin::Grant grant = twin::grant(*m, o.department);
    view.twin = m;
    view.department = grant.department;
    view.local_to_world = geo::enu_to_ecef(m->origin);
    view.origin_on_ground = true;
    for (const twin::Layer* l : grant.layers) {
        // Roads and water are baked onto the full-resolution ground (docs/twin-bundle.md).
        const bool draped = l->id == "roads" || l->id == "water";
        scene.layers.push_back(
            {l->tileset, localized(l->title_de, l->title_en), l->id, m->root, l->default_visible, draped});
    }
    if (scene.layers.empty())
        fail("the ", m->title_en, " grants ",
             o.department.empty() ? "no layer" : "department '" + o.department + "' no layer",
             "; nothing to show");
    scene.model.name = m->town.empty() ? m->title_en : m->town + " - " + m->title_en;
    core::info("twin: ", m->town, ", ", m->title_en, " (", twin::audience_name(m->audience),
               grant.department ? ", department " + grant.department->id : std::string(), "; ",
               core::display_uri(m->uri), "): ", grant.layers.size(), " of ", m->layers.size(), " layers");
}

}  // namespace

// A local frame at world point `p`: east-north-up when `p` is at ECEF magnitudes (with
// geocentric up, within 0.2 degrees of the ellipsoid normal: fine for viewing), else
// the world axes moved to `p`.
glm::dmat4 frame_at(const glm::dvec3& p) {
    glm::dmat4 m(1.0);
    m[3] = glm::dvec4(p, 1.0);
    if (glm::length(p) < 1.0e6) return m;
    const glm::dvec3 up = glm::normalize(p);
    const glm::dvec3 east = glm::normalize(glm::cross(glm::dvec3(0, 0, 1), up));
    m[0] = glm::dvec4(east, 0.0);
    m[1] = glm::dvec4(glm::cross(up, east), 0.0);
    m[2] = glm::dvec4(up, 0.0);
    return m;
}

Scene load_scene(const Options& o, View& view, const std::optional<core::Credentials>& credentials) {
    Scene scene;
    if (o.twin.empty() && o.tilesets.empty()) {
        if (!o.model.empty()) {
            scene.model = gltf::load_model(o.model);
        } else {
            view.builtin = true;
            const auto glb = render::make_test_scene_glb();
            scene.model = gltf::load_model_from_glb(glb, "built-in test scene (synthetic village)");
        }
        return scene;
    }
    if (!o.twin.empty()) {
        load_twin(o, view, scene, credentials);  // a core::FetchError (401) goes to the caller
    } else {
        view.fetch.ca_file = o.ca_file;
    }
    for (const auto& uri : o.tilesets)
        scene.layers.push_back({uri, core::display_uri(uri), {}, {}, true, false});
    if (scene.model.name.empty()) scene.model.name = scene.layers.front().name;
    return scene;
}

geo::Aabb local_bounds(const gltf::Model& model, const View& view) {
    const glm::dmat4 to_local = glm::inverse(view.local_to_world);
    geo::Aabb box;
    for (const auto& inst : model.instances)
        box.extend(geo::transform_aabb(model.meshes[inst.mesh].bounds, to_local * inst.world));
    if (!box.valid()) box = {glm::dvec3(-1.0), glm::dvec3(1.0)};
    return box;
}

geo::Aabb local_bounds(const tiles::Bounds& b, const View& view) {
    const glm::dmat4 to_local = glm::inverse(view.local_to_world);
    geo::Aabb box;
    for (int i = 0; i < 8; ++i) {
        const glm::dvec3 sign{i & 1 ? 1.0 : -1.0, i & 2 ? 1.0 : -1.0, i & 4 ? 1.0 : -1.0};
        box.extend(glm::dvec3(to_local * glm::dvec4(b.box.center + b.box.half_axes * sign, 1.0)));
    }
    return box;
}

void frame_camera(render::Camera& camera, const geo::Aabb& box, const View& view, const Options& o) {
    const glm::dmat4& to_world = view.local_to_world;
    camera.set_frame(glm::dmat3(to_world));
    auto look = [&](const glm::dvec3& eye, const glm::dvec3& target) {
        camera.look_at(glm::dvec3(to_world * glm::dvec4(eye, 1.0)),
                       glm::dvec3(to_world * glm::dvec4(target, 1.0)));
    };
    if (o.camera) {
        const auto& c = *o.camera;
        look({c[0], c[1], c[2]}, {c[3], c[4], c[5]});
        return;
    }
    if (view.builtin && o.camera_preset.empty()) {  // the test scene: the village, not the whole 400 m ground
        look({-95, -120, 75}, {0, 5, 4});
        return;
    }
    const glm::dvec3 centre = box.center();
    const glm::dvec3 size = box.max - box.min;
    if (o.camera_preset == "above") {
        const double radius = std::max(0.5 * glm::length(glm::dvec2(size)), 1.0);
        const double distance = radius / std::tan(camera.fov_y / 2.0) * 1.05 + 0.5 * size.z;
        // A hair south of straight down: north stays up on screen (straight down, the
        // heading would come from rounding noise of the frame).
        look(centre + glm::dvec3(0, -0.02 * distance, distance), centre);
        return;
    }
    if (o.camera_preset == "street") {
        const glm::dvec3 eye =
            view.origin_on_ground ? glm::dvec3(0, 0, 1.7) : glm::dvec3(centre.x, centre.y, box.min.z + 1.7);
        look(eye, eye + glm::dvec3(0, 100, 0));
        return;
    }
    if (view.origin_on_ground) {
        // A twin: its origin is the town centre. Show the town (about 2 km across) rather
        // than the whole tileset with its fields, which would drown the town in haze.
        const double distance =
            std::min(1600.0, 0.5 * glm::length(size) / std::sin(camera.fov_y / 2.0) * 1.05);
        look(glm::dvec3(0, 100, 0) + glm::normalize(glm::dvec3(-0.55, -0.7, 0.55)) * distance, {0, 100, 0});
        return;
    }
    const double radius = std::max(0.5 * glm::length(size), 1.0);
    const double distance = radius / std::sin(camera.fov_y / 2.0) * 1.05;
    look(centre + glm::normalize(glm::dvec3(-0.55, -0.7, 0.55)) * distance, centre);
}

std::string window_title(const View& view, const Scene& scene) {
    if (!view.twin) return "Zwilling - " + scene.model.name;
    const twin::Manifest& t = *view.twin;
    const S audience = t.audience == twin::Audience::public_   ? S::twin_public
                       : t.audience == twin::Audience::council ? S::twin_council
                                                               : S::twin_staff;
    return "Zwilling - " + t.town + " - " + localized(t.title_de, t.title_en) + " (" + tr(audience) + ")";
}

static bool flood_ids_known(const Options& o, const twin::Manifest& twin) {
    const std::vector<FloodSource> sources = flood_sources(twin);
    for (const std::string* id : {&o.flood, &o.flood_compare}) {
        if (id->empty() || (*id == "import" && !o.flood_import.empty())) continue;
        if (std::none_of(sources.begin(), sources.end(), [&](const FloodSource& f) { return f.id == *id; })) {
            std::fprintf(stderr, "zwilling: the %s has no flood scenario '%s'; available: %s\n",
                         twin.title_en.c_str(), id->c_str(), flood_ids(twin).c_str());
            return false;
        }
    }
    return true;
}

static bool traffic_id_known(const Options& o, const twin::Manifest& twin) {
    const std::vector<TrafficSource> sources = traffic_sources(twin);
    for (const std::string* id : {&o.traffic, &o.traffic_b}) {
        if (id->empty() ||
            std::any_of(sources.begin(), sources.end(), [&](const TrafficSource& t) { return t.id == *id; }))
            continue;
        std::fprintf(stderr, "zwilling: the %s has no traffic scenario '%s'; available: %s\n",
                     twin.title_en.c_str(), id->c_str(), traffic_ids(twin).c_str());
        return false;
    }
    return true;
}

bool scenario_ids_known(const Options& o, const twin::Manifest& twin) {
    return flood_ids_known(o, twin) && traffic_id_known(o, twin);
}

}  // namespace zw::viewer
