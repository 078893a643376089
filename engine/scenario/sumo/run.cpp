#include "engine/scenario/sumo/run.h"

#include <libsumo/libsumo.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/output_folder.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "engine/scenario/traffic/trajectories.h"

namespace zw::scenario::sumo {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace zw::scenario::traffic;
using Clock = std::chrono::steady_clock;

// libsumo holds one simulation per process in globals.
std::mutex sumo_mutex;

// How many trips a summary.json lists by name with their reason.
constexpr size_t max_listed_not_started = 1000;

// The shortest decimal that reads back as `v`.
std::string decimal(double v) {
    char buf[32];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string xml_escaped(std::string_view s) {
    std::string out;
    for (const char c : s) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

// SUMO's own error lines from its log ("Error: ..."), for a message: libsumo's exceptions
// often say only "Process Error".
std::string sumo_errors(const fs::path& log) {
    std::ifstream in(log);
    std::string out;
    bool in_error = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("Error: ", 0) == 0) {
            in_error = true;
            out += (out.empty() ? "" : "; ") + line.substr(7);
        } else if (in_error && line.rfind(" ", 0) == 0) {
            out += line;  // " In file ...", " At line/column ..."
        } else {
            in_error = false;
        }
        if (out.size() > 2000) break;
    }
    return out;
}

// What libsumo threw, with SUMO's own words from the log where they say more.
std::string sumo_message(const std::exception& e, const fs::path& log) {
    std::string m = e.what();
    const std::string errors = sumo_errors(log);
    if (!errors.empty() && errors.find(m) == std::string::npos) m += m.empty() ? errors : " (" + errors + ")";
    return m;
}

// The additional file the run loads: the demand's vehicle types and the edgeData output.
void write_additional(const fs::path& path, const Demand& demand, double interval_s,
                      const fs::path& edgedata) {
    std::ofstream out(path, std::ios::binary);
    out << "<additional>\n";
    for (const VehicleType& t : demand.types) {
        out << "    <vType id=\"" << xml_escaped(t.id) << "\" vClass=\"" << xml_escaped(t.vclass) << "\"";
        if (t.length_m > 0) out << " length=\"" << decimal(t.length_m) << "\"";
        if (t.max_speed_ms > 0) out << " maxSpeed=\"" << decimal(t.max_speed_ms) << "\"";
        if (t.speed_factor > 0) out << " speedFactor=\"" << decimal(t.speed_factor) << "\"";
        out << "/>\n";
    }
    out << "    <edgeData id=\"zwilling\" period=\"" << decimal(interval_s) << "\" file=\""
        << xml_escaped(edgedata.string()) << "\" excludeEmpty=\"true\"/>\n</additional>\n";
    if (!out.flush()) fail("cannot write '", path.string(), "' (is the disk full?)");
}

// Closes SUMO however the run ends.
struct Loaded {
    bool loaded = false;
    ~Loaded() {
        if (!loaded) return;
        try {
            libsumo::Simulation::close();
        } catch (...) {  // closing after a failure: nothing more to report
        }
    }
};

// One closure while the run goes.
struct ClosureState {
    bool started = false, ended = false;
    double applied_from_s = 0, applied_to_s = 0;
    uint64_t rerouted = 0, stranded = 0, requeued = 0;
};

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.flush()) fail("cannot write '", path, "' (is the disk full?)");
}

// A loaded SUMO simulation stepped one second at a time: the closures that start and end,
// the trips that depart, SUMO's step, the sample of every vehicle. Every call may throw
// libsumo's exceptions.
class Stepper {
  public:
    Stepper(const TrafficInputs& in, double begin, uint64_t sample_every, TrajectoryWriter& writer,
            TrafficRunResult& r)
        : sc_(in.scenario),
          net_(in.network),
          trips_(in.demand.trips),
          sample_every_(sample_every),
          writer_(writer),
          r_(r),
          t_(begin),
          closures_(sc_.closures.size()),
          reasons_(trips_.size()) {
        for (const VehicleType& t : in.demand.types)
            classes_.emplace(t.id, vehicle_class_of(t.id, t.vclass));
        for (; next_ < trips_.size() && trips_[next_].depart_s < begin; ++next_)
            reasons_[next_] = "departs before begin_s";
    }

    double time() const { return t_; }
    uint64_t running() const { return running_.size(); }

    // Simulates [t, t + 1): closures, departures, SUMO's step; samples the state SUMO then
    // has, which its FCD output calls time t.
    void step() {
        apply_closures();
        while (!retry_.empty()) {
            insert(retry_.front());
            retry_.pop_front();
        }
        for (; next_ < trips_.size() && trips_[next_].depart_s <= t_; ++next_)
            insert(next_);
        libsumo::Simulation::step();
        for (const std::string& id : libsumo::Simulation::getDepartedIDList()) {
            pending_.erase(id);
            running_.insert(id);
            departed_.insert(id);
            ++r_.inserted;
        }
        for (const std::string& id : libsumo::Simulation::getArrivedIDList())
            if (running_.erase(id)) ++r_.arrived;
        r_.teleports += uint64_t(libsumo::Simulation::getStartingTeleportNumber());
        if (steps_ % sample_every_ == 0) sample();
        ++steps_;
        t_ += 1;
    }

    // The run ends at the current time: what is still running or waiting, and the trips
    // that never came.
    void finish() {
        r_.running_at_end = running_.size();
        for (const auto& [id, i] : pending_)
            reasons_[i] = "still waiting to depart when the run ended (no room on its departure edge)";
        for (; next_ < trips_.size(); ++next_)
            reasons_[next_] = "departs at or after the end of the run";
        for (ClosureState& s : closures_)
            if (s.started && !s.ended) s.applied_to_s = t_;
        for (size_t i = 0; i < trips_.size(); ++i) {
            if (reasons_[i].empty() || departed_.count(trips_[i].id)) continue;
            r_.not_started.push_back({trips_[i].id, reasons_[i]});
            ++r_.not_started_by_reason[reasons_[i]];
        }
    }

    const std::vector<ClosureState>& closures() const { return closures_; }
    const std::unordered_set<std::string>& departed() const { return departed_; }
    const std::unordered_set<std::string>& stranded() const { return stranded_; }

  private:
    // A lane's permissions before a closure took them, to give them back.
    struct LanePermissions {
        std::string lane;
        std::vector<std::string> allowed, disallowed;
    };

    bool crosses(const std::vector<std::string>& route, size_t from) const {
        for (size_t i = from; i < route.size(); ++i)
            if (closed_.count(route[i])) return true;
        return false;
    }

    void close_edge(const std::string& edge) {
        if (closed_[edge]++ > 0) return;
        std::vector<LanePermissions>& lanes = saved_[edge];
        for (const Lane& l : net_.edge(edge)->lanes)
            lanes.push_back({l.id, libsumo::Lane::getAllowed(l.id), libsumo::Lane::getDisallowed(l.id)});
        libsumo::Edge::setDisallowedVehicleClasses(edge, {"all"});
    }

    void open_edge(const std::string& edge) {
        if (--closed_[edge] > 0) return;
        closed_.erase(edge);
        // libsumo lists no allowed classes both for "all" and for "none": the disallowed ones
        // tell them apart.
        for (const LanePermissions& l : saved_[edge]) {
            if (!l.allowed.empty())
                libsumo::Lane::setAllowed(l.lane, l.allowed);
            else if (l.disallowed.empty())
                libsumo::Lane::setAllowed(l.lane, std::vector<std::string>{"all"});
            else
                libsumo::Lane::setDisallowed(l.lane, std::vector<std::string>{"all"});
        }
        saved_.erase(edge);
    }

    // The closures whose time has come; then every vehicle that would cross a closed edge.
    void apply_closures() {
        for (size_t i = 0; i < sc_.closures.size(); ++i) {
            ClosureState& s = closures_[i];
            if (!s.started || s.ended || sc_.closures[i].to_s > t_) continue;
            for (const std::string& e : sc_.closures[i].edges)
                open_edge(e);
            s.ended = true;
            s.applied_to_s = t_;
        }
        std::vector<size_t> starting;
        for (size_t i = 0; i < sc_.closures.size(); ++i) {
            const Closure& c = sc_.closures[i];
            ClosureState& s = closures_[i];
            if (s.started || c.from_s > t_ || c.to_s <= t_) continue;
            for (const std::string& e : c.edges)
                close_edge(e);
            s.started = true;
            s.applied_from_s = t_;
            starting.push_back(i);
        }
        if (starting.empty()) return;
        // The starting closure a route runs into, to count its reroutes.
        auto owner = [&](const std::vector<std::string>& route, size_t from) -> ClosureState& {
            for (size_t i : starting)
                for (size_t k = from; k < route.size(); ++k)
                    if (std::find(sc_.closures[i].edges.begin(), sc_.closures[i].edges.end(), route[k]) !=
                        sc_.closures[i].edges.end())
                        return closures_[i];
            return closures_[starting.front()];
        };
        // Vehicles waiting to be inserted with a route across a closure go back into the
        // queue, to be routed again now (SUMO would stop with an error on one whose
        // departure edge closed).
        for (const std::string& id : libsumo::Simulation::getPendingVehicles()) {
            const auto it = pending_.find(id);
            if (it == pending_.end()) continue;
            const std::vector<std::string> route = libsumo::Vehicle::getRoute(id);
            if (!crosses(route, 0)) continue;
            ++owner(route, 0).requeued;
            libsumo::Vehicle::remove(id);
            retry_.push_back(it->second);
            pending_.erase(it);
        }
        // Vehicles on the roads whose route ahead (after the edge they are on) crosses a
        // closure: rerouted, or taken out when no way around is left. One inside a junction
        // towards a closed edge reroutes from that edge, which fails: it is taken out too.
        for (const std::string& id : libsumo::Vehicle::getIDList()) {
            std::vector<std::string> route = libsumo::Vehicle::getRoute(id);
            const size_t ahead = size_t(std::max(0, libsumo::Vehicle::getRouteIndex(id))) + 1;
            if (!crosses(route, ahead)) continue;
            ClosureState& s = owner(route, ahead);
            try {
                libsumo::Vehicle::rerouteTraveltime(id, false);
            } catch (const libsumo::TraCIException&) {  // no route: taken out below
            }
            route = libsumo::Vehicle::getRoute(id);
            if (crosses(route, size_t(std::max(0, libsumo::Vehicle::getRouteIndex(id))) + 1)) {
                libsumo::Vehicle::remove(id);
                running_.erase(id);
                stranded_.insert(id);
                ++r_.stranded;
                ++s.stranded;
            } else {
                ++s.rerouted;
            }
        }
    }

    // Adds trip i to SUMO now, routed under the closures in force, or says why it cannot start.
    void insert(size_t i) {
        const Trip& trip = trips_[i];
        std::string& reason = reasons_[i];
        const std::string type = trip.type.empty() ? "DEFAULT_VEHTYPE" : trip.type;
        if (closed_.count(trip.from)) {
            reason = "its departure edge is closed";
            return;
        }
        if (closed_.count(trip.to)) {
            reason = "its destination edge is closed";
            return;
        }
        try {
            std::vector<std::string> edges = trip.route;
            if (edges.empty() || crosses(edges, 0))
                edges = libsumo::Simulation::findRoute(trip.from, trip.to, type).edges;
            if (edges.empty()) {
                reason = closed_.empty() ? "no route from its departure to its destination edge"
                                         : "no route to its destination under the closures in force";
                return;
            }
            const std::string route_id = "zw_route_" + std::to_string(routes_++);
            libsumo::Route::add(route_id, edges);
            libsumo::Vehicle::add(trip.id, route_id, type, "now", "best", "0", "max");
            pending_.emplace(trip.id, i);
            reason.clear();
        } catch (const libsumo::TraCIException& e) {
            reason = std::string("SUMO refused it: ") + e.what();
        }
    }

    // Every vehicle on the roads (one teleporting has no position: it is off them) at time t.
    void sample() {
        writer_.begin_step(t_);
        const glm::dvec3 offset(net_.net_offset, 0.0);
        for (const std::string& id : libsumo::Vehicle::getIDList()) {
            const libsumo::TraCIPosition p = libsumo::Vehicle::getPosition3D(id);
            if (p.x == libsumo::INVALID_DOUBLE_VALUE) continue;
            const std::string type = libsumo::Vehicle::getTypeID(id);
            auto it = classes_.find(type);
            if (it == classes_.end()) it = classes_.emplace(type, vehicle_class_of(type)).first;
            writer_.add(id, it->second, glm::dvec3(p.x, p.y, p.z) - offset, libsumo::Vehicle::getAngle(id),
                        libsumo::Vehicle::getSpeed(id));
        }
    }

    const TrafficScenario& sc_;
    const Network& net_;
    const std::vector<Trip>& trips_;
    const uint64_t sample_every_;
    TrajectoryWriter& writer_;
    TrafficRunResult& r_;
    double t_;
    uint64_t steps_ = 0, routes_ = 0;
    size_t next_ = 0;                              // the next trip of the demand to depart
    std::deque<size_t> retry_;                     // trips taken back from SUMO's insertion queue
    std::vector<ClosureState> closures_;           // per closure of the scenario
    std::vector<std::string> reasons_;             // per trip: why it did not start ("" when it did)
    std::unordered_map<std::string, int> closed_;  // closed edges: how many closures hold each
    std::unordered_map<std::string, std::vector<LanePermissions>> saved_;  // their lanes before
    std::unordered_map<std::string, size_t> pending_;  // added, not departed yet: trip index
    std::unordered_set<std::string> running_, departed_, stranded_;
    std::unordered_map<std::string, VehicleClass> classes_;  // by vType id
};

// closures.json: the closures as applied.
json closures_json(const TrafficScenario& sc, const std::vector<ClosureState>& state) {
    json closures = json::array();
    for (size_t i = 0; i < sc.closures.size(); ++i) {
        const Closure& c = sc.closures[i];
        const ClosureState& s = state[i];
        closures.push_back({{"id", c.id},
                            {"kind", c.kind},
                            {"edges", c.edges},
                            {"reason_de", c.reason_de},
                            {"reason_en", c.reason_en},
                            {"from_s", c.from_s},
                            {"to_s", std::isfinite(c.to_s) ? json(c.to_s) : json()},
                            {"applied", s.started},
                            {"applied_from_s", s.started ? json(s.applied_from_s) : json()},
                            {"applied_to_s", s.started ? json(s.applied_to_s) : json()},
                            {"rerouted", s.rerouted},
                            {"stranded", s.stranded},
                            {"requeued", s.requeued}});
    }
    return {{"format", "zwilling-traffic-closures"},
            {"format_version", 1},
            {"scenario", sc.id},
            {"closures", closures}};
}

// summary.json: the trips (summary.h) and the run's counts.
json summary_of(const TrafficScenario& sc, const TrafficRunResult& r) {
    json reasons = json::object();
    for (const auto& [reason, n] : r.not_started_by_reason)
        reasons[reason] = n;
    json listed = json::array();
    for (size_t i = 0; i < r.not_started.size() && i < max_listed_not_started; ++i)
        listed.push_back({{"trip", r.not_started[i].trip}, {"reason", r.not_started[i].reason}});
    json summary = summary_json(r.trips);
    summary["format"] = "zwilling-traffic-summary";
    summary["format_version"] = 1;
    summary["source"] = "run";
    summary["scenario"] = sc.id;
    summary["run"] = {{"begin_s", r.begin_s},
                      {"end_s", r.end_s},
                      {"seed", sc.seed},
                      {"demand_trips", r.demand_trips},
                      {"inserted", r.inserted},
                      {"arrived", r.arrived},
                      {"running_at_end", r.running_at_end},
                      {"stranded", r.stranded},
                      {"not_started", r.not_started.size()},
                      {"not_started_reasons", reasons},
                      {"not_started_trips", listed},
                      {"teleports", r.teleports},
                      {"sumo_version", r.sumo_version},
                      {"wall_s", r.wall_s},
                      {"sim_s_per_wall_s", r.sim_s_per_wall_s}};
    return summary;
}

}  // namespace

TrafficInputs read_traffic_inputs(const std::string& scenario_path) {
    TrafficInputs in;
    in.scenario = read_traffic_scenario(scenario_path);
    in.network = read_network(in.scenario.network);
    validate_traffic_scenario(in.scenario, in.network);
    in.demand = read_demand(in.scenario.demand);
    validate_demand(in.demand, in.network, in.scenario.demand_name, in.scenario.network_name);
    return in;
}

std::string sumo_version() {
    return libsumo::Simulation::getVersion().second;
}

TrafficRunResult run_traffic(const TrafficRunOptions& o) {
    const auto wall0 = Clock::now();
    std::shared_ptr<const TrafficInputs> inputs = o.inputs;
    if (!inputs) inputs = std::make_shared<const TrafficInputs>(read_traffic_inputs(o.scenario));
    const TrafficScenario& sc = inputs->scenario;
    const Network& net = inputs->network;
    const double begin = sc.begin_s;
    if (o.until_s != 0 && !(o.until_s > begin))
        fail("the run cannot stop at ", o.until_s, " s: that is not after the scenario's begin_s (", begin,
             " s; times are seconds of the day)");
    const double end = o.until_s > 0 ? std::min(o.until_s, sc.end_s) : sc.end_s;

    TrafficRunResult r;
    r.out = o.out;
    r.demand_trips = inputs->demand.trips.size();
    r.begin_s = begin;
    r.end_s = end;
    r.sumo_version = sumo_version();

    StagedFolder out(o.out);
    const fs::path log = out.file("sumo.log"), additional = out.file("zwilling.add.xml");
    write_additional(additional, inputs->demand, sc.edge_interval_s, out.file("edgedata.xml"));
    const glm::dvec3 origin = o.origin.value_or(glm::dvec3(-net.net_offset.x, -net.net_offset.y, 0));
    TrajectoryWriter writer(out.file("trajectories.zwt"), origin);
    std::vector<ClosureState> closures;
    std::unordered_set<std::string> departed, stranded;
    double sumo_wall_s = 0;
    {
        std::lock_guard<std::mutex> lock(sumo_mutex);
        const std::pair<const char*, std::string> options[] = {
            {"-n", fs::absolute(sc.network).string()},
            {"--begin", decimal(begin)},
            {"--end", decimal(end)},
            {"--step-length", "1"},
            {"--seed", std::to_string(sc.seed)},
            {"--no-step-log", "true"},
            {"--xml-validation", "never"},
            {"--aggregate-warnings", "5"},
            {"--no-warnings", o.sumo_warnings ? "false" : "true"},
            {"--log", log.string()},
            {"--tripinfo-output", out.file("tripinfo.xml")},
            {"--tripinfo-output.write-unfinished", "true"},
            {"--additional-files", additional.string()},
        };
        std::vector<std::string> args;
        for (const auto& [key, value] : options)
            args.insert(args.end(), {key, value});
        if (o.fcd.value_or(sc.fcd)) args.insert(args.end(), {"--fcd-output", out.file("fcd.xml")});
        Loaded sumo;
        try {
            libsumo::Simulation::load(args);
            sumo.loaded = true;
        } catch (const std::exception& e) {
            fail("SUMO could not load traffic scenario '", sc.path, "' (network '", sc.network_name,
                 "'): ", sumo_message(e, log));
        }
        Stepper stepper(*inputs, begin, uint64_t(sc.sample_step_s), writer, r);
        try {
            const auto step0 = Clock::now();
            while (stepper.time() < end) {
                if (o.cancel && o.cancel->load()) throw TrafficRunCancelled();
                stepper.step();
                if (!o.progress) continue;
                Progress p;
                p.begin_s = begin;
                p.end_s = end;
                p.fraction = std::min(1.0, (stepper.time() - begin) / (end - begin));
                p.running = stepper.running();
                p.inserted = r.inserted;
                p.arrived = r.arrived;
                p.stranded = r.stranded;
                p.wall_s = std::chrono::duration<double>(Clock::now() - wall0).count();
                o.progress(stepper.time(), p);
            }
            sumo_wall_s = std::chrono::duration<double>(Clock::now() - step0).count();
            stepper.finish();
            sumo.loaded = false;
            libsumo::Simulation::close();  // writes the last tripinfos and edgeData interval
        } catch (const Error&) {
            throw;  // ours (TrafficRunCancelled, the trajectory writer's)
        } catch (const std::exception& e) {
            fail("SUMO stopped traffic scenario '", sc.path, "' at ", stepper.time(),
                 " s: ", sumo_message(e, log),
                 " (is the network or the demand broken? sumo with the same files says more)");
        }
        closures = stepper.closures();
        departed = stepper.departed();
        stranded = stepper.stranded();
    }
    writer.finish();
    fs::remove(additional);

    // SUMO writes a tripinfo also for vehicles that never departed (write-unfinished) and
    // for those taken out (arrived where they were removed): neither arrived.
    std::vector<TripInfo> infos = read_tripinfo(out.file("tripinfo.xml"));
    std::erase_if(infos, [&](const TripInfo& i) { return !departed.count(i.id); });
    for (TripInfo& i : infos)
        if (stranded.count(i.id)) i.arrival_s = -1;
    r.trips = summarize_trips(infos);
    write_edge_measures(out.file("edge_measures.json"),
                        edge_measures(read_edge_data(out.file("edgedata.xml"))));
    write_text(out.file("closures.json"), closures_json(sc, closures).dump(2) + "\n");
    r.wall_s = std::chrono::duration<double>(Clock::now() - wall0).count();
    r.sim_s_per_wall_s = sumo_wall_s > 0 ? (end - begin) / sumo_wall_s : 0;
    r.summary_json = summary_of(sc, r).dump(2) + "\n";
    write_text(out.file("summary.json"), r.summary_json);
    out.commit();
    return r;
}

}  // namespace zw::scenario::sumo
