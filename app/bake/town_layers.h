// Turns the generated town into feature layers: meshes per level of detail and the
// attribute values of every feature, with each attribute's lowest allowed twin. The
// layers are rows of one table (town_layers.cpp); the mesh builders (add_part,
// add_block, add_box, shared with the importers and tests) are in town_meshes.h.
#pragma once

#include <string>
#include <vector>

#include "app/bake/feature_layer.h"
#include "app/bake/tiler.h"
#include "app/bake/town.h"
#include "app/bake/town_meshes.h"

namespace zw::bake {

// The building class as every buildings layer carries it (generated or CityGML).
FeatureClass building_class();

// A tile of `layer` as twins that may not name critical sites hold it: the vertices of
// critical sites take their generic colours (Feature::generic_colors). Returns whether
// any vertex changed.
bool apply_generic_colors(TileMesh& mesh, const FeatureLayer& layer);

// The height of a road's surface at `p` (bake-local), `lift` above the terrain; on a
// bridge over the creek's channel the bank's height.
double road_z(const Terrain& t, glm::dvec2 p, double lift);

// buildings, roads, water, trees, planning, utilities: in that order.
std::vector<FeatureLayer> town_feature_layers(const Town& town);
// The same one at a time (a large town's meshes need not all be in memory at once):
// the ids in that order, and the layer of one id (zw::Error for another id).
const std::vector<std::string>& town_layer_ids();
FeatureLayer town_feature_layer(const Town& town, const std::string& id);

}  // namespace zw::bake
