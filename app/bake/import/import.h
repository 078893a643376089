// Importers of the bake: 3D models (glTF, OBJ, FBX, ... via Assimp) and CityGML
// buildings (LoD1/LoD2 via libcitygml), each turned into one FeatureLayer in the bake's
// local frame (app/bake/feature_layer.h).
//
// Both read EPSG:25832 (ETRS89 / UTM zone 32N) only: the bake does no datum or
// projection change, so a file in another CRS is refused with a message that names it.
// Errors a user can cause (missing or unreadable file, wrong CRS, broken geometry, no
// buildings, a layer id that is no valid folder name or one the bundle reserves, such
// as `scenarios`: layer_id_problem in app/bake/bundle.h) are thrown as zw::Error with a
// sentence naming the file, the problem and what to do. Degenerate (zero-area)
// triangles are dropped and counted in a warning.
//
// Cost: one pass over the file's geometry; memory about twice the imported mesh.
#pragma once

#include <filesystem>
#include <string>

#include <glm/glm.hpp>

#include "app/bake/feature_layer.h"

namespace zw::bake {

// Origin of the bake-local frame: EPSG:25832 easting/northing in metres and height above
// sea level. A local point is (easting - origin.easting, northing - origin.northing,
// height - origin.height).
struct LocalOrigin {
    double easting = 0, northing = 0, height = 0;
};

// True for the spellings of EPSG:25832 found in the wild: "EPSG:25832",
// "urn:ogc:def:crs:EPSG::25832", "http://www.opengis.net/def/crs/EPSG/0/25832" and compound
// CRSs whose horizontal part is 25832 ("urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::7837"),
// and the AdV's "urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH" of German surveying offices.
bool is_epsg_25832(const std::string& crs);

struct ModelImport {
    std::filesystem::path file;       // .glb/.gltf/.obj/.fbx, anything Assimp reads
    std::string crs = "EPSG:25832";   // only EPSG:25832 is supported; anything else: clear error
    glm::dvec3 position{0.0};         // easting, northing, height a.s.l. of the model origin
    double rotation_deg = 0;          // about the vertical axis, counter-clockwise seen from above
    double scale = 1;                 // model units to metres; > 0
    std::string layer_id = "import";  // "" means the default
    std::string title_de, title_en;   // "" means the file name
    Access access = Access::council;
};

// Reads a model and places it: the model is y-up (glTF by definition; OBJ, FBX and the
// rest assumed so), so a model point (x, y, z) becomes (x, -z, y) in the z-up frame, is
// scaled, rotated about z by rotation_deg and moved to `position` (made local).
// Every mesh of every node becomes one Feature of class "imported_model" with the
// string properties id ("<layer_id>-<n>", n from 1), name (node, mesh or file name) and
// source_file (file name only). Colours: the material's base/diffuse colour (linear, as
// glTF defines it and Blender writes OBJ/FBX) times any vertex colours, sRGB-encoded.
// lods[0] is the mesh, lods[1] its axis-aligned bounding block.
FeatureLayer import_model(const ModelImport& in, const LocalOrigin& origin);

struct CityGmlImport {
    std::filesystem::path file;
    std::string layer_id = "citygml_buildings";  // "" means the default
    std::string title_de, title_en;              // "" means the file name
    Access access = Access::citizen;
};

// Reads the Buildings of a CityGML 1.0/2.0 file (BuildingParts merged into their
// Building) as Features of class "building" with the properties of the generated
// buildings layer: id (gml:id), street, house_number (from the address, else ""), use
// (bldg:function), storeys (int32, storeysAboveGround, -1 if absent), height_m (float64,
// measuredHeight, else the geometry's height) and year_built (int32, -1 if absent).
// lods[0] is the highest LoD the file has for the building (walls light, roofs
// red-brown, ground grey; surfaces of unknown type coloured by their slope), lods[1]
// its bounding block. The srsName must be EPSG:25832 (see is_epsg_25832).
FeatureLayer import_citygml(const CityGmlImport& in, const LocalOrigin& origin);

}  // namespace zw::bake
