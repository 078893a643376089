#include "engine/tiles/static_tileset.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace zw::tiles {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int max_tile_depth = 64;

json read_json(const fs::path& path, const char* what, const char* hint) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        fail("cannot open ", what, " '", path.string(), "': the file does not exist", hint);
    if (fs::is_directory(path, ec))
        fail("cannot open ", what, " '", path.string(), "': it is a folder", hint);
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot open ", what, " '", path.string(), "': permission denied or unreadable");
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded())
        fail("cannot read ", what, " '", path.string(), "': it is not valid JSON (is the file complete?)");
    if (!j.is_object())
        fail("cannot read ", what, " '", path.string(), "': expected a JSON object at the top");
    return j;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string percent_decode(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out.push_back(char(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string string_or(const json& j, const char* key, const std::string& fallback = "") {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

double number_or(const json& j, const char* key, double fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

bool bool_or(const json& j, const char* key, bool fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

const json& object_or_empty(const json& j, const char* key) {
    static const json empty = json::object();
    const auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : empty;
}

enum class Refine { add, replace };

class TilesetLoader {
  public:
    TilesetLoader(const fs::path& file, TilesetReport& report)
        : file_(file), dir_(file.parent_path()), report_(report) {
        model_.name = file.string();
    }

    render::Model run() {
        const json j = read_json(file_, "tileset", "");
        const json& asset = object_or_empty(j, "asset");
        const std::string version = string_or(asset, "version");
        if (version.empty() || !j.contains("root") || !j["root"].is_object())
            fail("cannot read tileset '", file_.string(),
                 "': it is not a 3D Tiles tileset (it needs 'asset.version' and a 'root' tile)");
        if (version != "1.0" && version != "1.1" && version != "0.0")
            warn("tileset '", file_.string(), "' has 3D Tiles version '", version,
                 "'; reading it as 1.1 (this viewer knows 1.0 and 1.1)");
        visit(j["root"], glm::dmat4(1.0), Refine::replace, "root", 0);
        if (!skipped_.empty()) {
            std::ostringstream s;
            s << "tileset '" << file_.string() << "': skipped " << report_.contents_skipped
              << " tile contents this viewer cannot draw yet (";
            bool first = true;
            for (const auto& [kind, count] : skipped_) {
                s << (first ? "" : ", ") << count << " " << kind;
                first = false;
            }
            s << "; first: '" << first_skipped_ << "')";
            warn(s.str());
        }
        if (model_.materials.empty()) model_.materials.push_back({"default", glm::vec4(1.0f), -1, false});
        return std::move(model_);
    }

  private:
    template <typename... Args>
    void warn(const Args&... args) {
        std::ostringstream s;
        (s << ... << args);
        report_.warnings.push_back(s.str());
        core::warn(s.str());
    }

    [[noreturn]] void bad_tile(const std::string& where, const std::string& what) {
        fail("cannot read tileset '", file_.string(), "': tile ", where, " ", what);
    }

    glm::dmat4 tile_transform(const json& tile, const std::string& where) {
        const auto it = tile.find("transform");
        if (it == tile.end()) return glm::dmat4(1.0);
        if (!it->is_array() || it->size() != 16) bad_tile(where, "has a 'transform' that is not 16 numbers");
        glm::dmat4 m(1.0);
        for (size_t i = 0; i < 16; ++i) {
            const json& v = (*it)[i];
            if (!v.is_number() || !std::isfinite(v.get<double>()))
                bad_tile(where, "has a 'transform' that is not 16 numbers");
            m[int(i / 4)][int(i % 4)] = v.get<double>();  // column-major, as glm stores it
        }
        return m;
    }

    // Returns true when the subtree added any content to the model.
    bool visit(const json& tile, const glm::dmat4& parent, Refine parent_refine, const std::string& where,
               int depth) {
        if (!tile.is_object()) bad_tile(where, "is not a JSON object");
        if (depth > max_tile_depth)
            bad_tile(where, "is nested deeper than " + std::to_string(max_tile_depth) + " levels");
        ++report_.tiles;
        const glm::dmat4 transform = parent * tile_transform(tile, where);
        Refine refine = parent_refine;
        if (const auto it = tile.find("refine"); it != tile.end()) {
            const std::string r = it->is_string() ? lower(it->get<std::string>()) : "";
            if (r == "add")
                refine = Refine::add;
            else if (r == "replace")
                refine = Refine::replace;
            else
                bad_tile(where, "has 'refine' that is neither \"ADD\" nor \"REPLACE\"");
        }
        if (tile.contains("implicitTiling")) {
            skip("implicit tilings", where + " (implicitTiling)");
            return false;
        }
        const json* children = nullptr;
        if (const auto it = tile.find("children"); it != tile.end()) {
            if (!it->is_array()) bad_tile(where, "has 'children' that is not an array");
            if (!it->empty()) children = &*it;
        }
        auto visit_children = [&] {
            bool any = false;
            for (size_t i = 0; i < children->size(); ++i)
                any |= visit((*children)[i], transform, refine, where + "/" + std::to_string(i), depth + 1);
            return any;
        };
        if (!children) return load_contents(tile, transform, where);
        if (refine == Refine::add) {
            const bool own = load_contents(tile, transform, where);
            return visit_children() || own;
        }
        // REPLACE: the children's content stands for this tile's. When none of it could
        // be drawn, this tile's coarser content is the best there is.
        if (visit_children()) return true;
        return load_contents(tile, transform, where);
    }

    bool load_contents(const json& tile, const glm::dmat4& transform, const std::string& where) {
        std::vector<const json*> contents;
        if (const auto it = tile.find("content"); it != tile.end() && it->is_object())
            contents.push_back(&*it);
        if (const auto it = tile.find("contents"); it != tile.end() && it->is_array())
            for (const json& c : *it)
                if (c.is_object()) contents.push_back(&c);
        bool any = false;
        for (const json* c : contents) {
            std::string uri = string_or(*c, "uri");
            if (uri.empty()) uri = string_or(*c, "url");  // 3D Tiles 0.0
            if (uri.empty()) {
                warn("tileset '", file_.string(), "': tile ", where, " has a content without 'uri'; skipped");
                ++report_.contents_failed;
                continue;
            }
            any |= load_content(uri, transform);
        }
        return any;
    }

    void skip(const std::string& kind, const std::string& what) {
        ++report_.contents_skipped;
        if (skipped_.empty()) first_skipped_ = what;
        ++skipped_[kind];
    }

    bool load_content(const std::string& uri, const glm::dmat4& transform) {
        try {
            const fs::path path = resolve_inside(dir_, uri);
            std::error_code ec;
            if (!fs::exists(path, ec)) fail("the file '", path.string(), "' does not exist");
            const std::string ext = lower(path.extension().string());
            if (ext == ".json") {
                skip("external tilesets", uri);
                return false;
            }
            if (ext != ".glb" && ext != ".gltf") {
                skip(ext.empty() ? std::string("files without extension") : ext.substr(1), uri);
                return false;
            }
            append_model(model_, render::load_model(path, render::LoadOptions{transform}));
            ++report_.contents_loaded;
            return true;
        } catch (const std::exception& e) {
            ++report_.contents_failed;
            warn("tileset '", file_.string(), "': tile content '", uri, "' not loaded: ", e.what());
            return false;
        }
    }

    fs::path file_;
    fs::path dir_;
    TilesetReport& report_;
    render::Model model_;
    std::map<std::string, size_t> skipped_;
    std::string first_skipped_;
};

}  // namespace

fs::path resolve_inside(const fs::path& base_dir, const std::string& uri) {
    std::string u = uri.substr(0, uri.find_first_of("?#"));
    const auto colon = u.find(':');
    const auto slash = u.find('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon < slash))
        fail("URI '", uri, "' is not a relative file path (only files inside the folder can be read)");
    u = percent_decode(u);
    if (u.empty()) fail("URI '", uri, "' is empty");
    const fs::path rel(u);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory() || u[0] == '/' || u[0] == '\\')
        fail("URI '", uri, "' is an absolute path; URIs must be relative to '", base_dir.string(), "'");
    const fs::path base = base_dir.lexically_normal();
    const fs::path full = (base / rel).lexically_normal();
    const fs::path inside = full.lexically_relative(base);
    if (inside.empty() || *inside.begin() == ".." || inside == ".")
        fail("URI '", uri, "' leads outside '", base_dir.string(), "' (by '..'); refused");
    return full;
}

void append_model(render::Model& into, render::Model&& part) {
    const auto vertex_base = uint32_t(into.vertices.size());
    const auto index_base = uint32_t(into.indices.size());
    const auto mesh_base = uint32_t(into.meshes.size());
    const auto material_base = uint32_t(into.materials.size());
    const auto texture_base = int32_t(into.textures.size());
    const auto image_base = uint32_t(into.images.size());
    if (into.name.empty()) into.name = part.name;

    into.vertices.insert(into.vertices.end(), part.vertices.begin(), part.vertices.end());
    into.indices.insert(into.indices.end(), part.indices.begin(),
                        part.indices.end());  // relative to first_vertex
    for (render::Mesh& mesh : part.meshes) {
        for (render::Primitive& p : mesh.primitives) {
            p.first_vertex += vertex_base;
            p.first_index += index_base;
            p.material += material_base;
        }
        into.meshes.push_back(std::move(mesh));
    }
    for (render::MeshInstance& inst : part.instances) {
        inst.mesh += mesh_base;
        into.instances.push_back(inst);
    }
    for (render::Material& m : part.materials) {
        if (m.base_color_texture >= 0) m.base_color_texture += texture_base;
        into.materials.push_back(std::move(m));
    }
    for (render::Texture& t : part.textures) {
        t.image += image_base;
        into.textures.push_back(t);
    }
    for (render::TextureImage& image : part.images)
        into.images.push_back(std::move(image));
    into.bounds.extend(part.bounds);
}

render::Model load_tileset(const fs::path& tileset_json, TilesetReport* report) {
    TilesetReport local;
    TilesetReport& r = report ? *report : local;
    return TilesetLoader(tileset_json, r).run();
}

render::Model load_twin(const fs::path& twin_dir_or_json, TwinInfo* info_out) {
    std::error_code ec;
    fs::path manifest = twin_dir_or_json;
    if (fs::is_directory(twin_dir_or_json, ec)) {
        manifest = twin_dir_or_json / "twin.json";
        if (!fs::exists(manifest, ec)) {
            std::string twins;  // the bundle folder (OUT) instead of one of its twins?
            for (const auto& e : fs::directory_iterator(twin_dir_or_json, ec))
                if (fs::exists(e.path() / "twin.json", ec))
                    twins += (twins.empty() ? "" : ", ") + e.path().string();
            if (!twins.empty())
                fail("'", twin_dir_or_json.string(),
                     "' is a bundle folder, not one twin; open one of its twins: ", twins);
            fail("'", twin_dir_or_json.string(),
                 "' has no twin.json; expected a twin folder written by zwilling-bake (e.g. "
                 "out/town/citizen)");
        }
    }
    const json j = read_json(manifest, "twin manifest", "; expected a twin folder or its twin.json");
    const std::string format = string_or(j, "format");
    if (format != "zwilling-twin")
        fail("cannot read twin manifest '", manifest.string(), "': 'format' is '", format,
             "', expected \"zwilling-twin\" (is this a twin.json written by zwilling-bake?)");
    if (number_or(j, "format_version", 1) > 1)
        core::warn("twin manifest '", manifest.string(), "' has format_version ",
                   number_or(j, "format_version", 1), "; this viewer reads version 1 and tries anyway");

    TwinInfo info;
    info.folder = manifest.parent_path();
    const json& twin = object_or_empty(j, "twin");
    info.id = string_or(twin, "id");
    info.title_de = string_or(twin, "title_de");
    info.title_en = string_or(twin, "title_en", info.title_de);
    const json& town = object_or_empty(j, "town");
    info.town = string_or(town, "name");
    info.synthetic = bool_or(town, "synthetic", false);
    info.description_de = string_or(town, "description_de");
    info.description_en = string_or(town, "description_en");
    const json& origin = object_or_empty(j, "origin");
    if (!origin.contains("lat_deg") || !origin.contains("lon_deg") || !origin["lat_deg"].is_number() ||
        !origin["lon_deg"].is_number())
        fail("cannot read twin manifest '", manifest.string(),
             "': 'origin.lat_deg' and 'origin.lon_deg' are needed to place the twin on the globe");
    const double undulation = number_or(object_or_empty(j, "crs"), "geoid_undulation_m", 0.0);
    info.origin = {origin["lat_deg"].get<double>(), origin["lon_deg"].get<double>(),
                   number_or(origin, "height", 0.0) + undulation};
    if (const auto it = origin.find("ecef"); it != origin.end() && it->is_array() && it->size() == 3 &&
                                             (*it)[0].is_number() && (*it)[1].is_number() &&
                                             (*it)[2].is_number()) {
        const glm::dvec3 stored{(*it)[0].get<double>(), (*it)[1].get<double>(), (*it)[2].get<double>()};
        const double off = glm::length(stored - geo::geodetic_to_ecef(info.origin));
        if (off > 1.0)
            core::warn("twin manifest '", manifest.string(), "': origin.ecef is ", off,
                       " m away from origin.lat_deg/lon_deg/height; using lat/lon/height");
    }

    const auto layers = j.find("layers");
    if (layers == j.end() || !layers->is_array())
        fail("cannot read twin manifest '", manifest.string(), "': it has no 'layers' array");
    render::Model model;
    for (const json& l : *layers) {
        if (!l.is_object()) continue;
        TwinLayer layer;
        layer.id = string_or(l, "id");
        layer.title_de = string_or(l, "title_de", layer.id);
        layer.title_en = string_or(l, "title_en", layer.title_de);
        layer.tileset = string_or(l, "tileset");
        layer.default_visible = bool_or(l, "default_visible", false);
        if (layer.default_visible) {
            try {
                if (layer.tileset.empty()) fail("it has no 'tileset'");
                const fs::path path = resolve_inside(info.folder, layer.tileset);
                const size_t loaded_before = info.report.contents_loaded;
                append_model(model, load_tileset(path, &info.report));
                layer.loaded = info.report.contents_loaded > loaded_before;
            } catch (const std::exception& e) {
                const std::string w =
                    "twin '" + manifest.string() + "': layer '" + layer.id + "' not loaded: " + e.what();
                info.report.warnings.push_back(w);
                core::warn(w);
            }
        }
        info.layers.push_back(std::move(layer));
    }
    if (model.instances.empty())
        fail("twin '", manifest.string(),
             "': none of its visible layers gave anything to draw (see the warnings above); bake it again "
             "with zwilling-bake");
    model.name = info.town.empty() ? manifest.string() : info.town + " - " + info.title_en;
    if (info_out) *info_out = std::move(info);
    return model;
}

}  // namespace zw::tiles
