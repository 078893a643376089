// Critical infrastructure (KRITIS: water supply, sewage, energy) in the twins: which
// buildings are critical sites, and what a twin that may not name them shows in their
// place (docs/twin-bundle.md, "Critical sites"). Header-only: the bake and the leak scan
// (app/bake/check) use the same rule.
#pragma once

#include <string_view>

namespace zw::bake {

// A building is a critical site when its `critical_infrastructure` attribute names a
// KRITIS sector ("KRITIS Wasser", "KRITIS Abwasser", "KRITIS Energie"). Public services
// that every map shows (town hall, fire station: "Verwaltung", "Rettungswesen") are not.
inline bool is_critical_site(std::string_view critical_infrastructure) {
    return critical_infrastructure.substr(0, 6) == "KRITIS";
}

// The use class a critical site has in a twin that may not name it: an ordinary public
// building, with no address and an id of the ordinary series.
inline constexpr std::string_view generic_public_use = "Öffentliches Gebäude";
inline constexpr std::string_view generic_public_use_en = "Public building";
// Its colours (wall, roof): the legend's entry for generic_public_use.
inline constexpr unsigned generic_public_wall = 0xd5cfc4, generic_public_roof = 0x6a6661;

}  // namespace zw::bake
