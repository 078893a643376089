#include "engine/scenario/traffic/sumo_xml.h"

#include <expat.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>

#include "engine/core/error.h"

namespace zw::scenario::traffic {
namespace {

constexpr size_t block_bytes = 64 * 1024;

// One streaming parse of a SUMO XML file: `start` and `end` see every element with its
// depth (the root is 0). Exceptions never cross expat (a C library): a handler's exception
// is kept, the parser stopped, and the exception thrown again once XML_ParseBuffer returns;
// a zw::Error gets the file and line in front of its message.
class XmlFile {
  public:
    using Attrs = const XML_Char**;
    std::function<void(std::string_view name, Attrs attrs, int depth)> start;
    std::function<void(std::string_view name, int depth)> end;

    XmlFile(std::string path, const char* what, const char* root, const char* hint)
        : path_(std::move(path)), what_(what), root_(root), hint_(hint) {}

    const std::string& path() const { return path_; }
    // Ends the parse after the current element without an error (read_net_offset).
    void stop() {
        stopped_ = true;
        XML_StopParser(parser_, XML_FALSE);
    }

    // The value of attribute `name`, or null.
    static const char* attr(Attrs attrs, std::string_view name) {
        for (Attrs a = attrs; *a; a += 2)
            if (name == a[0]) return a[1];
        return nullptr;
    }
    // A required attribute; throws naming it.
    static const char* need(Attrs attrs, std::string_view element, std::string_view name) {
        const char* v = attr(attrs, name);
        if (!v) fail("<", element, "> lacks the attribute '", name, "'");
        return v;
    }
    // An optional number (`fallback` when absent); throws for one that is not a finite number.
    static double number(Attrs attrs, std::string_view element, std::string_view name, double fallback = 0) {
        const char* v = attr(attrs, name);
        if (!v) return fallback;
        double x = 0;
        const char* e = v + std::strlen(v);
        const auto r = std::from_chars(v, e, x);
        if (r.ec != std::errc() || r.ptr != e || !std::isfinite(x))
            fail("<", element, "> attribute ", name, "='", std::string_view(v).substr(0, 40),
                 "' is not a number");
        return x;
    }
    static double time(Attrs attrs, std::string_view element, std::string_view name, double fallback) {
        const char* v = attr(attrs, name);
        if (!v) return fallback;
        double t = 0;
        if (!parse_sumo_time(v, t))
            fail("<", element, "> attribute ", name, "='", std::string_view(v).substr(0, 40),
                 "' is not a time (seconds or h:mm:ss)");
        return t;
    }

    void run() {
        std::error_code ec;
        if (std::filesystem::is_directory(path_, ec)) fail(what_, " '", path_, "' is a folder, not a file");
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path_.c_str(), "rb"), &std::fclose);
        if (!file)
            fail("cannot open ", what_, " '", path_, "': ", std::strerror(errno), " (is the path right?)");
        std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                       &XML_ParserFree);
        if (!parser) fail("cannot parse ", what_, " '", path_, "': out of memory");
        parser_ = parser.get();
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &XmlFile::on_start, &XmlFile::on_end);
        for (;;) {
            void* buf = XML_GetBuffer(parser_, int(block_bytes));
            if (!buf) fail("cannot parse ", what_, " '", path_, "': out of memory");
            const size_t n = std::fread(buf, 1, block_bytes, file.get());
            if (std::ferror(file.get()))
                fail("cannot read ", what_, " '", path_, "': ", std::strerror(errno));
            const bool last = n < block_bytes;
            if (XML_ParseBuffer(parser_, int(n), last) != XML_STATUS_OK) {
                if (error_) std::rethrow_exception(error_);
                if (stopped_) return;
                fail(what_, " '", path_, "' is not well-formed XML: line ", XML_GetCurrentLineNumber(parser_),
                     ", column ", XML_GetCurrentColumnNumber(parser_) + 1, ": ",
                     XML_ErrorString(XML_GetErrorCode(parser_)), " (is the file cut off?)");
            }
            if (last) break;
        }
        if (!seen_root_) fail(what_, " '", path_, "' holds no elements");
    }

  private:
    template <typename F>
    void guarded(F&& f) {
        if (error_ || stopped_) return;  // expat may still call after XML_StopParser
        try {
            f();
        } catch (const Error& e) {
            try {
                fail(what_, " '", path_, "', line ", XML_GetCurrentLineNumber(parser_), ": ", e.what());
            } catch (...) {
                error_ = std::current_exception();
            }
            XML_StopParser(parser_, XML_FALSE);
        } catch (...) {
            error_ = std::current_exception();
            XML_StopParser(parser_, XML_FALSE);
        }
    }

    static void XMLCALL on_start(void* self_ptr, const XML_Char* name, const XML_Char** attrs) {
        auto* self = static_cast<XmlFile*>(self_ptr);
        const std::string_view n(name);
        if (self->depth_ == 0 && !self->error_ && !self->stopped_) {
            if (n != self->root_) {
                self->error_ = std::make_exception_ptr(
                    Error("'" + self->path_ + "' is not a " + self->what_ + ": its root element is <" +
                          std::string(n) + ">, not <" + self->root_ + "> (" + self->hint_ + ")"));
                XML_StopParser(self->parser_, XML_FALSE);
            }
            self->seen_root_ = true;
        }
        self->guarded([&] {
            if (self->start) self->start(n, attrs, self->depth_);
        });
        ++self->depth_;
    }
    static void XMLCALL on_end(void* self_ptr, const XML_Char* name) {
        auto* self = static_cast<XmlFile*>(self_ptr);
        --self->depth_;
        self->guarded([&] {
            if (self->end) self->end(std::string_view(name), self->depth_);
        });
    }

    std::string path_;
    const char *what_, *root_, *hint_;
    XML_Parser parser_ = nullptr;
    int depth_ = 0;
    bool seen_root_ = false, stopped_ = false;
    std::exception_ptr error_;
};

}  // namespace

bool parse_sumo_time(std::string_view text, double& seconds) {
    bool negative = false;
    if (!text.empty() && text.front() == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    double parts[4];
    int n = 0;
    for (;;) {
        const size_t colon = text.find(':');
        const std::string_view part = text.substr(0, colon);
        if (n == 4 || part.empty() || part.front() == '-' || part.front() == '+') return false;
        const auto r = std::from_chars(part.data(), part.data() + part.size(), parts[n]);
        if (r.ec != std::errc() || r.ptr != part.data() + part.size() || !std::isfinite(parts[n]))
            return false;
        ++n;
        if (colon == std::string_view::npos) break;
        text.remove_prefix(colon + 1);
    }
    static constexpr double scale[4] = {1, 60, 3600, 86400};  // from the last part back
    double t = 0;
    for (int i = 0; i < n; ++i)
        t += parts[i] * scale[n - 1 - i];
    seconds = negative ? -t : t;
    return true;
}

void read_fcd(const std::string& path, const FcdCallbacks& callbacks) {
    XmlFile xml(path, "SUMO FCD output", "fcd-export", "sumo --fcd-output writes one");
    bool in_step = false;
    xml.start = [&](std::string_view name, XmlFile::Attrs a, int depth) {
        if (name == "timestep" && depth != 1)
            fail("a <timestep> inside another element (is a </timestep> missing before it?)");
        if (depth == 1 && name == "timestep") {
            in_step = true;
            XmlFile::need(a, name, "time");
            const double t = XmlFile::time(a, name, "time", 0);
            if (callbacks.step) callbacks.step(t);
        } else if (name == "vehicle") {
            if (!in_step || depth != 2) fail("a <vehicle> outside a <timestep>");
            FcdVehicle v;
            v.id = XmlFile::need(a, name, "id");
            const char* type = XmlFile::attr(a, "type");
            v.type = type ? type : "DEFAULT_VEHTYPE";
            const char* lane = XmlFile::attr(a, "lane");
            v.lane = lane ? lane : "";
            XmlFile::need(a, name, "x");
            XmlFile::need(a, name, "y");
            v.x = XmlFile::number(a, name, "x");
            v.y = XmlFile::number(a, name, "y");
            v.z = XmlFile::number(a, name, "z");
            v.has_z = XmlFile::attr(a, "z") != nullptr;
            v.angle_deg = XmlFile::number(a, name, "angle");
            v.speed_ms = XmlFile::number(a, name, "speed");
            v.pos_m = XmlFile::number(a, name, "pos");
            v.slope_deg = XmlFile::number(a, name, "slope");
            if (callbacks.vehicle) callbacks.vehicle(v);
        }
    };
    xml.end = [&](std::string_view name, int depth) {
        if (depth == 1 && name == "timestep") in_step = false;
    };
    xml.run();
}

FcdImportStats fcd_to_trajectories(const std::string& path, TrajectoryWriter& writer,
                                   const FcdImport& import) {
    FcdImportStats stats;
    // The class per vType id, looked up once per type rather than per sample.
    std::unordered_map<std::string, VehicleClass> classes = import.vtype_classes;
    FcdCallbacks cb;
    cb.step = [&](double t) {
        writer.begin_step(t);
        ++stats.steps;
    };
    cb.vehicle = [&](const FcdVehicle& v) {
        auto it = classes.find(std::string(v.type));
        if (it == classes.end()) it = classes.emplace(std::string(v.type), vehicle_class_of(v.type)).first;
        const double e = v.x - import.net_offset.x, n = v.y - import.net_offset.y;
        writer.add(v.id, it->second, glm::dvec3(e, n, v.has_z || !import.ground ? v.z : import.ground(e, n)),
                   v.angle_deg, v.speed_ms);
        ++stats.samples;
    };
    read_fcd(path, cb);
    return stats;
}

glm::dvec2 read_net_offset(const std::string& path) {
    XmlFile xml(path, "SUMO network", "net", "netconvert writes one as .net.xml");
    bool found = false;
    glm::dvec2 offset{0, 0};
    xml.start = [&](std::string_view name, XmlFile::Attrs a, int depth) {
        if (depth == 0) return;
        if (name != "location") {
            if (depth == 1) fail("the network has no <location> before its <", name, ">");
            return;
        }
        const std::string_view text = XmlFile::need(a, name, "netOffset");
        const size_t comma = text.find(',');
        double xy[2];
        for (int i = 0; i < 2; ++i) {
            const std::string_view part = i == 0 ? text.substr(0, comma) : text.substr(comma + 1);
            const auto r = std::from_chars(part.data(), part.data() + part.size(), xy[i]);
            if (comma == std::string_view::npos || r.ec != std::errc() ||
                r.ptr != part.data() + part.size() || !std::isfinite(xy[i]))
                fail("<location> attribute netOffset='", text.substr(0, 60), "' is not 'x,y'");
        }
        offset = {xy[0], xy[1]};
        found = true;
        xml.stop();
    };
    xml.run();
    if (!found) fail("SUMO network '", path, "' has no <location netOffset>");
    return offset;
}

std::vector<EdgeInterval> read_edge_data(const std::string& path) {
    XmlFile xml(path, "SUMO edgeData output", "meandata",
                "an <edgeData> in SUMO's additional files writes one");
    std::vector<EdgeInterval> intervals;
    bool in_interval = false;
    xml.start = [&](std::string_view name, XmlFile::Attrs a, int depth) {
        if (depth == 1 && name == "interval") {
            EdgeInterval iv;
            const char* id = XmlFile::attr(a, "id");
            iv.id = id ? id : "";
            XmlFile::need(a, name, "begin");
            XmlFile::need(a, name, "end");
            iv.begin_s = XmlFile::time(a, name, "begin", 0);
            iv.end_s = XmlFile::time(a, name, "end", 0);
            intervals.push_back(std::move(iv));
            in_interval = true;
        } else if (depth == 2 && in_interval && name == "edge") {
            EdgeInterval& iv = intervals.back();
            EdgeMeasure m;
            m.edge = XmlFile::need(a, name, "id");
            m.sampled_s = XmlFile::number(a, name, "sampledSeconds");
            m.traveltime_s = XmlFile::number(a, name, "traveltime");
            m.density_veh_km = XmlFile::number(a, name, "density");
            m.lane_density_veh_km = XmlFile::number(a, name, "laneDensity");
            m.occupancy_pct = XmlFile::number(a, name, "occupancy");
            m.waiting_s = XmlFile::number(a, name, "waitingTime");
            m.time_loss_s = XmlFile::number(a, name, "timeLoss");
            m.speed_ms = XmlFile::number(a, name, "speed");
            m.departed = XmlFile::number(a, name, "departed");
            m.arrived = XmlFile::number(a, name, "arrived");
            m.entered = XmlFile::number(a, name, "entered");
            m.left = XmlFile::number(a, name, "left");
            const double passed = XmlFile::attr(a, "entered") ? m.entered : m.left;
            const double hours = (iv.end_s - iv.begin_s) / 3600.0;
            m.flow_vph = hours > 0 ? passed / hours : 0;
            iv.edges.push_back(std::move(m));
        }
    };
    xml.end = [&](std::string_view name, int depth) {
        if (depth == 1 && name == "interval") in_interval = false;
    };
    xml.run();
    return intervals;
}

std::vector<TripInfo> read_tripinfo(const std::string& path) {
    XmlFile xml(path, "SUMO tripinfo output", "tripinfos", "sumo --tripinfo-output writes one");
    std::vector<TripInfo> trips;
    xml.start = [&](std::string_view name, XmlFile::Attrs a, int depth) {
        if (depth != 1 || name != "tripinfo") return;
        TripInfo t;
        t.id = XmlFile::need(a, name, "id");
        auto text = [&](const char* key) {
            const char* v = XmlFile::attr(a, key);
            return std::string(v ? v : "");
        };
        t.vtype = text("vType");
        t.depart_lane = text("departLane");
        t.arrival_lane = text("arrivalLane");
        t.depart_s = XmlFile::time(a, name, "depart", 0);
        t.arrival_s = XmlFile::time(a, name, "arrival", -1);
        t.duration_s = XmlFile::time(a, name, "duration", 0);
        t.route_length_m = XmlFile::number(a, name, "routeLength");
        t.time_loss_s = XmlFile::time(a, name, "timeLoss", 0);
        t.waiting_s = XmlFile::time(a, name, "waitingTime", 0);
        t.depart_delay_s = XmlFile::time(a, name, "departDelay", 0);
        t.vaporized = text("vaporized");
        trips.push_back(std::move(t));
    };
    xml.run();
    return trips;
}

}  // namespace zw::scenario::traffic
