// libFuzzer target: the bake's town recipe (app/bake/recipe). Bad input must end in
// zw::Error; any other exception, a sanitizer report or a broken invariant below is a
// finding. Invariants: what is read lies within the ranges recipe.h documents (EPSG:25832's
// zone, cell sizes, counts, printable names), and its memory estimate is a finite number.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/bake/recipe.h"
#include "engine/core/error.h"
#include "engine/core/json_fields.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_recipe: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

void within(const char* what, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) broken_invariant(what, std::to_string(v));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace zw::bake;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Recipe r;
    try {
        r = parse_recipe(text, "/fuzz/recipe.json");
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
        return 0;
    }
    within("origin.lat_deg", r.origin_lat_deg, min_lat_deg, max_lat_deg);
    within("origin.lon_deg", r.origin_lon_deg, min_lon_deg, max_lon_deg);
    within("extent_m", r.extent_m, min_extent_m, max_extent_m);
    within("terrain.fine_cell_m", r.fine_cell_m, min_cell_m, max_cell_m);
    within("terrain.outer_cell_m", r.outer_cell_m, r.fine_cell_m, max_cell_m);
    within("building_target", r.building_target, 0, max_building_target);
    within("pond_count", r.pond_count, 0, max_pond_count);
    within("planned_houses", r.planned_houses, 0, max_planned_houses);
    within("villages.count", r.villages.count, 0, 400);
    for (const std::string* t : {&r.name, &r.creek_name, &r.planning_name})
        if (t->empty() || !zw::core::text_problem(*t, max_name_bytes).empty())
            broken_invariant("a name is not printable", *t);
    for (const ImportSpec& s : r.imports) {
        if (!zw::core::text_problem(s.layer_id, max_name_bytes).empty())
            broken_invariant("a layer id", s.layer_id);
        if (s.kind == ImportSpec::Kind::model) {
            within("imports[].position[0]", s.position.x, min_easting_m, max_easting_m);
            within("imports[].position[1]", s.position.y, min_northing_m, max_northing_m);
        }
    }
    const BakeMemory m = estimate_bake_memory(r);
    if (!std::isfinite(m.total) || !(m.total > 0))
        broken_invariant("the memory estimate", std::to_string(m.total));
    return 0;
}
