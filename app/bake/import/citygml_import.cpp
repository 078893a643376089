// CityGML buildings via libcitygml: every Building (its BuildingParts merged in) becomes
// one "building" feature with the attributes of the generated buildings layer.
//
// libcitygml 2.4 (Debian) quirks this file works around:
// - a parse error is thrown out of citygml::load (Xerces' SAXParseException, not a
//   std::exception), so load is wrapped in catch (...);
// - CityModel::getAllCityObjectsOfType throws std::bad_array_new_length when the model
//   has no object of that type, so the objects are walked here instead;
// - without ParserParams::optimize the closing point of each ring is kept and the
//   tesselator makes a degenerate triangle of it; with it, only duplicate points go;
// - a coordinate it cannot read (e.g. "NaN") is a logged warning and a shortened ring,
//   not an error, so that warning is turned into one here;
// - the CityModel's getSRSName() stays empty; the srsName is on the envelopes;
// - attribute names keep their prefix and are lower-cased ("bldg:measuredheight").
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <citygml/address.h>
#include <citygml/citygml.h>
#include <citygml/citygmllogger.h>
#include <citygml/citymodel.h>
#include <citygml/cityobject.h>
#include <citygml/envelope.h>
#include <citygml/geometry.h>
#include <citygml/polygon.h>

#include "app/bake/import/import.h"
#include "app/bake/import/import_mesh.h"
#include "app/bake/town_layers.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace zw::bake {

namespace {

using Type = citygml::CityObject::CityObjectsType;
using import_detail::is_degenerate;

// Colours of the generated town's buildings (sRGB): light walls, red-brown roofs.
constexpr Rgba8 wall_color{232, 226, 212, 255};
constexpr Rgba8 roof_color{150, 66, 48, 255};
constexpr Rgba8 ground_color{128, 128, 128, 255};

enum class Surface { unknown, wall, roof, ground };

Surface surface_of(Type t) {
    switch (t) {
        case Type::COT_WallSurface:
        case Type::COT_ClosureSurface:
        case Type::COT_Door:
        case Type::COT_Window:
            return Surface::wall;
        case Type::COT_RoofSurface:
            return Surface::roof;
        case Type::COT_GroundSurface:
            return Surface::ground;
        default:
            return Surface::unknown;
    }
}

Surface surface_of(citygml::Geometry::GeometryType t) {
    using G = citygml::Geometry::GeometryType;
    switch (t) {
        case G::GT_Wall:
        case G::GT_Closure:
            return Surface::wall;
        case G::GT_Roof:
            return Surface::roof;
        case G::GT_Ground:
            return Surface::ground;
        default:
            return Surface::unknown;
    }
}

// Interior parts (LoD4) are not drawn from outside.
bool is_interior(Type t) {
    return t == Type::COT_Room || t == Type::COT_BuildingFurniture ||
           t == Type::COT_IntBuildingInstallation || t == Type::COT_InteriorWallSurface ||
           t == Type::COT_FloorSurface || t == Type::COT_CeilingSurface;
}

// Keeps what libcitygml logs; errors and warnings are reported by the importer.
// (CityGMLLogger lacks a virtual destructor; Logger is only ever owned as itself.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class Logger final : public citygml::CityGMLLogger {
  public:
    Logger() : CityGMLLogger(LOGLEVEL::LL_WARNING) {}
    void log(LOGLEVEL level, const std::string& message, const char*, int) const override {
        std::lock_guard lock(mutex_);
        (level == LOGLEVEL::LL_ERROR ? errors_ : warnings_).push_back(message);
    }
    std::vector<std::string> errors() const {
        std::lock_guard lock(mutex_);
        return errors_;
    }
    std::vector<std::string> warnings() const {
        std::lock_guard lock(mutex_);
        return warnings_;
    }

  private:
    mutable std::mutex mutex_;
    mutable std::vector<std::string> errors_, warnings_;
};
#pragma GCC diagnostic pop

struct PolygonRef {
    const citygml::Polygon* polygon;
    Surface surface;
    unsigned lod;
};

void collect_geometry(const citygml::Geometry& g, Surface surface, std::vector<PolygonRef>& out) {
    const Surface s = surface != Surface::unknown ? surface : surface_of(g.getType());
    for (unsigned i = 0; i < g.getPolygonsCount(); ++i)
        out.push_back({g.getPolygon(i).get(), s, g.getLOD()});
    for (unsigned i = 0; i < g.getGeometriesCount(); ++i)
        collect_geometry(g.getGeometry(i), s, out);
}

// The polygons of a Building or BuildingPart and of its boundary surfaces, openings and
// installations; its BuildingParts are handed back in `parts`, to be merged separately.
void collect_object(const citygml::CityObject& obj, Surface surface, std::vector<PolygonRef>& out,
                    std::vector<const citygml::CityObject*>& parts) {
    const Surface s = surface != Surface::unknown ? surface : surface_of(obj.getType());
    for (unsigned i = 0; i < obj.getGeometriesCount(); ++i)
        collect_geometry(obj.getGeometry(i), s, out);
    for (unsigned i = 0; i < obj.getChildCityObjectsCount(); ++i) {
        const citygml::CityObject& child = obj.getChildCityObject(i);
        const Type t = child.getType();
        if (t == Type::COT_BuildingPart)
            parts.push_back(&child);
        else if (t != Type::COT_Building && !is_interior(t))
            collect_object(child, s, out, parts);
    }
}

// A polygon that is both a boundary surface's and, by xlink, the building's lod2Solid's
// (as in most German LoD2 data) is the same object twice: keep it once, with the
// surface type where one reference has it.
void dedupe(std::vector<PolygonRef>& polygons) {
    std::unordered_map<const citygml::Polygon*, size_t> first;
    std::vector<PolygonRef> out;
    out.reserve(polygons.size());
    for (const PolygonRef& r : polygons) {
        const auto [it, added] = first.emplace(r.polygon, out.size());
        if (added) {
            out.push_back(r);
        } else if (out[it->second].surface == Surface::unknown) {
            out[it->second].surface = r.surface;
        }
    }
    polygons = std::move(out);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

// The attribute `name` (lower case, without prefix) of the first object that has it.
std::string attribute(const std::vector<const citygml::CityObject*>& objects, std::string_view name) {
    for (const citygml::CityObject* o : objects) {
        for (const auto& [key, value] : o->getAttributes()) {
            const std::string k = lower(key);
            const auto colon = k.rfind(':');
            if ((colon == std::string::npos ? k : k.substr(colon + 1)) == name) {
                std::string v = trim(value.asString());
                if (!v.empty()) return v;
            }
        }
    }
    return {};
}

// The leading integer of "1965", "1965-05-01" or "2.0"; -1 if there is none.
int64_t leading_int(const std::string& s) {
    int64_t v = -1;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && v >= 0 ? v : -1;
}

double parse_double(const std::string& s) {
    double v = NAN;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

struct MeshStats {
    size_t degenerate = 0;
};

// Appends the polygon's triangles, flat-shaded, in the local frame. The tesselator
// winds triangles counter-clockwise about the ring's normal (outward in CityGML), so
// the triangles' own normals are the surface normals.
void append_polygon(const PolygonRef& ref, const glm::dvec3& origin, const std::string& file,
                    const std::string& building, TriMesh& mesh, MeshStats& stats) {
    const std::vector<TVec3d>& v = ref.polygon->getVertices();
    const std::vector<unsigned>& idx = ref.polygon->getIndices();
    std::vector<glm::dvec3> p(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        if (!std::isfinite(v[i].x) || !std::isfinite(v[i].y) || !std::isfinite(v[i].z))
            fail("CityGML file '", file, "' has broken geometry: building '", building, "', polygon '",
                 ref.polygon->getId(), "' has a coordinate that is not a number (NaN or infinite); ",
                 "fix the coordinates or export the file again");
        p[i] = glm::dvec3(v[i].x, v[i].y, v[i].z) - origin;
    }
    std::vector<std::array<uint32_t, 3>> tris;
    std::vector<glm::dvec3> normals;
    glm::dvec3 sum(0.0);
    for (size_t t = 0; t + 2 < idx.size(); t += 3) {
        const std::array<uint32_t, 3> tri{idx[t], idx[t + 1], idx[t + 2]};
        if (tri[0] >= p.size() || tri[1] >= p.size() || tri[2] >= p.size() ||
            is_degenerate(p[tri[0]], p[tri[1]], p[tri[2]])) {
            ++stats.degenerate;
            continue;
        }
        const glm::dvec3 cross = glm::cross(p[tri[1]] - p[tri[0]], p[tri[2]] - p[tri[0]]);
        tris.push_back(tri);
        normals.push_back(glm::normalize(cross));
        sum += cross;
    }
    if (tris.empty()) return;
    const glm::dvec3 mean = glm::length(sum) > 0 ? glm::normalize(sum) : normals.front();

    Rgba8 color = wall_color;
    switch (ref.surface) {
        case Surface::wall:
            color = wall_color;
            break;
        case Surface::roof:
            color = roof_color;
            break;
        case Surface::ground:
            color = ground_color;
            break;
        case Surface::unknown:  // a bare LoD1/LoD2 solid: tell the surfaces by their slope
            color = mean.z > 0.25 ? roof_color : mean.z < -0.7 ? ground_color : wall_color;
            break;
    }
    // A planar polygon shares its vertices; a bent one gets a vertex per triangle corner.
    const bool planar = std::all_of(normals.begin(), normals.end(),
                                    [&](const glm::dvec3& n) { return glm::dot(n, mean) > 0.9995; });
    const auto base = static_cast<uint32_t>(mesh.positions.size());
    if (planar) {
        std::vector<uint32_t> remap(p.size(), ~0u);
        for (const auto& tri : tris) {
            for (uint32_t i : tri) {
                if (remap[i] == ~0u) {
                    remap[i] = static_cast<uint32_t>(mesh.positions.size()) - base;
                    mesh.positions.push_back(p[i]);
                    mesh.normals.push_back(glm::vec3(mean));
                    mesh.colors.push_back(color);
                }
                mesh.indices.push_back(base + remap[i]);
            }
        }
    } else {
        for (size_t t = 0; t < tris.size(); ++t) {
            for (uint32_t i : tris[t]) {
                mesh.indices.push_back(static_cast<uint32_t>(mesh.positions.size()));
                mesh.positions.push_back(p[i]);
                mesh.normals.push_back(glm::vec3(normals[t]));
                mesh.colors.push_back(color);
            }
        }
    }
}

void collect_srs(const citygml::CityObject& obj, std::vector<std::string>& out) {
    if (!obj.getEnvelope().srsName().empty()) out.push_back(obj.getEnvelope().srsName());
    for (unsigned i = 0; i < obj.getGeometriesCount(); ++i) {
        const std::string s = obj.getGeometry(i).getSRSName();
        if (!s.empty()) out.push_back(s);
    }
    for (unsigned i = 0; i < obj.getChildCityObjectsCount(); ++i)
        collect_srs(obj.getChildCityObject(i), out);
}

void find_buildings(const citygml::CityObject& obj, std::vector<const citygml::CityObject*>& out) {
    if (obj.getType() == Type::COT_Building) out.push_back(&obj);
    for (unsigned i = 0; i < obj.getChildCityObjectsCount(); ++i)
        find_buildings(obj.getChildCityObject(i), out);
}

}  // namespace

FeatureLayer import_citygml(const CityGmlImport& in, const LocalOrigin& origin) {
    const std::string file = in.file.string();
    const std::string file_name = in.file.filename().string();
    const std::string layer_id = import_detail::checked_layer_id(in.layer_id, "citygml_buildings", file);

    std::error_code ec;
    if (!std::filesystem::is_regular_file(in.file, ec))
        fail("CityGML file '", file, "' not found (or not a file); check the path in the recipe");
    {
        // Xerces would read any XML; say plainly when the file is not CityGML at all.
        std::ifstream f(in.file, std::ios::binary);
        std::string head(64 * 1024, '\0');
        f.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<size_t>(f.gcount()));
        if (!f.good() && !f.eof()) fail("cannot read CityGML file '", file, "'; check its permissions");
        if (head.find("CityModel") == std::string::npos)
            fail("'", file, "' is not a CityGML file (no CityModel element in its first 64 KiB); ",
                 "zwilling-bake reads CityGML 1.0 and 2.0 files (.gml, .xml)");
    }

    citygml::ParserParams params;
    params.optimize = true;  // drops the rings' repeated closing points (see the top of the file)
    params.tesselate = true;
    params.pruneEmptyObjects = false;
    auto logger = std::make_shared<Logger>();
    std::shared_ptr<const citygml::CityModel> model;
    std::string thrown;
    try {
        model = citygml::load(file, params, logger);
    } catch (const std::exception& e) {
        thrown = e.what();
    } catch (...) {
        thrown = "the XML parser stopped (the file is not well-formed XML, e.g. cut short)";
    }
    const std::vector<std::string> errors = logger->errors();
    const std::vector<std::string> warnings = logger->warnings();
    if (!model || !thrown.empty())
        fail("cannot read CityGML file '", file, "': ", errors.empty() ? thrown : errors.front(),
             ". Check that the file is complete, well-formed XML (e.g. with xmllint --noout).");
    for (const std::string& w : warnings) {
        if (w.find("Mismatch type") == std::string::npos) continue;
        // "Mismatch type, list of ... expected at  line 16, column 225 in file ..."
        const size_t at = w.find("line ");
        const size_t end = at == std::string::npos ? at : w.find(" in file", at);
        const std::string where = at == std::string::npos ? std::string() : " at " + w.substr(at, end - at);
        fail("CityGML file '", file, "' has broken geometry", where,
             ": a coordinate list holds something that is not a number (e.g. NaN) or is cut short; "
             "fix the coordinates or export the file again");
    }
    const size_t shown = std::min<size_t>(warnings.size(), 10);
    for (size_t i = 0; i < shown; ++i)
        core::warn("CityGML file '", file, "': ", warnings[i]);
    if (warnings.size() > shown)
        core::warn("CityGML file '", file, "': ", warnings.size() - shown,
                   " more warning(s) from libcitygml");

    // The CRS: every srsName the file gives must be EPSG:25832.
    std::vector<std::string> srs;
    if (!model->getSRSName().empty()) srs.push_back(model->getSRSName());
    if (!model->getEnvelope().srsName().empty()) srs.push_back(model->getEnvelope().srsName());
    const citygml::ConstCityObjects roots = model->getRootCityObjects();
    for (const citygml::CityObject* o : roots)
        collect_srs(*o, srs);
    if (srs.empty())
        fail("CityGML file '", file,
             "' does not say which coordinate reference system it uses (no srsName); ",
             "zwilling-bake needs EPSG:25832 (ETRS89 / UTM zone 32N). If the coordinates are in it, add ",
             "srsName=\"EPSG:25832\" to the gml:Envelope of the CityModel.");
    for (const std::string& s : srs) {
        if (!is_epsg_25832(s))
            fail("CityGML file '", file, "' uses the coordinate reference system '", s,
                 "', which is not supported; zwilling-bake needs EPSG:25832 (ETRS89 / UTM zone 32N). ",
                 "Transform the file to EPSG:25832 first (e.g. with FME or citygml-tools reproject).");
    }

    std::vector<const citygml::CityObject*> buildings;
    for (const citygml::CityObject* o : roots)
        find_buildings(*o, buildings);
    if (buildings.empty())
        fail("CityGML file '", file, "' contains no buildings (bldg:Building); zwilling-bake imports only ",
             "buildings from CityGML, so give a file with LoD1 or LoD2 buildings");

    FeatureLayer layer;
    layer.id = layer_id;
    layer.title_de = in.title_de.empty() ? file_name : in.title_de;
    layer.title_en = in.title_en.empty() ? file_name : in.title_en;
    layer.group = "import";
    layer.access = in.access;
    // The generated buildings layer's class, with the attributes a CityGML file carries:
    // the public ones (id, street, house_number, use, storeys, height_m, year_built).
    layer.feature_class = building_class();
    std::erase_if(layer.feature_class.properties,
                  [](const PropertyDef& p) { return p.access != Access::citizen; });

    const glm::dvec3 o(origin.easting, origin.northing, origin.height);
    MeshStats stats;
    size_t without_geometry = 0;
    for (const citygml::CityObject* b : buildings) {
        // The building and its parts (which may have parts again); each uses its own
        // highest LoD, so a part modelled in LoD1 only is not lost.
        std::vector<const citygml::CityObject*> components{b};
        std::unordered_set<const citygml::Polygon*> drawn;
        TriMesh mesh;
        for (size_t c = 0; c < components.size(); ++c) {
            std::vector<PolygonRef> polygons;
            collect_object(*components[c], Surface::unknown, polygons, components);
            dedupe(polygons);
            unsigned lod = 0;
            for (const PolygonRef& r : polygons)
                lod = std::max(lod, r.lod);
            for (const PolygonRef& r : polygons)
                if (r.lod == lod && drawn.insert(r.polygon).second)
                    append_polygon(r, o, file, b->getId(), mesh, stats);
        }
        if (mesh.empty()) {
            ++without_geometry;
            continue;
        }

        std::string street, number;
        for (const citygml::CityObject* c : components) {
            if (const citygml::Address* a = c->address()) {
                street = trim(a->thoroughfareName());
                number = trim(a->thoroughfareNumber());
                break;
            }
        }
        double zmin = mesh.positions.front().z, zmax = zmin;
        for (const glm::dvec3& p : mesh.positions) {
            zmin = std::min(zmin, p.z);
            zmax = std::max(zmax, p.z);
        }
        double height = parse_double(attribute(components, "measuredheight"));
        if (!(height > 0) || !std::isfinite(height)) height = zmax - zmin;
        const int64_t storeys = leading_int(attribute(components, "storeysaboveground"));
        const int64_t year = leading_int(attribute(components, "yearofconstruction"));

        Feature f;
        f.values = {b->getId(),
                    street,
                    number,
                    attribute(components, "function"),
                    storeys > 100000 ? int64_t{-1} : storeys,
                    height,
                    year > 100000 ? int64_t{-1} : year};
        f.lods.push_back(std::move(mesh));
        f.lods.push_back(import_detail::bounding_block(f.lods[0], wall_color, roof_color, ground_color));
        layer.features.push_back(std::move(f));
    }

    if (stats.degenerate > 0)
        core::warn("CityGML file '", file, "': skipped ", stats.degenerate,
                   " degenerate triangle(s) (zero area)");
    if (without_geometry > 0)
        core::warn("CityGML file '", file, "': left out ", without_geometry, " of ", buildings.size(),
                   " building(s) without surfaces (polygons of LoD1 to LoD4)");
    if (layer.features.empty())
        fail("CityGML file '", file, "': none of its ", buildings.size(),
             " building(s) has surface geometry (polygons of LoD1 to LoD4); zwilling-bake needs at least ",
             "LoD1 solids or surfaces");
    core::info("CityGML file '", file, "': ", layer.features.size(), " building(s) imported into layer '",
               layer_id, "'");
    return layer;
}

}  // namespace zw::bake
