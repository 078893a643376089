// The leak scan: what the administration twin holds and a smaller twin may not, searched
// for byte by byte in every file of the smaller twin.
#include <array>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "app/bake/check/aho_corasick.h"
#include "app/bake/check/check.h"
#include "app/bake/check/glb_read.h"
#include "app/bake/critical_sites.h"

namespace zw::bake::check {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kMinTokenBytes = 4;

// Key words of glTF 2.0, EXT_mesh_features, EXT_structural_metadata, 3D Tiles and the
// bundle's own JSON: every glb and tileset holds them, so an attribute name or value that
// is (part of) one of them cannot be found by a byte scan (e.g. "material").
const char* const kVocabulary[] = {
    // glTF
    "asset", "version", "generator", "copyright", "minVersion", "scene", "scenes", "nodes", "children",
    "mesh", "meshes", "primitives", "attributes", "indices", "material", "materials", "mode", "targets",
    "weights", "accessors", "bufferView", "bufferViews", "buffer", "buffers", "byteOffset", "byteLength",
    "byteStride", "target", "componentType", "count", "type", "normalized", "sparse", "values", "min", "max",
    "SCALAR", "VEC2", "VEC3", "VEC4", "MAT2", "MAT3", "MAT4", "POSITION", "NORMAL", "TANGENT", "TEXCOORD_0",
    "COLOR_0", "_FEATURE_ID_0", "pbrMetallicRoughness", "baseColorFactor", "baseColorTexture",
    "metallicFactor", "roughnessFactor", "metallicRoughnessTexture", "normalTexture", "occlusionTexture",
    "emissiveTexture", "emissiveFactor", "alphaMode", "alphaCutoff", "OPAQUE", "MASK", "BLEND", "doubleSided",
    "textures", "images", "samplers", "sampler", "source", "mimeType", "image/png", "image/jpeg", "uri",
    "name", "translation", "rotation", "scale", "matrix", "cameras", "skins", "animations", "extensions",
    "extensionsUsed", "extensionsRequired", "extras", "KHR_materials_unlit", "KHR_mesh_quantization",
    "KHR_texture_transform", "EXT_meshopt_compression",
    // EXT_mesh_features, EXT_structural_metadata
    "EXT_mesh_features", "EXT_structural_metadata", "featureIds", "featureCount", "attribute", "texture",
    "nullFeatureId", "label", "propertyTable", "propertyTables", "propertyTextures", "propertyAttributes",
    "schema", "schemaUri", "classes", "class", "properties", "description", "enums", "enumType", "valueType",
    "array", "componentType", "required", "noData", "default", "offset", "semantic", "stringOffsets",
    "stringOffsetType", "arrayOffsets", "arrayOffsetType", "STRING", "BOOLEAN", "ENUM", "INT8", "UINT8",
    "INT16", "UINT16", "INT32", "UINT32", "INT64", "UINT64", "FLOAT32", "FLOAT64",
    // 3D Tiles
    "root", "geometricError", "boundingVolume", "viewerRequestVolume", "box", "region", "sphere", "refine",
    "REPLACE", "ADD", "content", "contents", "transform", "tilesetVersion", "implicitTiling", "metadata",
    "groups", "group", "statistics", "3DTILES_content_gltf",
    // twin.json and the road graph
    "format", "format_version", "zwilling-twin", "twin", "audience", "title_de", "title_en", "town",
    "synthetic", "description_de", "description_en", "seed", "recipe", "crs", "horizontal", "vertical",
    "geoid_undulation_m", "origin", "easting", "northing", "height", "lat_deg", "lon_deg", "ecef", "layers",
    "departments", "tileset", "tileset.json", "default_visible", "legend", "color", "label_de", "label_en",
    "graph", "graph.json", "string", "int32", "float64", "base", "planning", "infrastructure", "import",
    "EPSG:25832", "edges", "from", "lanes", "speed_kmh", "oneway", "length_m", "shape",
    // flood scenarios (docs/flood-scenario.md): their keys and impacts.csv's header. A
    // retention basin's "depth_m" is also the name of the pipes' depth (utilities), which
    // the scan therefore cannot look for in twins without utilities.
    "scenarios", "results", "public", "kind", "flood", "zwilling-flood-scenario", "terrain", "initial_depth",
    "sites", "manning", "boundaries", "duration_s", "output", "interval_s", "inflows", "hydrograph",
    "measures", "mobile_wall", "dike_raise", "retention_basin", "polygon", "line", "height_m", "depth_m",
    "footprint", "max_depth_m", "first_wet_s", "over_10cm", "over_50cm", "impacts"};

struct Manifest {
    bool ok = false;
    std::string error;
    json doc;
    std::map<std::string, std::set<std::string>> layers;  // id -> attribute names
    std::map<std::string, std::string> classes;           // id -> class, where it has one
    std::map<std::string, std::string> folders;           // first folder of the tileset URI -> layer id
    std::set<std::string> scenario_folders;               // first folder of each scenario's URI
};

Manifest read_manifest(const fs::path& dir) {
    Manifest m;
    const auto text = read_file(dir / "twin.json", m.error);
    if (!text) {
        m.error = "twin.json " + m.error;
        return m;
    }
    try {
        m.doc = json::parse(*text);
    } catch (const json::exception& e) {
        m.error = std::string("twin.json is not valid JSON: ") + e.what();
        return m;
    }
    if (!m.doc.is_object() || !m.doc.contains("layers") || !m.doc["layers"].is_array()) {
        m.error = "twin.json has no layers array";
        return m;
    }
    for (const json& l : m.doc["layers"]) {
        if (!l.is_object() || !l.contains("id") || !l["id"].is_string()) continue;
        const std::string id = l["id"].get<std::string>();
        auto& attrs = m.layers[id];
        if (l.contains("class") && l["class"].is_string()) m.classes[id] = l["class"].get<std::string>();
        if (l.contains("attributes") && l["attributes"].is_array())
            for (const json& a : l["attributes"])
                if (a.is_object() && a.contains("name") && a["name"].is_string())
                    attrs.insert(a["name"].get<std::string>());
        m.folders[id] = id;
        if (l.contains("tileset") && l["tileset"].is_string()) {
            const fs::path ts(l["tileset"].get<std::string>());
            if (!ts.empty() && ts.has_parent_path()) m.folders[ts.begin()->string()] = id;
        }
    }
    if (m.doc.contains("scenarios") && m.doc["scenarios"].is_array())
        for (const json& s : m.doc["scenarios"])
            if (s.is_object() && s.contains("uri") && s["uri"].is_string()) {
                const fs::path uri(s["uri"].get<std::string>());
                if (!uri.empty() && uri.has_parent_path()) m.scenario_folders.insert(uri.begin()->string());
            }
    m.ok = true;
    return m;
}

// The layer a file belongs to, by the first folder of its path; empty where none.
std::string layer_of(const std::string& rel, const Manifest& m) {
    const size_t slash = rel.find('/');
    if (slash == std::string::npos) return {};
    const auto it = m.folders.find(rel.substr(0, slash));
    return it == m.folders.end() ? std::string() : it->second;
}

// Every string value of the twin's own manifest except the URIs (which name files and
// could lead to anything) and the departments (administration only).
void manifest_strings(const json& j, const std::string& key, std::vector<std::string>& out) {
    if (key == "tileset" || key == "graph" || key == "departments") return;
    if (j.is_string()) {
        out.push_back(j.get<std::string>());
    } else if (j.is_array()) {
        for (const json& e : j)
            manifest_strings(e, key, out);
    } else if (j.is_object()) {
        for (const auto& [k, v] : j.items())
            manifest_strings(v, k, out);
    }
}

// Every key and string of a JSON document, decoded (so that "\u00df" is found as "ß").
void json_strings(const json& j, std::vector<std::string>& out) {
    if (j.is_string()) {
        out.push_back(j.get<std::string>());
    } else if (j.is_array()) {
        for (const json& e : j)
            json_strings(e, out);
    } else if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            out.push_back(k);
            json_strings(v, out);
        }
    }
}

bool has_extension(const fs::path& p, const char* ext) {
    return p.extension().string() == ext;
}

// The buffer views a glTF uses: by accessors and images ("bufferView") and by property
// tables ("values", "stringOffsets", "arrayOffsets"), wherever they sit.
void used_views(const json& j, const std::string& key, std::set<size_t>& out) {
    if (j.is_number_unsigned() &&
        (key == "bufferView" || key == "values" || key == "stringOffsets" || key == "arrayOffsets")) {
        out.insert(j.get<size_t>());
    } else if (j.is_array()) {
        for (const json& e : j)
            used_views(e, key, out);
    } else if (j.is_object()) {
        for (const auto& [k, v] : j.items())
            used_views(v, k, out);
    }
}

// Bytes of the BIN chunk that no used buffer view covers and that are not zero: data
// a reader never sees but a byte scan of strings could miss (numbers, compressed
// text). Alignment padding is zero.
size_t hidden_bin_bytes(const Glb& g) {
    if (g.bin.empty()) return 0;
    std::vector<bool> covered(g.bin.size(), false);
    std::set<size_t> views;
    used_views(g.json, "", views);
    const auto it = g.json.find("bufferViews");
    if (it != g.json.end() && it->is_array())
        for (size_t v : views) {
            if (v >= it->size()) continue;
            std::string problem;
            const auto bytes = buffer_view_bytes(g, json(v), problem);
            if (!bytes) continue;
            const size_t first = size_t(bytes->data() - g.bin.data());
            std::fill(covered.begin() + long(first), covered.begin() + long(first + bytes->size()), true);
        }
    size_t hidden = 0;
    for (size_t i = 0; i < g.bin.size(); ++i)
        if (!covered[i] && g.bin[i] != '\0') ++hidden;
    return hidden;
}

// ---- critical sites ---------------------------------------------------------------------

// A critical site of the full twin: a feature whose `critical_infrastructure` value names a
// KRITIS sector (app/bake/critical_sites.h), with its string values by column and, where
// the full twin's flood sites give it, its footprint (EPSG:25832).
struct CriticalSite {
    std::string id;
    std::map<std::string, std::string> values;  // column -> value
    std::vector<std::array<double, 2>> footprint;
    std::string address() const {
        const auto s = values.find("street"), n = values.find("house_number");
        if (s == values.end() || n == values.end() || s->second.empty() || n->second.empty()) return {};
        return s->second + " " + n->second;
    }
};

struct CriticalSites {
    std::map<std::string, CriticalSite> sites;              // by id
    std::map<std::string, std::set<std::string>> ordinary;  // column -> values of other features
    std::set<std::string> addresses;                        // "street number" of other features
};

// The rows of one property table: column -> strings, every column with one string per row.
using Table = std::map<std::string, const std::vector<std::string>*>;

std::map<size_t, Table> tables_of(const Metadata& md) {
    std::map<size_t, Table> out;
    for (const auto& col : md.columns)
        if (col.type == "STRING") out[col.table][col.name] = &col.strings;
    return out;
}

size_t row_count(const Table& t) {
    size_t n = SIZE_MAX;
    for (const auto& [name, strings] : t)
        n = std::min(n, strings->size());
    return n == SIZE_MAX ? 0 : n;
}

void read_critical_rows(const Metadata& md, CriticalSites& out) {
    for (const auto& [index, table] : tables_of(md)) {
        const auto ci = table.find("critical_infrastructure");
        const auto id = table.find("id");
        if (ci == table.end() || id == table.end()) continue;
        const size_t rows = row_count(table);
        for (size_t r = 0; r < rows; ++r) {
            const bool critical = is_critical_site((*ci->second)[r]);
            if (critical) {
                CriticalSite& site = out.sites[(*id->second)[r]];
                site.id = (*id->second)[r];
                for (const auto& [name, strings] : table)
                    site.values[name] = (*strings)[r];
            } else {
                for (const auto& [name, strings] : table)
                    out.ordinary[name].insert((*strings)[r]);
                const auto street = table.find("street"), number = table.find("house_number");
                if (street != table.end() && number != table.end())
                    out.addresses.insert((*street->second)[r] + " " + (*number->second)[r]);
            }
        }
    }
}

// Footprints of the critical sites from the full twin's flood sites (every sites.json).
void read_critical_footprints(const fs::path& full_twin, CriticalSites& out) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(full_twin, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || it->path().filename() != "sites.json") continue;
        std::string error;
        const auto text = read_file(it->path(), error);
        if (!text) continue;
        const json sites = json::parse(*text, nullptr, false);
        if (!sites.is_array()) continue;
        for (const json& s : sites) {
            if (!s.is_object() || !s.contains("id") || !s["id"].is_string()) continue;
            const auto site = out.sites.find(s["id"].get<std::string>());
            if (site == out.sites.end() || !site->second.footprint.empty()) continue;
            const json* points = s.contains("footprint") ? &s["footprint"] : nullptr;
            if (points && points->is_array())
                for (const json& p : *points)
                    if (p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number())
                        site->second.footprint.push_back({p[0].get<double>(), p[1].get<double>()});
        }
    }
}

// Whether (x, y) lies inside `polygon` or within `margin` metres of its edges.
bool near_polygon(const std::vector<std::array<double, 2>>& polygon, double x, double y, double margin) {
    if (polygon.empty()) return false;
    bool inside = false;
    for (size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const auto& a = polygon[i];
        const auto& b = polygon[j];
        if ((a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0])
            inside = !inside;
        const double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
        const double t = len2 > 0 ? std::clamp(((x - a[0]) * dx + (y - a[1]) * dy) / len2, 0.0, 1.0) : 0.0;
        if (std::hypot(a[0] + t * dx - x, a[1] + t * dy - y) <= margin) return true;
    }
    return inside;
}

// Every [x, y] pair in `j` (and {x, y} objects), as EPSG:25832 candidates.
void points_in(const json& j, std::vector<std::array<double, 2>>& out) {
    if (j.is_array()) {
        if (j.size() >= 2 && j.size() <= 3 && j[0].is_number() && j[1].is_number()) {
            out.push_back({j[0].get<double>(), j[1].get<double>()});
            return;
        }
        for (const json& e : j)
            points_in(e, out);
    } else if (j.is_object()) {
        if (j.contains("x") && j.contains("y") && j["x"].is_number() && j["y"].is_number())
            out.push_back({j["x"].get<double>(), j["y"].get<double>()});
        for (const auto& [k, v] : j.items())
            if (v.is_structured()) points_in(v, out);
    }
}

// Keys under which a JSON object names what it describes.
bool is_naming_key(const std::string& key) {
    static const std::set<std::string> keys{
        "name",  "kind",     "use",      "label",       "label_de",       "label_en",
        "title", "title_de", "title_en", "description", "description_de", "description_en"};
    return keys.count(key) > 0;
}

bool is_generic_name(const std::string& s) {
    return s.empty() || s == generic_public_use || s == generic_public_use_en;
}

// Objects of a JSON document that stand at a critical site (one of their own points, not
// their children's, lies within 2 m of its footprint) and name it with anything but the
// generic public use.
void named_at_critical_sites(const json& j, const std::string& path, const CriticalSites& critical,
                             std::vector<std::string>& out) {
    if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i)
            named_at_critical_sites(j[i], path + "[" + std::to_string(i) + "]", critical, out);
        return;
    }
    if (!j.is_object()) return;
    std::vector<std::array<double, 2>> points;
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& [k, v] : j.items()) {
        if (is_naming_key(k) && v.is_string() && !is_generic_name(v.get<std::string>()))
            names.push_back({k, v.get<std::string>()});
        else if (v.is_array() && !v.empty() && !v[0].is_object())
            points_in(v, points);
    }
    if (j.contains("x") && j.contains("y") && j["x"].is_number() && j["y"].is_number())
        points.push_back({j["x"].get<double>(), j["y"].get<double>()});
    if (!names.empty())
        for (const auto& [id, site] : critical.sites) {
            const bool at = std::any_of(points.begin(), points.end(), [&](const std::array<double, 2>& p) {
                return near_polygon(site.footprint, p[0], p[1], 2.0);
            });
            if (at) {
                out.push_back((path.empty() ? std::string("an entry") : path) + " stands at critical site '" +
                              id + "' and names it '" + names.front().second + "' (" + names.front().first +
                              "); a twin that may not name it shows '" + std::string(generic_public_use) +
                              "' there");
                break;
            }
        }
    for (const auto& [k, v] : j.items())
        if (v.is_structured()) named_at_critical_sites(v, path.empty() ? k : path + "." + k, critical, out);
}

// Property-table rows of a scanned glb that are a critical site by id, or by an address
// that no other feature has.
void critical_rows(const Metadata& md, const CriticalSites& critical, std::vector<std::string>& out) {
    std::map<std::string, std::string> address_of;  // "street\0number" -> id
    for (const auto& [id, site] : critical.sites) {
        const auto s = site.values.find("street"), n = site.values.find("house_number");
        if (s != site.values.end() && n != site.values.end() && !s->second.empty() && !n->second.empty() &&
            !critical.addresses.count(site.address()))
            address_of[s->second + std::string(1, '\0') + n->second] = id;
    }
    for (const auto& [index, table] : tables_of(md)) {
        const size_t rows = row_count(table);
        const auto id = table.find("id"), street = table.find("street"), number = table.find("house_number");
        for (size_t r = 0; r < rows; ++r) {
            const std::string where =
                "property table " + std::to_string(index) + ", row " + std::to_string(r);
            if (id != table.end())
                if (const auto it = critical.sites.find((*id->second)[r]); it != critical.sites.end())
                    out.push_back(where + " has the id of critical site '" + it->first + "'");
            if (street != table.end() && number != table.end())
                if (const auto it =
                        address_of.find((*street->second)[r] + std::string(1, '\0') + (*number->second)[r]);
                    it != address_of.end())
                    out.push_back(where + " has the address of critical site '" + it->second + "' (" +
                                  (*street->second)[r] + " " + (*number->second)[r] + ")");
        }
    }
}

}  // namespace

LeakReport leak_scan(const fs::path& full_twin, const fs::path& twin) {
    LeakReport report;
    const Manifest full = read_manifest(full_twin);
    const Manifest mine = read_manifest(twin);
    if (!full.ok) {
        report.findings.push_back({fs::absolute(full_twin / "twin.json").generic_string(),
                                   "the full twin's " + full.error + "; nothing was scanned"});
        return report;
    }
    if (!mine.ok) {
        report.findings.push_back({"twin.json", mine.error + "; nothing was scanned"});
        return report;
    }

    // Whether the twin may name critical sites: the citizens' twin never, another twin
    // where its manifest says "critical_sites": "named" (the recipe's choice).
    const json* twin_meta =
        mine.doc.contains("twin") && mine.doc["twin"].is_object() ? &mine.doc["twin"] : nullptr;
    const bool is_public =
        twin_meta && ((twin_meta->contains("id") && (*twin_meta)["id"] == "citizen") ||
                      (twin_meta->contains("audience") && (*twin_meta)["audience"] == "public"));
    const bool says_named = mine.doc.contains("critical_sites") && mine.doc["critical_sites"] == "named";
    if (is_public && says_named)
        report.findings.push_back({"twin.json",
                                   "says \"critical_sites\": \"named\", but the citizens' twin "
                                   "never names critical infrastructure (docs/twin-bundle.md)"});
    const bool unnamed = is_public || !says_named;
    CriticalSites critical;

    // What the twin may not hold, with a description of each.
    std::map<std::string, std::string> restricted;
    std::set<std::string> held_names;
    for (const auto& [id, attrs] : mine.layers)
        held_names.insert(attrs.begin(), attrs.end());
    std::set<std::string> held_classes;
    for (const auto& [id, cls] : mine.classes)
        held_classes.insert(cls);
    for (const auto& [id, cls] : full.classes)
        if (!held_classes.count(cls))
            restricted.emplace(cls, "class of layer '" + id + "', which this twin does not hold");
    // The administration twin's departments: who in the town hall sees what is not public.
    if (!mine.doc.contains("departments") && full.doc.contains("departments") &&
        full.doc["departments"].is_array())
        for (const json& d : full.doc["departments"]) {
            if (!d.is_object()) continue;
            for (const char* key : {"id", "title_de", "title_en"})
                if (d.contains(key) && d[key].is_string())
                    restricted.emplace(d[key].get<std::string>(),
                                       std::string("department ") + key + " of the administration twin");
        }
    for (const auto& [id, attrs] : full.layers) {
        if (!mine.layers.count(id))
            restricted.emplace(id, "id of layer '" + id + "', which this twin does not hold");
        for (const auto& a : attrs)
            if (!held_names.count(a))
                restricted.emplace(
                    a, "name of attribute '" + a + "' (layer '" + id + "'), which this twin does not hold");
    }
    std::vector<std::string> allowed(std::begin(kVocabulary), std::end(kVocabulary));
    manifest_strings(mine.doc, "", allowed);
    for (const auto& [id, attrs] : mine.layers) {
        allowed.push_back(id);
        allowed.insert(allowed.end(), attrs.begin(), attrs.end());
    }
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(full_twin, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || !has_extension(it->path(), ".glb")) continue;
        const std::string layer = layer_of(relative_name(it->path(), full_twin), full);
        if (layer.empty()) continue;
        std::string error;
        const auto bytes = read_file(it->path(), error);
        Glb g;
        std::vector<std::string> problems;
        if (!bytes || !parse_glb(*bytes, g, problems)) continue;  // check_twin reports broken glbs
        const Metadata md = read_metadata(g, problems);
        read_critical_rows(md, critical);
        const auto held_layer = mine.layers.find(layer);
        for (const auto& col : md.columns) {
            if (col.type != "STRING") continue;
            const bool held = held_layer != mine.layers.end() && held_layer->second.count(col.name);
            for (const auto& s : col.strings) {
                if (held)
                    allowed.push_back(s);
                else
                    restricted.emplace(s, "value of attribute '" + col.name + "' (layer '" + layer +
                                              "'), which this twin does not hold");
            }
        }
    }

    // Leave out what is too short to be telling, or also inside something allowed.
    std::vector<std::string> candidates;
    for (const auto& [text, what] : restricted) {
        if (text.size() < kMinTokenBytes)
            ++report.tokens_skipped;
        else
            candidates.push_back(text);
    }
    std::vector<bool> inside_allowed(candidates.size(), false);
    {
        AhoCorasick ac;
        for (const auto& c : candidates)
            ac.add(c);
        ac.build();
        for (const auto& a : allowed)
            ac.scan(a, [&](size_t p, uint64_t) { inside_allowed[p] = true; });
    }
    std::vector<const std::string*> tokens;
    AhoCorasick ac;
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (inside_allowed[i]) {
            ++report.tokens_skipped;
        } else {
            tokens.push_back(&candidates[i]);
            ac.add(candidates[i]);
        }
    }
    // A critical site's id, its values in the columns this twin holds (use, street, ...)
    // and its address, where the twin may not name it. Not skipped for being inside the
    // twin's own strings (its legend is one place they would leak to), only where an
    // ordinary feature holds them too (then they do not tell) or a key word contains them.
    std::vector<std::string> critical_texts;
    std::vector<std::string> critical_what;
    if (unnamed) {
        read_critical_footprints(full_twin, critical);
        for (const auto& [id, site] : critical.sites) {
            auto add = [&](const std::string& text, const std::string& what) {
                if (text.empty()) return;
                critical_texts.push_back(text);
                critical_what.push_back(what + " of critical site '" + id +
                                        "', which this twin may not name");
            };
            add(id, "id");
            for (const auto& [column, value] : site.values)
                if (column != "id" && held_names.count(column) && !critical.ordinary[column].count(value))
                    add(value, column);
            if (!critical.addresses.count(site.address())) add(site.address(), "address");
        }
        std::vector<bool> skip(critical_texts.size(), false);
        AhoCorasick cac;
        for (const auto& c : critical_texts)
            cac.add(c);
        cac.build();
        for (const auto& [column, values] : critical.ordinary)
            for (const auto& v : values)
                cac.scan(v, [&](size_t p, uint64_t) { skip[p] = true; });
        for (const char* word : kVocabulary)
            cac.scan(std::string(word), [&](size_t p, uint64_t) { skip[p] = true; });
        std::set<std::string> searched;
        for (const auto* t : tokens)
            searched.insert(*t);
        for (size_t i = 0; i < critical_texts.size(); ++i) {
            if (critical_texts[i].size() < kMinTokenBytes || skip[i]) {
                ++report.tokens_skipped;
                continue;
            }
            restricted[critical_texts[i]] = critical_what[i];
            if (!searched.insert(critical_texts[i]).second) continue;
            tokens.push_back(&critical_texts[i]);
            ac.add(critical_texts[i]);
        }
    }
    ac.build();
    report.tokens = tokens.size();

    // The scan, and the checks of the twin's own structure.
    std::set<std::string> listed_dirs;
    for (const auto& [folder, id] : mine.folders)
        listed_dirs.insert(folder);
    listed_dirs.insert(mine.scenario_folders.begin(), mine.scenario_folders.end());
    // The bundle's own folder for scenario data (a reserved name, never a layer's): the
    // traffic network lies there (scenarios/traffic/) also where twin.json lists no
    // scenario. Its files are scanned like every other.
    listed_dirs.insert("scenarios");
    // The same for the tours, the surface grid and the addresses (views/, docs/tours.md).
    listed_dirs.insert("views");
    for (auto it = fs::recursive_directory_iterator(twin, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string rel = relative_name(it->path(), twin);
        if (it->is_symlink()) {
            report.findings.push_back({rel, "is a symbolic link; a twin folder holds plain files only"});
            continue;
        }
        if (it->is_directory()) {
            if (it.depth() == 0 && !listed_dirs.count(it->path().filename().string()))
                report.findings.push_back(
                    {rel, "is a folder that twin.json does not list as a layer or scenario"});
            continue;
        }
        if (!it->is_regular_file()) continue;
        std::string error;
        const auto bytes = read_file(it->path(), error);
        if (!bytes) {
            report.findings.push_back({rel, "could not be scanned: " + error});
            continue;
        }
        ++report.files_scanned;
        report.bytes_scanned += bytes->size();

        struct Hit {
            uint64_t first = 0;
            size_t count = 0;
            bool decoded_only = true;
        };
        std::map<size_t, Hit> hits;
        ac.scan(*bytes, [&](size_t p, uint64_t at) {
            auto [h, fresh] = hits.try_emplace(p);
            if (fresh || h->second.decoded_only) h->second.first = at;
            h->second.decoded_only = false;
            ++h->second.count;
        });
        // Escaped JSON strings ("\u00df") hide bytes from the raw scan; scan them decoded too.
        std::vector<std::string> decoded;
        Glb g;
        std::vector<std::string> problems;
        const bool is_glb = has_extension(it->path(), ".glb") && parse_glb(*bytes, g, problems);
        if (is_glb) {
            json_strings(g.json, decoded);
        } else if (has_extension(it->path(), ".json")) {
            try {
                json_strings(json::parse(*bytes), decoded);
            } catch (const json::exception&) {
            }
        }
        for (const auto& s : decoded)
            ac.scan(s, [&](size_t p, uint64_t) { hits.try_emplace(p); });
        for (const auto& [p, h] : hits) {
            const std::string where =
                h.decoded_only ? "in an escaped JSON string"
                               : "at byte " + std::to_string(h.first) +
                                     (h.count > 1 ? " (" + std::to_string(h.count) + " times)" : "");
            report.findings.push_back(
                {rel, "holds '" + *tokens[p] + "', the " + restricted.at(*tokens[p]) + ", " + where});
        }

        // Critical sites by their decoded rows (an address is two columns) and by their
        // coordinates together with a name.
        if (unnamed && !critical.sites.empty()) {
            std::vector<std::string> found;
            if (is_glb) {
                std::vector<std::string> ignored;
                critical_rows(read_metadata(g, ignored), critical, found);
            } else if (has_extension(it->path(), ".json")) {
                const json doc = json::parse(*bytes, nullptr, false);
                if (!doc.is_discarded()) named_at_critical_sites(doc, "", critical, found);
            }
            for (const auto& f : found)
                report.findings.push_back({rel, f});
        }
        if (is_glb) {
            if (const size_t hidden = hidden_bin_bytes(g); hidden > 0)
                report.findings.push_back(
                    {rel, "holds " + std::to_string(hidden) +
                              " non-zero bytes in its BIN chunk outside every buffer view "
                              "it uses (data no reader sees)"});
        }
        // Property-table columns and schema properties the manifest does not allow here.
        if (is_glb) {
            const std::string layer = layer_of(rel, mine);
            const auto held = mine.layers.find(layer);
            if (held == mine.layers.end()) continue;  // an unlisted folder, reported above
            const Metadata md = read_metadata(g, problems);
            std::set<std::string> names;
            for (const auto& col : md.columns)
                names.insert(col.name);
            for (const auto& sp : md.schema_properties)
                names.insert(sp.substr(sp.find('.') + 1));
            for (const auto& n : names)
                if (!held->second.count(n))
                    report.findings.push_back({rel, "holds metadata property '" + n +
                                                        "', which twin.json does not list for layer '" +
                                                        layer + "'"});
        }
    }
    if (ec) report.findings.push_back({".", "the folder could not be read completely: " + ec.message()});
    return report;
}

}  // namespace zw::bake::check
