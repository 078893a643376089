// The generated town's landmarks: the civic buildings around the market square and the
// critical sites (water works, pumping station, substation, sewage works) with their
// access tracks, placed near their spots; and the ids a twin that may not name a
// critical site shows in its place.
#include "app/bake/town_internal.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "engine/core/log.h"

namespace zw::bake {
namespace town_detail {

bool Generator::place_near(const std::function<Building(dvec2)>& make) {
    for (int ring = 0; ring < 12; ++ring) {
        for (int k = 0; k < std::max(1, ring * 6); ++k) {
            const double a = 2 * pi * k / std::max(1, ring * 6);
            if (try_place(make(ring * 9.0 * dvec2(std::cos(a), std::sin(a))), 1.0, 2.0)) return true;
        }
    }
    core::warn("bake: could not place the ", make(dvec2(0.0)).use, " (everything near its spot is taken)");
    return false;
}

Building Generator::civic(const std::string& use, int storeys, int year, const std::string& owner,
                          const std::string& kritis) {
    Building b;
    b.use = use;
    b.storeys = storeys;
    b.year_built = year;
    b.owner_category = owner;
    b.critical_infrastructure = kritis;
    b.last_inspection = inspection_date(2021, 2026);
    b.street = "";
    return b;
}

void Generator::special_buildings() {
    const dvec2 c = market_;
    // The tracks to the critical sites carry no name that leads to them (a street named
    // after the water works would name it in every twin's road layer).
    const std::string critical_access = "Wirtschaftsweg";
    place_near([&](dvec2 o) {
        Building b = civic("Rathaus", 3, 1732, "Gemeinde", "Verwaltung");
        b.street = "Marktplatz";
        b.house_number = "1";
        b.parts.push_back(
            make_part(c + dvec2(24, 8) + o, pi / 2, 20, 14, 10, 15, RoofType::hipped, "Rathaus"));
        return b;
    });
    place_near([&](dvec2 o) {
        Building b = civic("Kirche", 1, 1496, "Kirchengemeinde", "keine");
        b.street = "Kirchplatz";
        b.house_number = "2";
        const dvec2 nave = c + dvec2(-52, 45) + o;
        b.parts.push_back(make_part(nave, 0, 32, 14, 10, 19, RoofType::gabled, "Kirche"));
        BuildingPart tower = make_part(nave + dvec2(-20, 0), 0, 8, 8, 27, 39, RoofType::pyramid, "Kirche");
        tower.roof_color = rgb(0x4d5560);
        b.parts.push_back(tower);
        return b;
    });
    if (place_near([&](dvec2 o) {
            Building b = civic("Schule", 3, 1968, "Gemeinde", "keine");
            b.street = "Schulstraße";
            b.house_number = "10";
            const dvec2 s = c + dvec2(-230, 330) + o;
            b.parts.push_back(make_part(s, 0, 52, 16, 10, 13.5, RoofType::hipped, "Schule"));
            b.parts.push_back(
                make_part(s + dvec2(-17, -23), pi / 2, 30, 14, 10, 13.5, RoofType::hipped, "Schule"));
            return b;
        }))
        access_road(front_of(town_.buildings.back(), 10), "Schulstraße");
    place_near([&](dvec2 o) {
        Building b = civic("Feuerwehr", 2, 1994, "Gemeinde", "Rettungswesen");
        b.street = "Erlanger Straße";
        b.house_number = "31";
        const dvec2 f = dvec2(c.x + 210, ew_y_(c.x + 210) + 28) + o;
        b.parts.push_back(make_part(f, 0, 26, 16, 7, 9.5, RoofType::gabled, "Feuerwehr"));
        b.parts.push_back(make_part(f + dvec2(15.5, 5), 0, 4, 4, 17, 17, RoofType::flat, "Feuerwehr"));
        return b;
    });
    if (place_near([&](dvec2 o) {
            Building b = civic("Wasserwerk", 1, 1978, "Zweckverband Wasserversorgung", "KRITIS Wasser");
            b.street = "Am Wasserwerk";
            b.house_number = "1";
            b.parts.push_back(make_part(dvec2(-980, terrain().creek_y(-980) + 150) + o, 0.2, 24, 14, 6, 9,
                                        RoofType::hipped, "Wasserwerk"));
            return b;
        }))
        access_road(front_of(town_.buildings.back(), 10), critical_access);
    if (place_near([&](dvec2 o) {
            Building b = civic("Pumpwerk", 1, 1989, "Zweckverband Abwasser", "KRITIS Abwasser");
            b.street = "Am Seebach";
            b.house_number = "2";
            b.parts.push_back(make_part(dvec2(380, terrain().creek_y(380) + 24) + o, 0, 9, 7, 3.5, 3.5,
                                        RoofType::flat, "Pumpwerk"));
            return b;
        }))
        access_road(front_of(town_.buildings.back(), 6), critical_access);
    if (place_near([&](dvec2 o) {
            Building b = civic("Umspannwerk", 1, 1983, "Energieversorger", "KRITIS Energie");
            b.street = "Am Umspannwerk";
            b.house_number = "1";
            const dvec2 u = dvec2(-700, -520) + o;
            b.parts.push_back(make_part(u, 0.3, 16, 10, 4.5, 4.5, RoofType::flat, "Umspannwerk"));
            for (int k = 0; k < 3; ++k)
                b.parts.push_back(make_part(u + dvec2(-12 + 9 * k, 14), 0.3, 5, 4, 3.2, 3.2, RoofType::flat,
                                            "Umspannwerk"));
            return b;
        }))
        access_road(front_of(town_.buildings.back(), -8), critical_access);
    if (place_near([&](dvec2 o) {
            Building b = civic("Kläranlage", 1, 1975, "Zweckverband Abwasser", "KRITIS Abwasser");
            b.street = "Am Klärwerk";
            b.house_number = "1";
            const dvec2 k = dvec2(1560, terrain().creek_y(1560) + 75) + o;
            b.parts.push_back(make_part(k, 0, 20, 10, 5, 5, RoofType::flat, "Kläranlage"));
            b.parts.push_back(
                make_part(k + dvec2(-30, 22), 0, 28, 28, 3.5, 3.5, RoofType::cylinder, "Kläranlage"));
            b.parts.push_back(
                make_part(k + dvec2(4, 26), 0, 24, 24, 3.5, 3.5, RoofType::cylinder, "Kläranlage"));
            return b;
        }))
        access_road(front_of(town_.buildings.back(), 8), critical_access);
}

dvec2 Generator::front_of(const Building& b, double d) {
    const BuildingPart& p = b.parts[0];
    return p.centre + dvec2(0, d + (d > 0 ? 1 : -1) * p.width / 2);
}

}  // namespace town_detail

std::map<std::string, std::string> critical_site_ids(const Town& town) {
    std::map<std::string, std::string> out;
    for (const Building& b : town.buildings)
        if (!b.generic_id.empty()) out[b.id] = b.generic_id;
    return out;
}

}  // namespace zw::bake
