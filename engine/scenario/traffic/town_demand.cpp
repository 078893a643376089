#include "engine/scenario/traffic/town_demand.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "engine/core/error.h"
#include "engine/scenario/traffic/routing.h"

namespace zw::scenario::traffic {
namespace {

// Our own distributions over std::mt19937_64 (whose sequence the standard fixes), so
// that a seed gives the same trips with every standard library.
class Random {
  public:
    explicit Random(uint64_t seed) : g_(seed) {}
    // [0, 1), 53 random bits.
    double uniform() { return double(g_() >> 11) * 0x1.0p-53; }
    // [0, n), n > 0.
    size_t below(size_t n) { return std::min(n - 1, size_t(uniform() * double(n))); }
    // An index drawn in proportion to the weights whose running sums `cumulative` holds
    // (its last value above 0); entries of weight 0 are never drawn.
    size_t pick(const std::vector<double>& cumulative) {
        const double u = uniform() * cumulative.back();
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
        return std::min(size_t(it - cumulative.begin()), cumulative.size() - 1);
    }

  private:
    std::mt19937_64 g_;
};

// One generator per kind of trip (seeded from the seed and the kind through splitmix64),
// so that changing one kind's options leaves the others' trips as they were.
uint64_t stream_seed(uint64_t seed, uint64_t kind) {
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (kind + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::vector<double> running_sums(const std::vector<double>& weights) {
    std::vector<double> out(weights.size());
    double sum = 0;
    for (size_t i = 0; i < weights.size(); ++i)
        out[i] = sum += std::max(0.0, weights[i]);
    return out;
}

// `n` draws in proportion to `weights` by systematic sampling from a random start: each
// index gets its expected count rounded down or up, the total exactly n.
std::vector<size_t> apportion(const std::vector<double>& weights, size_t n, Random& rng) {
    const std::vector<double> cum = running_sums(weights);
    std::vector<size_t> out;
    if (n == 0 || cum.empty() || !(cum.back() > 0)) return out;
    const double step = cum.back() / double(n);
    const double start = rng.uniform() * step;
    size_t i = 0;
    for (size_t k = 0; k < n; ++k) {
        const double target = start + double(k) * step;
        while (i + 1 < cum.size() && cum[i] <= target)
            ++i;
        out.push_back(i);
    }
    return out;
}

// Whether item k of a series is one of the exact `share` of it (k = 0, 1, ...): the
// count of chosen items among the first n is floor(n x share).
bool in_share(size_t k, double share) {
    return std::floor(double(k + 1) * share) > std::floor(double(k) * share);
}

size_t rounded(double v) {
    return v > 0 ? size_t(std::llround(v)) : 0;
}

// A departure profile clipped to the window, drawn from by its area.
class Profile {
  public:
    Profile(const DepartureProfile& points, double begin, double end) {
        for (size_t i = 1; i < points.size(); ++i) {
            const double ta = points[i - 1].first, va = points[i - 1].second;
            const double tb = points[i].first, vb = points[i].second;
            if (!(tb > ta)) continue;
            const double t0 = std::max(ta, begin), t1 = std::min(tb, end);
            if (!(t1 > t0)) continue;
            auto at = [&](double t) { return va + (vb - va) * (t - ta) / (tb - ta); };
            add(t0, t1, at(t0), at(t1));
        }
        // A profile that is 0 throughout the window: departures evenly over it.
        if (!(total_ > 0)) {
            segments_.clear();
            total_ = 0;
            add(begin, end, 1.0, 1.0);
        }
    }
    double area_s() const { return total_; }  // integral of the rate over the window
    double peak() const {
        double p = 0;
        for (const Segment& s : segments_)
            p = std::max({p, s.v0, s.v1});
        return p;
    }
    double draw(Random& rng) const {
        const double u = rng.uniform() * total_;
        size_t i = 0;
        while (i + 1 < segments_.size() && segments_[i].cum_end <= u)
            ++i;
        const Segment& s = segments_[i];
        const double dt = s.t1 - s.t0;
        // Solve v0 x + (v1 - v0) x^2 / 2 = c for the fraction x of the segment (with only
        // sqrt, which IEEE rounds the same everywhere).
        const double c = std::max(0.0, u - (s.cum_end - s.area)) / dt;
        const double a = (s.v1 - s.v0) / 2, b = s.v0;
        const double den = b + std::sqrt(std::max(0.0, b * b + 4 * a * c));
        const double x = den > 0 ? std::clamp(2 * c / den, 0.0, 1.0) : 0.0;
        return s.t0 + x * dt;
    }

  private:
    struct Segment {
        double t0, t1, v0, v1, area, cum_end;
    };
    void add(double t0, double t1, double v0, double v1) {
        const double area = (v0 + v1) / 2 * (t1 - t0);
        total_ += area;
        segments_.push_back({t0, t1, v0, v1, area, total_});
    }
    std::vector<Segment> segments_;
    double total_ = 0;
};

void check_share(double v, const char* name) {
    if (!(v >= 0 && v <= 1)) fail("town demand: option '", name, "' is ", v, "; it is a share from 0 to 1");
}
void check_rate(double v, const char* name) {
    if (!(v >= 0 && std::isfinite(v)))
        fail("town demand: option '", name, "' is ", v, "; it is a rate of 0 or more");
}
void check_positive(double v, const char* name) {
    if (!(v > 0 && std::isfinite(v))) fail("town demand: option '", name, "' is ", v, "; it must be above 0");
}
void check_profile(const DepartureProfile& p, const char* name) {
    for (size_t i = 0; i < p.size(); ++i) {
        if (!std::isfinite(p[i].first) || !(p[i].second >= 0 && std::isfinite(p[i].second)))
            fail("town demand: profile '", name, "' point ", i + 1,
                 " is not a time and a rate of 0 or more (finite numbers)");
        if (i > 0 && p[i].first < p[i - 1].first)
            fail("town demand: profile '", name, "' point ", i + 1, " lies before the one before it");
    }
}

void validate(const TownDemandOptions& o) {
    if (!std::isfinite(o.begin_s) || !std::isfinite(o.end_s) || !(o.end_s - o.begin_s >= 60))
        fail("town demand: the window from begin_s ", o.begin_s, " to end_s ", o.end_s,
             " is not at least a minute long");
    check_share(o.employed_share, "employed_share");
    check_share(o.at_work_share, "at_work_share");
    check_share(o.morning_share, "morning_share");
    check_share(o.out_commuter_share, "out_commuter_share");
    check_share(o.commute_car_share, "commute_car_share");
    check_share(o.local_car_share, "local_car_share");
    check_share(o.in_commuter_share, "in_commuter_share");
    check_share(o.pupil_share, "pupil_share");
    check_share(o.school_car_share, "school_car_share");
    check_share(o.shopping_out_share, "shopping_out_share");
    check_share(o.through_truck_share, "through_truck_share");
    check_share(o.van_from_outside_share, "van_from_outside_share");
    check_positive(o.car_occupancy, "car_occupancy");
    check_positive(o.pupils_per_car, "pupils_per_car");
    check_positive(o.bus_headway_s, "bus_headway_s");
    check_positive(o.tractor_max_speed_ms, "tractor_max_speed_ms");
    check_rate(o.shopping_trips_per_resident, "shopping_trips_per_resident");
    check_rate(o.through_peak_vph, "through_peak_vph");
    check_rate(o.van_trips_per_1000, "van_trips_per_1000");
    check_rate(o.supply_trucks_per_shop, "supply_trucks_per_shop");
    check_rate(o.tractor_trips_per_farm, "tractor_trips_per_farm");
    check_rate(o.school_stop_s, "school_stop_s");
    check_rate(o.shopping_stay_s, "shopping_stay_s");
    check_rate(o.supply_stop_s, "supply_stop_s");
    check_rate(o.bus_offset_s, "bus_offset_s");
    check_rate(o.gateway_margin_m, "gateway_margin_m");
    if (!std::isfinite(o.school_start_s)) fail("town demand: option 'school_start_s' is not a time of day");
    if (o.tractor_vclass.empty()) fail("town demand: option 'tractor_vclass' is empty; SUMO needs a class");
    check_profile(o.commute_profile, "commute_profile");
    check_profile(o.shopping_profile, "shopping_profile");
    check_profile(o.through_profile, "through_profile");
    check_profile(o.van_profile, "van_profile");
    check_profile(o.farm_profile, "farm_profile");
}

// Main roads among the usable edges: the highest priority where priorities differ, else
// the highest speed.
std::vector<uint8_t> main_edges(const Network& net, const RouteGraph& g) {
    const size_t n = g.edge_count();
    int lo = std::numeric_limits<int>::max(), hi = std::numeric_limits<int>::min();
    double top_speed = 0;
    std::vector<double> speed(n, 0.0);
    for (size_t i = 0; i < n; ++i) {
        if (!g.usable[i]) continue;
        lo = std::min(lo, net.edges[i].priority);
        hi = std::max(hi, net.edges[i].priority);
        for (const Lane& l : net.edges[i].lanes)
            speed[i] = std::max(speed[i], l.speed);
        top_speed = std::max(top_speed, speed[i]);
    }
    std::vector<uint8_t> out(n, 0);
    for (size_t i = 0; i < n; ++i) {
        if (!g.usable[i]) continue;
        out[i] = hi >= 0 && lo != hi ? net.edges[i].priority == hi : speed[i] >= top_speed - 0.01;
    }
    return out;
}

// A point of an edge for distance estimates: the middle of its first lane's ends.
double free_speed(const RouteGraph& g, size_t e) {
    return g.time_s[e] > 0 ? g.length_m[e] / g.time_s[e] : 0.0;
}

glm::dvec2 edge_point(const Edge& e) {
    const std::vector<glm::dvec3>& s = e.lanes.front().shape;
    return (glm::dvec2(s.front()) + glm::dvec2(s.back())) / 2.0;
}

// A rough driving time between two points, for the departure of a way back: the
// straight distance x 1.3 at 10 m/s, plus a minute to park and start.
double drive_estimate_s(glm::dvec2 a, glm::dvec2 b) {
    return 1.3 * glm::length(b - a) / 10.0 + 60.0;
}

}  // namespace

std::vector<Gateway> find_gateways(const Network& net, std::string_view vclass, double margin_m) {
    const RouteGraph g = route_graph(net, vclass);
    const std::vector<uint8_t> core = largest_strongly_connected(g);
    const std::vector<uint8_t> reaches = connected_to(g, core, true);
    const std::vector<uint8_t> reached = connected_to(g, core, false);
    const std::vector<uint8_t> main = main_edges(net, g);

    std::map<std::string, std::set<std::string>> neighbours;
    std::map<std::string, std::vector<uint32_t>> leaving, arriving;
    for (size_t i = 0; i < net.edges.size(); ++i) {
        const Edge& e = net.edges[i];
        if (e.internal()) continue;
        neighbours[e.from].insert(e.to);
        neighbours[e.to].insert(e.from);
        leaving[e.from].push_back(uint32_t(i));
        arriving[e.to].push_back(uint32_t(i));
    }
    glm::dvec2 lo(std::numeric_limits<double>::max()), hi(std::numeric_limits<double>::lowest());
    for (const auto& [id, _] : neighbours)
        if (const Junction* j = net.junction(id)) {
            lo = glm::min(lo, glm::dvec2(j->position));
            hi = glm::max(hi, glm::dvec2(j->position));
        }
    if (lo.x > hi.x) return {};
    if (!(margin_m > 0)) margin_m = std::max(25.0, 0.03 * std::max(hi.x - lo.x, hi.y - lo.y));

    // The best edge of a list: usable as asked, on a main road first, then the lowest index.
    auto best = [&](const std::vector<uint32_t>& edges, const std::vector<uint8_t>& ok) -> int64_t {
        int64_t out = -1;
        for (const uint32_t e : edges)
            if (ok[e] && (out < 0 || (main[e] && !main[size_t(out)]))) out = e;
        return out;
    };
    auto gateway_at = [&](const std::string& id) -> std::optional<Gateway> {
        const Junction* j = net.junction(id);
        if (!j) return std::nullopt;
        const int64_t in = best(leaving[id], reaches), out = best(arriving[id], reached);
        if (in < 0 && out < 0) return std::nullopt;
        Gateway gw;
        gw.junction = id;
        gw.position = glm::dvec2(j->position);
        if (in >= 0) gw.entry = net.edges[size_t(in)].id;
        if (out >= 0) gw.exit = net.edges[size_t(out)].id;
        gw.main = (in >= 0 && main[size_t(in)]) || (out >= 0 && main[size_t(out)]);
        return gw;
    };

    std::vector<Gateway> out;
    for (const auto& [id, near] : neighbours) {
        if (near.size() != 1) continue;
        const Junction* j = net.junction(id);
        if (!j) continue;
        const glm::dvec2 p(j->position);
        const double to_outline = std::min({p.x - lo.x, hi.x - p.x, p.y - lo.y, hi.y - p.y});
        if (to_outline > margin_m) continue;
        if (auto gw = gateway_at(id)) out.push_back(std::move(*gw));
    }
    if (!out.empty()) return out;

    // No dead end near the outline: the junction nearest each side stands in.
    std::vector<std::optional<Gateway>> candidates;
    bool any_main = false;
    for (const auto& [id, _] : neighbours)
        if (auto gw = gateway_at(id)) {
            any_main = any_main || gw->main;
            candidates.push_back(std::move(gw));
        }
    std::set<std::string> chosen;
    for (int side = 0; side < 4; ++side) {
        const Gateway* pick = nullptr;
        for (const auto& c : candidates) {
            if (any_main && !c->main) continue;
            // west, east, south, north: the smaller the score, the nearer the side
            const double score = side == 0   ? c->position.x
                                 : side == 1 ? -c->position.x
                                 : side == 2 ? c->position.y
                                             : -c->position.y;
            const double best_score = !pick       ? 0
                                      : side == 0 ? pick->position.x
                                      : side == 1 ? -pick->position.x
                                      : side == 2 ? pick->position.y
                                                  : -pick->position.y;
            if (!pick || score < best_score) pick = &*c;
        }
        if (pick && chosen.insert(pick->junction).second) out.push_back(*pick);
    }
    std::sort(out.begin(), out.end(),
              [](const Gateway& a, const Gateway& b) { return a.junction < b.junction; });
    return out;
}

Demand make_town_demand(const std::vector<Place>& places, const Network& net, const TownDemandOptions& o,
                        std::vector<std::string>* notes) {
    validate(o);
    auto note = [&](std::string s) {
        if (notes) notes->push_back(std::move(s));
    };

    Demand d;
    d.types = {
        {"car", "passenger", 0, 0, 0},
        {"van", "delivery", 0, 0, 0},
        {"truck", "truck", 0, 0, 0},
        {"bus", "bus", 0, 0, 0},
        {"tractor", o.tractor_vclass, 6.5, o.tractor_max_speed_ms, 0},
        {"fire_engine", "emergency", 9.0, 0, 0},
    };

    const RouteGraph car = route_graph(net, "passenger");
    const std::vector<uint8_t> core = largest_strongly_connected(car);
    if (std::find(core.begin(), core.end(), 1) == core.end())
        fail("town demand: the traffic network has no edge that cars (SUMO class passenger) may use");
    const std::vector<Gateway> gateways = find_gateways(net, "passenger", o.gateway_margin_m);
    auto edge_index = [&](const std::string& id) { return uint32_t(net.edge(id) - net.edges.data()); };

    // Ways out of and into town: the main roads' gateways where there are any.
    const bool main_gateways =
        std::any_of(gateways.begin(), gateways.end(), [](const Gateway& g) { return g.main; });
    std::vector<const Gateway*> outer;
    for (const Gateway& g : gateways)
        if (g.main || !main_gateways) outer.push_back(&g);
    std::vector<uint32_t> entries, exits;
    for (const Gateway* g : outer) {
        if (!g->entry.empty()) entries.push_back(edge_index(g->entry));
        if (!g->exit.empty()) exits.push_back(edge_index(g->exit));
    }
    if (entries.empty() || exits.empty())
        fail(
            "town demand: the traffic network has no way into or out of the map that cars may use "
            "(no dead end near its outline, and no junction at its sides with edges both ways)");

    // Places on the network.
    const EdgeLocator locate(net, car, core);
    std::vector<uint32_t> at(places.size(), no_edge);
    for (size_t i = 0; i < places.size(); ++i)
        if (const auto p = locate.nearest(places[i].position)) at[i] = p->edge;

    std::vector<double> home_w(places.size(), 0.0), job_w(places.size(), 0.0), shop_w(places.size(), 0.0),
        visit_w(places.size(), 0.0);
    double residents = 0, jobs = 0;
    std::vector<size_t> schools, shops;
    for (size_t i = 0; i < places.size(); ++i) {
        if (at[i] == no_edge) continue;
        const Place& p = places[i];
        const double r = std::max(0, p.residents), j = std::isfinite(p.jobs) ? std::max(0.0, p.jobs) : 0.0;
        home_w[i] = r;
        job_w[i] = j;
        visit_w[i] = r + 3 * j;
        residents += r;
        jobs += j;
        if (p.kind == Place::Kind::school) schools.push_back(i);
        if (p.kind == Place::Kind::shop) {
            shops.push_back(i);
            shop_w[i] = j > 0 ? j : 1.0;
        }
    }
    const std::vector<double> job_cum = running_sums(job_w), shop_cum = running_sums(shop_w),
                              visit_cum = running_sums(visit_w);

    size_t serial = 0;
    auto add = [&](const std::string& prefix, const char* type, double depart, uint32_t from, uint32_t to,
                   const char* purpose) {
        Trip t;
        t.id = prefix + "_" + std::to_string(serial++);
        t.type = type;
        t.depart_s = depart;
        t.from = net.edges[from].id;
        t.to = net.edges[to].id;
        t.purpose = purpose;
        d.trips.push_back(std::move(t));
    };
    // A time as a whole second of the window.
    auto in_window = [&](double t) {
        double s = o.begin_s + std::floor(std::max(0.0, t - o.begin_s));
        while (s >= o.end_s)
            s -= 1;
        return std::max(s, o.begin_s);
    };
    auto point_of = [&](uint32_t edge) { return edge_point(net.edges[edge]); };

    const Profile commute(o.commute_profile, o.begin_s, o.end_s);
    const double commuters = o.employed_share * o.at_work_share * o.morning_share;

    // Commuters out of town, within it, and into it.
    {
        Random rng(stream_seed(o.seed, 1));
        const bool local_jobs = jobs > 0;
        if (!local_jobs && residents > 0) note("no place has jobs: everyone in work commutes out of town");
        const double out_share = local_jobs ? o.out_commuter_share : 1.0;
        const size_t n_out =
            rounded(residents * commuters * out_share * o.commute_car_share / o.car_occupancy);
        for (const size_t home : apportion(home_w, n_out, rng))
            add("work_out", "car", in_window(commute.draw(rng)), at[home], exits[rng.below(exits.size())],
                "work");
        if (local_jobs) {
            const size_t n_local =
                rounded(residents * commuters * (1 - out_share) * o.local_car_share / o.car_occupancy);
            for (const size_t home : apportion(home_w, n_local, rng)) {
                size_t work = rng.pick(job_cum);
                for (int retry = 0; retry < 8 && at[work] == at[home]; ++retry)
                    work = rng.pick(job_cum);
                add("work_local", "car", in_window(commute.draw(rng)), at[home], at[work], "work");
            }
            const size_t n_in = rounded(jobs * o.in_commuter_share * o.at_work_share * o.morning_share *
                                        o.commute_car_share / o.car_occupancy);
            for (size_t k = 0; k < n_in; ++k) {
                const uint32_t from = entries[rng.below(entries.size())];
                add("work_in", "car", in_window(commute.draw(rng)), from, at[rng.pick(job_cum)], "work");
            }
        }
    }

    // Parents driving pupils to the nearest school, and back home.
    {
        Random rng(stream_seed(o.seed, 2));
        const size_t n = rounded(residents * o.pupil_share * o.school_car_share / o.pupils_per_car);
        if (schools.empty()) {
            if (n > 0) note("no school among the places: no school runs");
        } else if (!(o.school_start_s - 25 * 60 >= o.begin_s && o.school_start_s <= o.end_s)) {
            if (n > 0) note("school starts outside the window (or in its first 25 minutes): no school runs");
        } else {
            for (const size_t home : apportion(home_w, n, rng)) {
                size_t school = schools.front();
                for (const size_t s : schools)
                    if (glm::length(places[s].position - places[home].position) <
                        glm::length(places[school].position - places[home].position))
                        school = s;
                const double drive = drive_estimate_s(places[home].position, places[school].position);
                const double arrive = o.school_start_s - 25 * 60 + rng.uniform() * 23 * 60;
                const double depart = in_window(arrive - drive);
                add("school", "car", depart, at[home], at[school], "school");
                const double back = depart + drive + o.school_stop_s;
                if (back < o.end_s)
                    add("school_back", "car", in_window(back), at[school], at[home], "school");
            }
        }
    }

    // Shopping, in town and out of it, and back home.
    {
        Random rng(stream_seed(o.seed, 3));
        const Profile profile(o.shopping_profile, o.begin_s, o.end_s);
        const size_t n = rounded(residents * o.shopping_trips_per_resident);
        if (shops.empty() && n > 0) note("no shop among the places: every shopping trip goes out of town");
        size_t k = 0;
        for (const size_t home : apportion(home_w, n, rng)) {
            const bool out = shops.empty() || in_share(k++, o.shopping_out_share);
            const double depart = in_window(profile.draw(rng));
            if (out) {
                // A shop some 10 minutes' drive beyond the map's edge.
                const uint32_t exit = exits[rng.below(exits.size())];
                add("shop_out", "car", depart, at[home], exit, "shopping");
                const double back = depart + drive_estimate_s(places[home].position, point_of(exit)) + 600 +
                                    o.shopping_stay_s + 600;
                if (back < o.end_s)
                    add("shop_back", "car", in_window(back), entries[rng.below(entries.size())], at[home],
                        "shopping");
            } else {
                const size_t shop = rng.pick(shop_cum);
                add("shop", "car", depart, at[home], at[shop], "shopping");
                const double back = depart + drive_estimate_s(places[home].position, places[shop].position) +
                                    o.shopping_stay_s;
                if (back < o.end_s) add("shop_back", "car", in_window(back), at[shop], at[home], "shopping");
            }
        }
    }

    // Through traffic: from each main gateway to another, the farther the likelier.
    {
        Random rng(stream_seed(o.seed, 4));
        const Profile profile(o.through_profile, o.begin_s, o.end_s);
        const double per_gateway = o.through_peak_vph * profile.area_s() / profile.peak() / 3600.0;
        for (const Gateway* from : outer) {
            if (from->entry.empty()) continue;
            std::vector<double> w;
            std::vector<uint32_t> to;
            for (const Gateway* g : outer)
                if (g != from && !g->exit.empty()) {
                    w.push_back(glm::length(g->position - from->position));
                    to.push_back(edge_index(g->exit));
                }
            const std::vector<double> cum = running_sums(w);
            if (to.empty() || !(cum.back() > 0)) {
                if (per_gateway > 0)
                    note("through traffic: no other gateway to leave by from " + from->junction);
                continue;
            }
            const size_t n = rounded(per_gateway);
            for (size_t k = 0; k < n; ++k) {
                const bool truck = in_share(k, o.through_truck_share);
                add("through", truck ? "truck" : "car", in_window(profile.draw(rng)), edge_index(from->entry),
                    to[rng.pick(cum)], "through");
            }
        }
    }

    // The bus line: between the two gateways farthest apart, past the (first) school.
    {
        const Gateway *a = nullptr, *b = nullptr;
        double far = -1;
        for (size_t i = 0; i < outer.size(); ++i)
            for (size_t j = i + 1; j < outer.size(); ++j) {
                const Gateway* p = outer[i];
                const Gateway* q = outer[j];
                if (p->entry.empty() || p->exit.empty() || q->entry.empty() || q->exit.empty()) continue;
                const double dist = glm::length(p->position - q->position);
                if (dist > far) {
                    far = dist;
                    a = p;
                    b = q;
                }
            }
        const RouteGraph bus = route_graph(net, "bus");
        auto line = [&](const Gateway* from, const Gateway* to) {
            const uint32_t s = edge_index(from->entry), e = edge_index(to->exit);
            std::vector<uint32_t> route;
            if (!schools.empty()) {
                route = fastest_route(bus, s, at[schools.front()]);
                const std::vector<uint32_t> rest = fastest_route(bus, at[schools.front()], e);
                if (route.empty() || rest.empty())
                    route.clear();
                else
                    route.insert(route.end(), rest.begin() + 1, rest.end());
            }
            if (route.empty()) route = fastest_route(bus, s, e);
            return route;
        };
        if (!a) {
            note("bus: fewer than two gateways with a way in and out: no bus line");
        } else {
            int dir = 0;
            for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
                const std::vector<uint32_t> route = line(from, to);
                if (route.empty()) {
                    note("bus: no route for buses from " + from->junction + " to " + to->junction);
                    ++dir;
                    continue;
                }
                std::vector<std::string> ids;
                for (const uint32_t e : route)
                    ids.push_back(net.edges[e].id);
                for (double t = o.begin_s + o.bus_offset_s + (dir ? o.bus_headway_s / 2 : 0); t < o.end_s;
                     t += o.bus_headway_s) {
                    add(dir ? "bus_back" : "bus", "bus", in_window(t), route.front(), route.back(), "bus");
                    d.trips.back().route = ids;
                }
                ++dir;
            }
        }
    }

    // Delivery vans, and supply trucks to the shops.
    {
        Random rng(stream_seed(o.seed, 5));
        const Profile profile(o.van_profile, o.begin_s, o.end_s);
        const size_t n = rounded(residents / 1000.0 * o.van_trips_per_1000);
        if (visit_cum.empty() || !(visit_cum.back() > 0)) {
            if (n > 0) note("no place with residents or jobs: no delivery vans");
        } else {
            for (size_t k = 0; k < n; ++k) {
                const bool outside = jobs <= 0 || in_share(k, o.van_from_outside_share);
                const size_t origin = outside ? places.size() : rng.pick(job_cum);
                const uint32_t from = outside ? entries[rng.below(entries.size())] : at[origin];
                size_t to = rng.pick(visit_cum);
                for (int retry = 0; retry < 8 && at[to] == from; ++retry)
                    to = rng.pick(visit_cum);
                add("van", "van", in_window(profile.draw(rng)), from, at[to], "delivery");
            }
        }
        const size_t supply = rounded(double(shops.size()) * o.supply_trucks_per_shop);
        for (const size_t i : apportion(std::vector<double>(shops.size(), 1.0), supply, rng)) {
            const size_t shop = shops[i];
            const uint32_t from = entries[rng.below(entries.size())];
            const double depart = in_window(profile.draw(rng));
            add("supply", "truck", depart, from, at[shop], "delivery");
            const double back =
                depart + drive_estimate_s(point_of(from), places[shop].position) + o.supply_stop_s;
            if (back < o.end_s)
                add("supply_back", "truck", in_window(back), at[shop], exits[rng.below(exits.size())],
                    "delivery");
        }
    }

    // Tractors from the farms out to the field tracks.
    {
        Random rng(stream_seed(o.seed, 6));
        const Profile profile(o.farm_profile, o.begin_s, o.end_s);
        std::vector<size_t> farms;
        for (size_t i = 0; i < places.size(); ++i)
            if (places[i].kind == Place::Kind::farm) farms.push_back(i);
        const size_t n = rounded(double(farms.size()) * o.tractor_trips_per_farm);
        const RouteGraph tractor = route_graph(net, o.tractor_vclass);
        const std::vector<uint8_t> tcore = largest_strongly_connected(tractor);
        const std::vector<uint8_t> treached = connected_to(tractor, tcore, false);
        const std::vector<uint8_t> tmain = main_edges(net, tractor);
        // Field tracks: edges that name the tractor's class in `allow`; else the lowest
        // priority (or, without priorities, speed) below the main roads.
        std::vector<uint32_t> fields;
        for (size_t i = 0; i < net.edges.size(); ++i) {
            if (!treached[i]) continue;
            for (const Lane& l : net.edges[i].lanes)
                if (!l.allow.empty() && lane_allows(l, o.tractor_vclass)) {
                    fields.push_back(uint32_t(i));
                    break;
                }
        }
        if (fields.empty()) {
            int lowest = std::numeric_limits<int>::max();
            double slowest = std::numeric_limits<double>::max();
            for (size_t i = 0; i < net.edges.size(); ++i)
                if (treached[i] && !tmain[i]) {
                    lowest = std::min(lowest, net.edges[i].priority);
                    slowest = std::min(slowest, free_speed(tractor, i));
                }
            for (size_t i = 0; i < net.edges.size(); ++i)
                if (treached[i] && !tmain[i] &&
                    (lowest >= 0 ? net.edges[i].priority == lowest
                                 : free_speed(tractor, i) <= slowest + 0.01))
                    fields.push_back(uint32_t(i));
        }
        if (n > 0 && fields.empty()) {
            note("farms, but no field track tractors may reach: no tractors");
        } else if (n > 0) {
            const EdgeLocator tlocate(net, tractor, tcore);
            for (const size_t i : apportion(std::vector<double>(farms.size(), 1.0), n, rng)) {
                const auto from = tlocate.nearest(places[farms[i]].position);
                if (!from) continue;
                uint32_t to = fields[rng.below(fields.size())];
                for (int retry = 0; retry < 8 && to == from->edge; ++retry)
                    to = fields[rng.below(fields.size())];
                add("tractor", "tractor", in_window(profile.draw(rng)), from->edge, to, "farm");
            }
        }
    }

    std::stable_sort(d.trips.begin(), d.trips.end(),
                     [](const Trip& a, const Trip& b) { return a.depart_s < b.depart_s; });
    return d;
}

DemandReport report_demand(const Demand& demand, double begin_s, double end_s) {
    DemandReport r;
    r.begin_s = begin_s;
    r.end_s = end_s;
    const double span = end_s - begin_s;
    r.by_hour.resize(span > 0 && std::isfinite(span) ? size_t(std::ceil(span / 3600.0)) : 0);
    for (const Trip& t : demand.trips) {
        ++r.trips;
        const std::string purpose = t.purpose.empty() ? "other" : t.purpose;
        ++r.by_purpose[purpose];
        ++r.by_type[t.type];
        if (t.depart_s >= begin_s && t.depart_s < end_s) {
            const auto h = size_t((t.depart_s - begin_s) / 3600.0);
            if (h < r.by_hour.size()) ++r.by_hour[h][purpose];
        }
    }
    return r;
}

nlohmann::json demand_report_json(const DemandReport& r) {
    nlohmann::json hours = nlohmann::json::array();
    for (size_t h = 0; h < r.by_hour.size(); ++h) {
        size_t n = 0;
        for (const auto& [_, c] : r.by_hour[h])
            n += c;
        hours.push_back({{"from_s", r.begin_s + 3600.0 * double(h)},
                         {"to_s", std::min(r.end_s, r.begin_s + 3600.0 * double(h + 1))},
                         {"trips", n},
                         {"by_purpose", r.by_hour[h]}});
    }
    return {{"synthetic", true},          {"begin_s", r.begin_s}, {"end_s", r.end_s}, {"trips", r.trips},
            {"by_purpose", r.by_purpose}, {"by_type", r.by_type}, {"by_hour", hours}};
}

}  // namespace zw::scenario::traffic
