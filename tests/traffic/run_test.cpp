// Traffic scenarios run by SUMO in-process (engine/scenario/sumo/run.h) on grids that the
// tests build with netconvert: vehicles conserved, no vehicle onto a closed edge while it is
// closed (and the detours taken), summary travel times equal SUMO's tripinfo, trajectories
// equal SUMO's FCD, bad inputs refused in words with nothing written, cancelling, runs from
// two threads, and a town's own SUMO run imported into the same files.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/sumo/run.h"
#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/import.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "engine/scenario/traffic/trajectories.h"
#include "tests/traffic/nets.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario::traffic;
namespace sumo = zw::scenario::sumo;
namespace fs = std::filesystem;
using nlohmann::json;
using zw::test::error_of;
using zw::test::read_text;
using zw::test::write_text;

// A flow as trips: `count` vehicles of `type` from `from` to `to`, one every `period_s` from
// `begin_s`, ids "<id>.<i>".
void flow(Demand& d, const std::string& id, const std::string& type, const std::string& from,
          const std::string& to, double begin_s, double period_s, int count) {
    for (int i = 0; i < count; ++i)
        d.trips.push_back({id + "." + std::to_string(i), type, begin_s + period_s * i, from, to, {}, ""});
}

void sort_trips(Demand& d) {
    std::stable_sort(d.trips.begin(), d.trips.end(),
                     [](const Trip& a, const Trip& b) { return a.depart_s < b.depart_s; });
}

// One <tripinfo> as SUMO wrote it: every attribute as text.
std::vector<std::map<std::string, std::string>> tripinfos(const fs::path& path) {
    std::vector<std::map<std::string, std::string>> out;
    std::ifstream in(path);
    const std::regex attr(R"re((\w+)="([^"]*)")re");
    for (std::string line; std::getline(in, line);) {
        if (line.find("<tripinfo ") == std::string::npos) continue;
        std::map<std::string, std::string> m;
        for (std::sregex_iterator it(line.begin(), line.end(), attr), end; it != end; ++it)
            m[(*it)[1]] = (*it)[2];
        out.push_back(std::move(m));
    }
    return out;
}

std::string edge_of_lane(std::string_view lane) {
    return std::string(lane.substr(0, lane.rfind('_')));
}

// A grid of 4 x 3 junctions; the middle row's street B1-C1 (trucks not allowed on B1C1) is
// closed from 21800 to 22100 s for a construction site, with flows east and west along the
// middle row that would take it and detours along rows 0 and 2. 21600 to 22400 s, FCD kept.
class ClosureRun : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // Not a TempDir: that names itself after the test running, and none runs yet.
        dir_ =
            fs::temp_directory_path() / ("zw_traffic_ClosureRun_" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        const fs::path d = dir_;
        zw::test::grid_net(d, 4, 3, {{"B1C1", "disallow=\"truck\""}});
        Demand demand;
        demand.types.push_back({"car", "passenger", 0, 0, 0});
        demand.types.push_back({"lkw", "truck", 0, 0, 0});
        flow(demand, "east", "car", "A1B1", "C1D1", 21600, 6, 117);
        flow(demand, "west", "car", "D1C1", "B1A1", 21603, 6, 117);
        flow(demand, "truck", "lkw", "A1B1", "C1D1", 21610, 25, 28);
        sort_trips(demand);
        trips_ = demand.trips.size();
        write_demand((d / "am.rou.xml").string(), demand);
        write_text(d / "scenario.json", R"({
  "format": "zwilling-traffic-scenario", "format_version": 1, "id": "grid-closure",
  "network": "grid.net.xml", "demand": "am.rou.xml", "begin_s": 21600, "end_s": 22400, "seed": 3,
  "edge_interval_s": 100,
  "closures": [{"id": "baustelle", "edges": ["B1C1", "C1B1"], "from_s": 21800, "to_s": 22100,
                "kind": "construction", "reason_en": "construction site"}],
  "outputs": {"fcd": true}
})");
        sumo::TrafficRunOptions o;
        o.scenario = (d / "scenario.json").string();
        o.out = (d / "out").string();
        o.sumo_warnings = false;
        o.progress = [](double t, const sumo::Progress& p) {
            progress_calls_++;
            last_progress_ = p;
            last_t_ = t;
        };
        result_ = new sumo::TrafficRunResult(sumo::run_traffic(o));
        out_ = d / "out";
    }
    static void TearDownTestSuite() {
        delete result_;
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    static inline fs::path dir_;
    static inline sumo::TrafficRunResult* result_ = nullptr;
    static inline fs::path out_;
    static inline size_t trips_ = 0;
    static inline uint64_t progress_calls_ = 0;
    static inline sumo::Progress last_progress_;
    static inline double last_t_ = 0;
};

TEST_F(ClosureRun, WritesEveryOutputAndConservesVehicles) {
    const sumo::TrafficRunResult& r = *result_;
    for (const char* f : {"trajectories.zwt", "tripinfo.xml", "edgedata.xml", "edge_measures.json", "fcd.xml",
                          "closures.json", "summary.json", "sumo.log"})
        EXPECT_TRUE(fs::is_regular_file(out_ / f)) << f;
    EXPECT_FALSE(fs::exists(out_ / "zwilling.add.xml"));
    // Nothing else is left beside the output folder.
    size_t siblings = 0;
    for (const auto& e : fs::directory_iterator(out_.parent_path()))
        siblings += e.path().filename().string().rfind(".out.", 0) == 0;
    EXPECT_EQ(siblings, 0u);
    EXPECT_EQ(r.demand_trips, trips_);
    EXPECT_GT(r.inserted, 200u);
    EXPECT_EQ(r.inserted, r.arrived + r.running_at_end + r.stranded);
    EXPECT_EQ(r.demand_trips, r.inserted + r.not_started.size());
    EXPECT_EQ(progress_calls_, 800u);  // one a simulated second
    EXPECT_EQ(last_t_, 22400);
    EXPECT_DOUBLE_EQ(last_progress_.fraction, 1.0);
    EXPECT_EQ(last_progress_.inserted, r.inserted);

    const json s = json::parse(read_text(out_ / "summary.json"));
    EXPECT_EQ(s["format"], "zwilling-traffic-summary");
    EXPECT_EQ(s["scenario"], "grid-closure");
    EXPECT_EQ(s["run"]["inserted"], r.inserted);
    EXPECT_EQ(s["run"]["arrived"], r.arrived);
    EXPECT_EQ(s["run"]["running_at_end"], r.running_at_end);
    EXPECT_EQ(s["run"]["stranded"], r.stranded);
    EXPECT_EQ(s["run"]["not_started"], r.not_started.size());
    EXPECT_EQ(s["run"]["teleports"], r.teleports);
    EXPECT_EQ(s["run"]["sumo_version"], "SUMO 1.15.0");
    EXPECT_GT(s["run"]["sim_s_per_wall_s"].get<double>(), 1.0);
    EXPECT_EQ(s["arrived"], r.arrived);  // tripinfo's arrived trips are the run's
    EXPECT_EQ(s["vehicles"], r.inserted);

    const json c = json::parse(read_text(out_ / "closures.json"));
    ASSERT_EQ(c["closures"].size(), 1u);
    EXPECT_EQ(c["closures"][0]["applied_from_s"], 21800.0);
    EXPECT_EQ(c["closures"][0]["applied_to_s"], 22100.0);
    // Vehicles on their way to the closed street when it closed took another way.
    EXPECT_GT(c["closures"][0]["rerouted"].get<int>(), 0);
    EXPECT_EQ(c["closures"][0]["stranded"], r.stranded);
    std::printf(
        "[ closure run ] %llu trips, %llu inserted, %llu arrived, %llu running at the end, %llu stranded, "
        "%zu not started, %llu rerouted; %.2f s wall, %.0f simulated s per wall s\n",
        static_cast<unsigned long long>(r.demand_trips), static_cast<unsigned long long>(r.inserted),
        static_cast<unsigned long long>(r.arrived), static_cast<unsigned long long>(r.running_at_end),
        static_cast<unsigned long long>(r.stranded), r.not_started.size(),
        static_cast<unsigned long long>(c["closures"][0]["rerouted"].get<uint64_t>()), r.wall_s,
        r.sim_s_per_wall_s);
}

// No vehicle enters the closed street while it is closed: one seen on it then was on it
// already in the last step before it closed. Trucks (not allowed there) never use it, also
// after it reopened with its permissions given back; cars use it again then.
TEST_F(ClosureRun, NoVehicleEntersAClosedEdge) {
    const std::set<std::string> closed = {"B1C1", "C1B1"};
    std::set<std::string> on_before, on_during, trucks_ever;
    std::map<std::string, std::set<std::string>> cars_after;  // by edge
    size_t detour_during = 0;
    double t = 0;
    FcdCallbacks cb;
    cb.step = [&](double time) { t = time; };
    cb.vehicle = [&](const FcdVehicle& v) {
        const std::string edge = edge_of_lane(v.lane);
        const std::string id(v.id);
        if (closed.count(edge)) {
            if (t == 21799) on_before.insert(id);
            if (t >= 21800 && t < 22100) on_during.insert(id);
            if (t >= 22100 && v.type == "car") cars_after[edge].insert(id);
            if (v.type == "lkw") trucks_ever.insert(id);
        }
        // The detours: row 0 or row 2 between columns B and C.
        if (t >= 21800 && t < 22100 && v.type == "car" &&
            (edge == "B0C0" || edge == "C0B0" || edge == "B2C2" || edge == "C2B2"))
            ++detour_during;
    };
    read_fcd((out_ / "fcd.xml").string(), cb);
    for (const std::string& id : on_during)
        EXPECT_TRUE(on_before.count(id)) << id << " entered the closed street while it was closed";
    EXPECT_GT(detour_during, 100u);
    // Both directions open again, B1C1 with its own permissions (cars yes, trucks no).
    EXPECT_GT(cars_after["B1C1"].size(), 10u);
    EXPECT_GT(cars_after["C1B1"].size(), 10u);
    EXPECT_TRUE(trucks_ever.empty()) << *trucks_ever.begin();

    // SUMO's edgeData says the same: vehicles entered the street before and after the closure,
    // none during it.
    const EdgeMeasures m = read_edge_measures((out_ / "edge_measures.json").string());
    const std::vector<EdgeInterval> intervals = read_edge_data((out_ / "edgedata.xml").string());
    ASSERT_EQ(intervals.size(), 8u);
    for (const EdgeInterval& iv : intervals)
        for (const std::string& edge : closed) {
            double entered = 0;
            for (const EdgeMeasure& e : iv.edges)
                if (e.edge == edge) entered += e.entered;
            if (iv.begin_s >= 21800 && iv.end_s <= 22100) {
                EXPECT_EQ(entered, 0) << edge << " in the interval from " << iv.begin_s;
            } else if (iv.begin_s < 21800 || (iv.begin_s >= 22100 && iv.begin_s < 22300)) {
                EXPECT_GT(entered, 0) << edge << " in the interval from " << iv.begin_s;
            }
        }
    ASSERT_EQ(m.begin_s.size(), 8u);
    const auto b1c1 = std::find(m.edges.begin(), m.edges.end(), "B1C1") - m.edges.begin();
    ASSERT_LT(size_t(b1c1), m.edges.size());
    EXPECT_GT(m.flow_vph[m.at(0, size_t(b1c1))], 0);
    EXPECT_EQ(m.flow_vph[m.at(3, size_t(b1c1))], 0);  // 21900..22000
}

// summary.json's travel times are those of SUMO's tripinfo (recomputed here from the XML,
// without the vehicles a closure took out).
TEST_F(ClosureRun, SummaryTravelTimesEqualTripinfo) {
    double sum = 0, loss = 0, km = 0;
    uint64_t arrived = 0, vaporized = 0;
    for (const auto& t : tripinfos(out_ / "tripinfo.xml")) {
        if (!t.at("vaporized").empty()) {
            ++vaporized;
            continue;
        }
        if (std::stod(t.at("arrival")) < 0) continue;
        ++arrived;
        sum += std::stod(t.at("duration"));
        loss += std::stod(t.at("timeLoss"));
        km += std::stod(t.at("routeLength")) / 1000;
    }
    const json s = json::parse(read_text(out_ / "summary.json"));
    ASSERT_GT(arrived, 150u);
    EXPECT_EQ(arrived, result_->arrived);
    EXPECT_EQ(vaporized, result_->stranded);
    EXPECT_NEAR(s["mean_travel_time_s"].get<double>(), sum / double(arrived), 1e-9);
    EXPECT_NEAR(result_->trips.mean_travel_time_s, sum / double(arrived), 1e-9);
    EXPECT_NEAR(s["time_loss_vh"].get<double>(), loss / 3600, 1e-9);
    EXPECT_NEAR(s["vehicle_km"].get<double>(), km, 1e-6);
}

// The positions stored in trajectories.zwt are SUMO's FCD at every sample time within the
// quantisation (1 cm, and FCD's own rounding to 1 cm), moved by the net offset into EPSG:25832
// relative to the origin; headings within one quantisation step (and FCD's 0.01 degree).
TEST_F(ClosureRun, TrajectoriesEqualFcd) {
    TrajectoryReader reader = TrajectoryReader::open((out_ / "trajectories.zwt").string());
    const glm::dvec2 offset = read_net_offset((out_.parent_path() / "grid.net.xml").string());
    EXPECT_EQ(offset, glm::dvec2(-zw::test::grid_x0, -zw::test::grid_y0));
    EXPECT_EQ(reader.origin(), glm::dvec3(zw::test::grid_x0, zw::test::grid_y0, 0));
    EXPECT_EQ(reader.begin_s(), 21600);
    EXPECT_EQ(reader.end_s(), 22399);
    EXPECT_EQ(reader.sample_step_s(), 1);
    std::map<std::string, uint32_t> index;
    for (uint32_t i = 0; i < reader.vehicles().size(); ++i)
        index[reader.vehicles()[i].id] = i;
    EXPECT_EQ(reader.vehicles()[index.at("truck.0")].cls, VehicleClass::truck);
    EXPECT_EQ(reader.vehicles()[index.at("east.0")].cls, VehicleClass::car);

    double t = -1;
    std::vector<VehicleState> states;
    std::map<uint32_t, const VehicleState*> at;
    size_t compared = 0, fcd_at_t = 0;
    double worst_m = 0, worst_deg = 0;
    auto check_count = [&] {
        if (t >= 0) {
            EXPECT_EQ(fcd_at_t, states.size()) << "at " << t;
        }
    };
    FcdCallbacks cb;
    cb.step = [&](double time) {
        check_count();
        t = time;
        fcd_at_t = 0;
        reader.state_at(t, states);
        at.clear();
        for (const VehicleState& s : states)
            at[s.vehicle] = &s;
    };
    cb.vehicle = [&](const FcdVehicle& v) {
        ++fcd_at_t;
        const auto it = index.find(std::string(v.id));
        ASSERT_NE(it, index.end()) << v.id;
        const auto s = at.find(it->second);
        ASSERT_NE(s, at.end()) << v.id << " at " << t;
        const glm::dvec3 epsg(v.x - offset.x, v.y - offset.y, v.z);
        const glm::dvec3 expected = epsg - reader.origin();
        const double d = std::max(std::abs(s->second->position.x - expected.x),
                                  std::abs(s->second->position.y - expected.y));
        worst_m = std::max(worst_m, d);
        EXPECT_LE(d, position_unit_m + 1e-6) << v.id << " at " << t;
        const double dh = std::abs(std::remainder(s->second->angle_deg - v.angle_deg, 360.0));
        worst_deg = std::max(worst_deg, dh);
        EXPECT_LE(dh, angle_unit_deg + 0.005 + 1e-9) << v.id << " at " << t;
        EXPECT_NEAR(s->second->speed_ms, v.speed_ms, speed_unit_ms + 1e-9) << v.id << " at " << t;
        ++compared;
    };
    read_fcd((out_ / "fcd.xml").string(), cb);
    check_count();
    EXPECT_GT(compared, 10000u);
    std::printf("[ fcd ] %zu samples compared; worst position %.4f m, heading %.4f deg\n", compared, worst_m,
                worst_deg);
}

// A town's own SUMO outputs (here this run's) imported: the same trajectories, measures and
// trip figures.
TEST_F(ClosureRun, ImportedRunPlaysLikeOurs) {
    SumoImportOptions o;
    o.net = (out_.parent_path() / "grid.net.xml").string();
    o.fcd = (out_ / "fcd.xml").string();
    o.edgedata = (out_ / "edgedata.xml").string();
    o.tripinfo = (out_ / "tripinfo.xml").string();
    o.routes = (out_.parent_path() / "am.rou.xml").string();
    o.out = (out_.parent_path() / "imported").string();
    const SumoImportResult r = import_sumo_run(o);
    TrajectoryReader ours = TrajectoryReader::open((out_ / "trajectories.zwt").string());
    TrajectoryReader theirs = TrajectoryReader::open(o.out + "/trajectories.zwt");
    ASSERT_EQ(ours.vehicles().size(), theirs.vehicles().size());
    EXPECT_EQ(ours.origin(), theirs.origin());
    for (size_t i = 0; i < ours.vehicles().size(); ++i) {
        EXPECT_EQ(ours.vehicles()[i].id, theirs.vehicles()[i].id);
        EXPECT_EQ(ours.vehicles()[i].cls, theirs.vehicles()[i].cls);
    }
    for (double t : {21600.0, 21799.0, 21950.5, 22399.0}) {
        const auto a = ours.state_at(t), b = theirs.state_at(t);
        ASSERT_EQ(a.size(), b.size()) << t;
        for (size_t i = 0; i < a.size(); ++i)
            EXPECT_LE(glm::length(a[i].position - b[i].position), 0.015) << t;
    }
    EXPECT_EQ(read_text(o.out + "/edge_measures.json"), read_text(out_ / "edge_measures.json"));
    const json s = json::parse(read_text(o.out + "/summary.json"));
    EXPECT_EQ(s["source"], "import");
    EXPECT_EQ(s["vehicles"], result_->inserted);
    EXPECT_EQ(s["import"]["vehicles"], ours.vehicles().size());
    EXPECT_EQ(r.intervals, 8u);
}

// Vehicles are conserved also when closures strand vehicles and keep trips from starting,
// and when the run ends with vehicles on the roads.
TEST(TrafficRun, VehiclesConservedWithStrandedAndNotStarted) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    zw::test::grid_net(d, 3, 3);
    Demand demand;
    demand.types.push_back({"car", "passenger", 0, 0, 0});
    flow(demand, "early", "car", "A0B0", "C1C2", 21500, 10, 3);        // before begin_s
    flow(demand, "to_closed", "car", "A0B0", "C1C2", 21600, 4, 60);    // destination closes at 21700
    flow(demand, "from_closed", "car", "A2B2", "C0B0", 21600, 5, 60);  // departure closed 21650..21750
    flow(demand, "late", "car", "A1B1", "B1C1", 21890, 5, 10);         // partly after the end
    sort_trips(demand);
    write_demand((d / "d.rou.xml").string(), demand);
    write_text(d / "s.json", R"({"format": "zwilling-traffic-scenario", "id": "strand",
        "network": "grid.net.xml", "demand": "d.rou.xml", "begin_s": 21600, "end_s": 21900,
        "closures": [{"id": "ziel", "edges": ["C1C2"], "from_s": 21700, "kind": "flood"},
                     {"id": "start", "edges": ["A2B2"], "from_s": 21650, "to_s": 21750, "kind": "user"}]})");
    sumo::TrafficRunOptions o;
    o.scenario = (d / "s.json").string();
    o.out = (d / "out").string();
    o.sumo_warnings = false;
    const sumo::TrafficRunResult r = sumo::run_traffic(o);
    EXPECT_EQ(r.demand_trips, 133u);
    EXPECT_EQ(r.inserted, r.arrived + r.running_at_end + r.stranded);
    EXPECT_EQ(r.demand_trips, r.inserted + r.not_started.size());
    EXPECT_GT(r.stranded, 0u);
    EXPECT_GT(r.running_at_end, 0u);
    EXPECT_EQ(r.not_started_by_reason.at("departs before begin_s"), 3u);
    EXPECT_EQ(r.not_started_by_reason.at("departs at or after the end of the run"), 8u);  // 21900 .. 21935
    // Those departing while the edges were closed (and those still waiting to depart then).
    EXPECT_GE(r.not_started_by_reason.at("its destination edge is closed"), 35u);  // 21700 .. 21836
    EXPECT_GE(r.not_started_by_reason.at("its departure edge is closed"), 20u);    // 21650 .. 21745
    uint64_t by_reason = 0;
    for (const auto& [reason, n] : r.not_started_by_reason)
        by_reason += n;
    EXPECT_EQ(by_reason, r.not_started.size());
    // Every trip is in exactly one of: inserted (a tripinfo), not started.
    std::set<std::string> seen;
    for (const auto& t : tripinfos(d / "out" / "tripinfo.xml"))
        seen.insert(t.at("id"));
    for (const sumo::NotStarted& n : r.not_started)
        EXPECT_TRUE(seen.insert(n.trip).second) << n.trip;
    EXPECT_EQ(seen.size(), demand.trips.size());
    // No vehicle reached the closed destination after it closed, but those on it then, which
    // drive to its end (200 m, under 30 s).
    for (const auto& t : tripinfos(d / "out" / "tripinfo.xml"))
        if (t.at("arrivalLane") == "C1C2_0" && t.at("vaporized").empty()) {
            EXPECT_LE(std::stod(t.at("arrival")), 21730.0) << t.at("id");
        }
    std::printf(
        "[ strand run ] %llu trips: %llu inserted = %llu arrived + %llu running + %llu stranded; "
        "%zu not started; %.2f s wall\n",
        static_cast<unsigned long long>(r.demand_trips), static_cast<unsigned long long>(r.inserted),
        static_cast<unsigned long long>(r.arrived), static_cast<unsigned long long>(r.running_at_end),
        static_cast<unsigned long long>(r.stranded), r.not_started.size(), r.wall_s);
}

// A scenario on a fresh grid, for the error tests: returns its path.
std::string small_scenario(const fs::path& d, const std::string& extra = "") {
    zw::test::grid_net(d, 3, 2);
    Demand demand;
    flow(demand, "f", "", "A0B0", "C0C1", 100, 10, 5);
    write_demand((d / "d.rou.xml").string(), demand);
    return write_text(d / "s.json", R"({"format": "zwilling-traffic-scenario", "id": "small",
        "network": "grid.net.xml", "demand": "d.rou.xml", "begin_s": 100, "end_s": 300)" +
                                        extra + "}");
}

// Bad inputs: a message that names the file and the field, and no output folder (or the
// previous one untouched).
TEST(TrafficRun, BadInputsLeaveNothingWritten) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    const std::string scenario = small_scenario(
        d, R"(, "closures": [{"id": "c", "edges": ["nowhere"], "from_s": 150, "kind": "user"}])");
    sumo::TrafficRunOptions o;
    o.scenario = scenario;
    o.out = (d / "out").string();
    o.sumo_warnings = false;
    auto run = [&] { return error_of([&] { sumo::run_traffic(o); }); };
    EXPECT_EQ(run(), "traffic scenario '" + scenario +
                         "': closures[0].edges[0]: no edge 'nowhere' in the network 'grid.net.xml'");
    EXPECT_FALSE(fs::exists(d / "out"));

    small_scenario(d, R"(, "clousures": [])");
    EXPECT_EQ(run(),
              "traffic scenario '" + scenario + "': unknown key 'clousures' (did you mean 'closures'?)");
    EXPECT_FALSE(fs::exists(d / "out"));

    small_scenario(d);
    fs::remove(d / "d.rou.xml");
    EXPECT_NE(run().find("cannot read demand '" + (d / "d.rou.xml").string() + "'"), std::string::npos);
    EXPECT_FALSE(fs::exists(d / "out"));

    small_scenario(d);
    write_text(d / "grid.net.xml", "<net version=\"1.9\">\n<edge id=\"a\" from=\"x\"");
    EXPECT_NE(run().find("traffic network '" + (d / "grid.net.xml").string() + "'"), std::string::npos);
    EXPECT_FALSE(fs::exists(d / "out"));

    // A good run, then a bad one into the same folder: the first stays as it was.
    small_scenario(d);
    EXPECT_EQ(run(), "no error");
    const std::string first = read_text(d / "out" / "summary.json");
    small_scenario(
        d, R"(, "closures": [{"id": "c", "edges": ["A0B0", "B0C9"], "from_s": 150, "kind": "user"}])");
    EXPECT_EQ(run(),
              "traffic scenario '" + scenario +
                  "': closures[0].edges[1]: no edge 'B0C9' in the network 'grid.net.xml' (did you mean "
                  "'B0C0'?)");
    EXPECT_EQ(read_text(d / "out" / "summary.json"), first);
    // A second good run replaces the first whole.
    small_scenario(d, R"(, "seed": 9)");
    write_text(d / "out" / "stale.txt", "from before");
    EXPECT_EQ(run(), "no error");
    EXPECT_FALSE(fs::exists(d / "out" / "stale.txt"));
    EXPECT_NE(read_text(d / "out" / "summary.json").find("\"seed\": 9"), std::string::npos);

    // A folder that is not a run's output is never replaced.
    fs::create_directories(d / "home");
    write_text(d / "home" / "letter.txt", "keep me");
    o.out = (d / "home").string();
    EXPECT_NE(run().find("it is a folder with other things in it than a traffic run's output"),
              std::string::npos);
    EXPECT_EQ(read_text(d / "home" / "letter.txt"), "keep me");

    o.out = (d / "out2").string();
    o.until_s = 50;
    EXPECT_NE(run().find("the run cannot stop at 50 s: that is not after the scenario's begin_s (100 s"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(d / "out2"));
}

TEST(TrafficRun, CancelledRunsWriteNothing) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    sumo::TrafficRunOptions o;
    o.scenario = small_scenario(d);
    o.out = (d / "out").string();
    o.sumo_warnings = false;
    std::atomic<bool> cancel{false};
    o.cancel = &cancel;
    double stopped_at = 0;
    o.progress = [&](double t, const sumo::Progress&) {
        stopped_at = t;
        if (t >= 150) cancel = true;
    };
    EXPECT_THROW(sumo::run_traffic(o), sumo::TrafficRunCancelled);
    EXPECT_EQ(stopped_at, 150);
    EXPECT_FALSE(fs::exists(d / "out"));
    // SUMO was closed: the next run works, and --until stops it early.
    cancel = false;
    o.cancel = nullptr;
    o.progress = {};
    o.until_s = 200;
    const sumo::TrafficRunResult r = sumo::run_traffic(o);
    EXPECT_EQ(r.end_s, 200);
    EXPECT_EQ(TrajectoryReader::open((d / "out" / "trajectories.zwt").string()).end_s(), 199);
}

// libsumo is one simulation per process: runs from two threads wait for each other, and the
// same scenario gives the same figures.
TEST(TrafficRun, RunsFromTwoThreadsAreSerialisedAndRepeatable) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    const std::string scenario = small_scenario(d);
    sumo::TrafficRunResult a, b;
    std::string error_a, error_b;
    auto run = [&](const char* out, sumo::TrafficRunResult& r, std::string& error) {
        sumo::TrafficRunOptions o;
        o.scenario = scenario;
        o.out = (d / out).string();
        o.sumo_warnings = false;
        error = error_of([&] { r = sumo::run_traffic(o); });
    };
    std::thread ta([&] { run("a", a, error_a); });
    std::thread tb([&] { run("b", b, error_b); });
    ta.join();
    tb.join();
    EXPECT_EQ(error_a, "no error");
    EXPECT_EQ(error_b, "no error");
    EXPECT_EQ(a.inserted, 5u);
    EXPECT_EQ(a.arrived, b.arrived);
    EXPECT_EQ(a.trips.mean_travel_time_s, b.trips.mean_travel_time_s);
    EXPECT_EQ(read_text(d / "a" / "tripinfo.xml").size(), read_text(d / "b" / "tripinfo.xml").size());
}

}  // namespace
