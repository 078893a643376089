// A twin's manifest (twin.json, docs/twin-bundle.md): the twin and its audience, the
// town, its layers (with legend and the attributes the twin holds), the departments of
// the administration twin and the scenarios. Pure code: no Vulkan, no UI.
//
// Every URI in a manifest must resolve inside the twin's root: the folder that holds
// twin.json, on disk or on the twin's server. Absolute paths, other hosts and schemes,
// and "../" (also percent-encoded) are refused with a message that names the field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/fetch.h"
#include "engine/geo/geo.h"

namespace zw::twin {

enum class Audience { public_, council, staff };
const char* audience_name(Audience a);  // "public", "council", "staff"

struct LegendEntry {
    uint32_t rgb = 0;  // 0xrrggbb
    std::string label_de, label_en;
};

struct Attribute {
    std::string name;  // the property-table column
    std::string type;  // "string", "int32" or "float64"
    std::string title_de, title_en;
};

struct Layer {
    std::string id;  // also its folder: a twin's layer ids are unique
    std::string title_de, title_en;
    std::string group;    // "base", "planning", "infrastructure", "import" or another
    std::string tileset;  // absolute URI (file path or http(s)), inside the twin's root
    bool default_visible = false;
    std::string feature_class;          // EXT_structural_metadata class; empty for terrain
    std::vector<Attribute> attributes;  // what this twin holds of the class
    std::vector<LegendEntry> legend;
    std::string graph;  // roads: absolute URI of the road graph; else empty
};

struct Department {
    std::string id;  // e.g. "bauhof"
    std::string title_de, title_en;
    std::vector<std::string> layers;  // layer ids it may see
};

struct Scenario {
    std::string id;
    std::string kind;  // "flood", "traffic", ...
    std::string title_de, title_en;
    std::string uri;      // absolute URI of its definition (a flood: the scenario JSON), inside the root
    std::string results;  // absolute URI of the folder of its results (ending in '/'); empty: none
    bool is_public = false;
};

// A tour the twin holds (views/<id>.json, docs/tours.md).
struct TourRef {
    std::string id, title_de, title_en;
    std::string uri;  // absolute, inside the root
};

struct Manifest {
    std::string uri;   // of twin.json itself
    std::string root;  // the twin's folder, ending in '/': every URI resolves inside it
    std::string id;    // "citizen", "council" or "administration"
    Audience audience = Audience::public_;
    std::string title_de, title_en;
    std::string town;  // town.name
    bool synthetic = false;
    std::string description_de, description_en;
    // The town origin; height_m is ellipsoidal: origin.height + crs.geoid_undulation_m.
    geo::Geodetic origin;
    double geoid_undulation_m = 0;  // crs.geoid_undulation_m: ellipsoidal = above sea level + this
    std::vector<Layer> layers;      // in drawing order
    std::vector<Department> departments;
    std::vector<Scenario> scenarios;
    std::vector<TourRef> tours;
    std::string surface;    // absolute URI of the surface grid camera flights climb over; "": none
    std::string addresses;  // absolute URI of the address list (address search); "": none
    std::vector<std::string> warnings;  // what was left out, and why

    const Layer* layer(std::string_view id) const;
};

// The twin.json URI for what a user gave: a twin folder (path or URL ending in '/'),
// twin.json itself, or a URL of either. A bundle folder (holding citizen/, council/,
// ...) instead of one twin is refused with the twins it holds. Paths become absolute.
std::string manifest_uri(const std::string& folder_json_or_url);

// Parses twin.json text read from `uri`. Throws zw::Error naming `uri` and the field
// (e.g. "layers[2].tileset") when something needed is missing or a URI leaves the root.
// Entries that are only incomplete (a layer without tileset) are left out with a warning.
Manifest parse_manifest(std::string_view text, const std::string& uri);

// manifest_uri + fetch + parse_manifest. Fetch errors come through as core::FetchError
// (a 401 is how a served twin asks for credentials).
Manifest load_manifest(const std::string& folder_json_or_url, const core::FetchOptions& fetch = {});

// Resolves `reference` (from a file at `base`) and checks that it stays inside `root`.
// Throws zw::Error "<what>: '<reference>' ..." when it is absolute, names another host or
// scheme, or leaves the root.
std::string resolve_confined(const std::string& root, const std::string& base, const std::string& reference,
                             const std::string& what);

}  // namespace zw::twin
