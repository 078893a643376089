// Checks on what `zwilling-bake` wrote: the structure of a twin folder and its 3D Tiles
// tilesets (docs/twin-bundle.md), and a scan for anything one twin may not hold.
//
// Nothing here throws for a bad bundle: every problem is a Finding with the file it is
// in and a sentence saying what is wrong. An empty `findings` means the check passed.
//
// Tolerances and budgets (the bake must stay inside them):
//   - containment (child box in parent box, tile content in tile box): 1 mm, measured
//     along each box axis;
//   - a glb file is at most kMaxGlbBytes = 2 MiB (2,097,152 bytes);
//   - a primitive has at most kMaxVertices = 65,536 vertices (its POSITION count);
//   - geometricError is finite, >= 0 and strictly smaller in a child than in its parent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace zw::bake::check {

inline constexpr uint64_t kMaxGlbBytes = 2u * 1024u * 1024u;
inline constexpr uint64_t kMaxVertices = 65536;
inline constexpr double kToleranceM = 0.001;

struct Finding {
    std::string file;  // path relative to the folder checked, '/'-separated
    std::string message;
};

struct CheckReport {
    std::vector<Finding> findings;
    size_t tilesets = 0, tiles = 0, glbs = 0;  // how much was checked
};

// Checks one twin folder: twin.json (the keys docs/twin-bundle.md requires, dotted keys
// being nested objects; which layers and attributes the twin may hold by the table in
// that document, for the layers and classes it names) and every layer's tileset, whose
// URI must resolve inside `twin_dir`. For a layer with a `class`, every glb's property
// table may only hold the attributes the manifest lists for the layer. Reads every file
// the tilesets reference once; cost is linear in the size of the twin.
CheckReport check_twin(const std::filesystem::path& twin_dir);

// Checks one tileset.json and everything it references (glb tiles, external tilesets);
// `root` is the folder every URI must stay inside and the base of Finding::file.
// Checks: required fields (asset.version, geometricError, root, each tile's
// boundingVolume and geometricError, root refine), refine values, URIs (relative, no
// scheme, inside `root`, the file exists), geometric error order, finite numbers in
// bounding volumes and transforms, boxes containing their children's boxes and their
// content (glb POSITION min/max through the node hierarchy of the default scene and
// the y-up to z-up turn), glb structure and the budgets above. `region` and `sphere`
// bounding volumes are reported as unsupported by this checker.
CheckReport check_tileset(const std::filesystem::path& tileset_json, const std::filesystem::path& root);

struct LeakReport {
    std::vector<Finding> findings;  // file relative to `twin`
    size_t tokens = 0;              // distinct byte strings searched for
    size_t tokens_skipped = 0;      // restricted strings too short or also allowed (see leak_scan)
    size_t files_scanned = 0;
    uint64_t bytes_scanned = 0;
};

// Looks for everything `full_twin` (the administration twin) holds that `twin` may not
// hold, in every regular file under `twin`, JSON and binary alike, as byte substrings
// (and, for JSON files and glb JSON chunks, in their decoded strings as well).
//
// What `twin` may hold is what its twin.json lists: its layers, and per layer the
// attributes. Searched for: layer ids of full_twin not in twin; attribute names of
// full_twin that no layer of twin lists; and the string values, read from the
// EXT_structural_metadata property tables of every glb in full_twin, of every column
// twin may not hold (all string columns of a layer it does not hold). A string is not
// searched for if it is shorter than 4 bytes, or if it occurs inside something twin may
// hold (a value of a column it holds, a string of its own twin.json, a glTF / 3D Tiles
// / manifest key word): the byte scan could not tell the two apart.
// Besides the byte scan, it reports layer folders under `twin` that its twin.json does
// not list, and property-table columns and schema properties in twin's glbs that
// twin.json does not allow for the layer — which also covers attribute names the byte
// scan skips (e.g. `material`, a glTF key word).
// Cost: one pass over every file of both twins; the search is Aho-Corasick, linear in
// the bytes scanned plus the number of matches.
LeakReport leak_scan(const std::filesystem::path& full_twin, const std::filesystem::path& twin);

struct ConfinementReport {
    std::vector<Finding> findings;  // file relative to `out` (the configuration's own problems: its path)
    size_t files = 0;               // files under `out` evaluated
    size_t credentials = 0;         // credentials tried on each
    // Who the configuration lets read each file (relative to `out`), as "<twin>:<user>"
    // ("administration:bauhof.person"); files that nobody may read are left out.
    std::map<std::string, std::set<std::string>> readers;
};

// Proves that the server configuration `config` (OUT/server/zwilling.conf as
// zwilling-bake writes it) confines every twin: for every regular file under `out`, the
// set of credentials it lets read the file equals the set the manifests grant, and any
// difference is a finding naming the file and both sets.
//
// The configuration is read with nginx's syntax and evaluated as nginx would answer a GET
// of the file's path: the longest prefix `location`, `if`/`return` before the login
// (auth_basic with the users file named like the twin, docs/serving.md), `map`s (exact keys,
// then regexes in order) and `try_files`. A directive zwilling-bake does not write is a
// finding (the check cannot prove what it grants), never guessed. Credentials tried: no
// login, and in each twin's users file "user", "nobody" and for every department id D of
// the twins D, "D.person", "D.a.b" and "Dx".
//
// What the manifests grant (docs/serving.md): a twin without twin.json, and every file
// outside the twins, nobody; a twin without `departments` every user of its login;
// otherwise a user "D" or "D.<person>" (person: ASCII letters, digits, '_', '-') of a
// department D its twin.json and the files below the folders of D's layers (a layer's
// folder is its id) and of the scenarios' `uri` and `results`. A scenario folder inside a
// layer's folder is a finding too (it would open the layer to every department).
// Cost: files x credentials evaluations, each a few regex matches.
ConfinementReport check_confinement(const std::filesystem::path& out, const std::filesystem::path& config);

}  // namespace zw::bake::check
