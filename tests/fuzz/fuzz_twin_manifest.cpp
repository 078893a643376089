// libFuzzer target: twin.json parsing and the access policy (engine/twin), and the same
// bytes as a tour file (engine/twin/tour.h, the twin's views/). Bad input must end in
// zw::Error; any other exception, a sanitizer report or a broken invariant below is a
// finding. The invariants that matter: no URI the parser accepts lies outside the twin's
// root; a tour that parses has views with finite cameras and reads back as written.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "engine/core/error.h"
#include "engine/core/uri.h"
#include "engine/twin/manifest.h"
#include "engine/twin/policy.h"
#include "engine/twin/tour.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_twin_manifest: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

void check_inside(const zw::twin::Manifest& m, const std::string& uri) {
    if (!zw::core::uri_inside(m.root, uri)) broken_invariant("an accepted URI lies outside the root", uri);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const zw::twin::Manifest m =
            zw::twin::parse_manifest(text, "https://twin.example.org/citizen/twin.json");
        if (m.root != "https://twin.example.org/citizen/") broken_invariant("wrong root", m.root);
        for (const auto& l : m.layers) {
            check_inside(m, l.tileset);
            if (!l.graph.empty()) check_inside(m, l.graph);
        }
        for (const auto& s : m.scenarios)
            check_inside(m, s.uri);
        for (const auto& t : m.tours)
            check_inside(m, t.uri);
        if (!m.surface.empty()) check_inside(m, m.surface);
        if (!m.addresses.empty()) check_inside(m, m.addresses);
        if (!m.departments.empty() && m.audience != zw::twin::Audience::staff)
            broken_invariant("departments outside the administration twin", m.id);
        for (const auto& d : m.departments) {
            const zw::twin::Grant g = zw::twin::grant(m, d.id);
            if (g.department != &d && g.department->id != d.id)
                broken_invariant("grant for another department", d.id);
            for (const auto* l : g.layers) {
                bool listed = false;
                for (const auto& id : d.layers)
                    listed = listed || id == l->id;
                if (!listed) broken_invariant("a layer granted that the department does not list", l->id);
            }
        }
        if (m.audience != zw::twin::Audience::staff &&
            zw::twin::grant(m, "").layers.size() != m.layers.size())
            broken_invariant("a public or council twin does not grant every layer", m.id);
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    try {
        const zw::twin::Tour t = zw::twin::parse_tour(text, "fuzz.json");
        if (t.views.empty() || t.views.size() > zw::twin::max_tour_views)
            broken_invariant("a tour with no or too many views", std::to_string(t.views.size()));
        for (const auto& v : t.views)
            for (int i = 0; i < 3; ++i)
                if (!(std::abs(v.eye[i]) <= zw::twin::max_tour_coordinate_m) ||
                    !(std::abs(v.target[i]) <= zw::twin::max_tour_coordinate_m))
                    broken_invariant("a camera outside the range", v.id);
        const zw::twin::Tour back = zw::twin::parse_tour(zw::twin::tour_json(t), "written");
        if (back.views.size() != t.views.size() || back.id != t.id)
            broken_invariant("a tour that does not read back as written", t.id);
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused tour: %s\n", e.what());
    }
    return 0;
}
