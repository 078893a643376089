// The places of a town that traffic starts from and goes to (buildings, or groups of
// them), described generically: where, how many live and work there, and what kind of
// place it is. The town demand (town_demand.h) makes trips between them; the emergency
// access (emergency.h) times the fire brigade to each. Pure data.
#pragma once

#include <string>
#include <string_view>

#include <glm/glm.hpp>

namespace zw::scenario::traffic {

struct Place {
    enum class Kind { home, school, shop, work, farm, civic, church, fire_station, other };

    std::string id;            // e.g. the building's id; names it in reports
    glm::dvec2 position{0.0};  // EPSG:25832 (easting, northing): its door, or its centre
    int residents = 0;         // people living there (homes and farms; others may have some)
    Kind kind = Kind::home;
    double jobs = 0;  // workplaces there (shops, workshops, the town hall, the school ...)
};

// "home", "school", "shop", "work", "farm", "civic", "church", "fire_station", "other".
const char* place_kind_name(Place::Kind kind);

// The kind of a building from its use as the sample town (app/bake) and German cadastre
// names write it, compared without case: Wohnhaus, Mehrfamilienhaus -> home; Bauernhaus ->
// farm; Schule, Kindergarten, Kita -> school; Supermarkt, Laden, Geschäft, Markt, Bäckerei,
// Metzgerei -> shop; Gewerbe... (any use starting so), Halle, Werkstatt, Büro, Betrieb ->
// work; Rathaus, Verwaltung, Bauhof and the utilities (Wasserwerk, Pumpwerk, Umspannwerk,
// Kläranlage) -> civic; Kirche -> church; Feuerwehr -> fire_station; anything else
// (Garage, Scheune, ...) -> other. Cheap.
Place::Kind place_kind_of(std::string_view use);

}  // namespace zw::scenario::traffic
