#include "engine/scenario/traffic/demand_xml.h"

#include <expat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "engine/scenario/traffic/xml_text.h"

namespace zw::scenario::traffic {
namespace {

constexpr size_t block_bytes = 64 * 1024;
// SUMO's default end of a flow without end or number: the end of the first day.
constexpr double default_flow_end_s = 86400;

// At most 60 characters of a value for a message, control characters as '?'.
std::string shown(std::string_view v) {
    std::string out;
    for (const char c : v.substr(0, 60))
        out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
    return v.size() > 60 ? out + "..." : out;
}

std::optional<double> number(std::string_view s) {
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

// "a b  c" -> {a, b, c}
std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::strchr(" \t\r\n", s[i]))
            ++i;
        size_t j = i;
        while (j < s.size() && !std::strchr(" \t\r\n", s[j]))
            ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// A vehicle, trip or flow being read: what its attributes and children said.
struct Pending {
    std::string element, id, type;
    unsigned long line = 0;
    double depart_s = 0;
    std::string from, to;
    std::optional<std::vector<std::string>> route;  // named or nested
    // Flows:
    double begin_s = 0;
    std::optional<double> end_s, period_s, number;
};

class Reader {
  public:
    Reader(std::string path, DemandReadStats& stats) : path_(std::move(path)), stats_(stats) {}

    Demand read() {
        std::error_code ec;
        if (std::filesystem::is_directory(path_, ec))
            fail("cannot read demand '", path_, "': it is a folder, not a SUMO route file");
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path_.c_str(), "rb"), &std::fclose);
        if (!file)
            fail("cannot read demand '", path_, "': ", std::strerror(errno),
                 " (is the path right? the scenario's demand is relative to the scenario file)");
        std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                       &XML_ParserFree);
        if (!parser) fail("cannot read demand '", path_, "': out of memory for the XML parser");
        parser_ = parser.get();
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &Reader::on_start, &Reader::on_end);
        XML_SetStartDoctypeDeclHandler(parser_, &Reader::on_doctype);
        for (;;) {
            void* buf = XML_GetBuffer(parser_, int(block_bytes));
            if (!buf) fail("cannot read demand '", path_, "': out of memory");
            const size_t n = std::fread(buf, 1, block_bytes, file.get());
            if (std::ferror(file.get())) fail("cannot read demand '", path_, "': ", std::strerror(errno));
            const bool last = n < block_bytes;
            if (XML_ParseBuffer(parser_, int(n), last) != XML_STATUS_OK) {
                if (!error_.empty()) throw Error(error_);
                fail("demand '", path_, "' is not well-formed XML: line ", XML_GetCurrentLineNumber(parser_),
                     ", column ", XML_GetCurrentColumnNumber(parser_) + 1, ": ",
                     XML_ErrorString(XML_GetErrorCode(parser_)), " (is the file cut off?)");
            }
            if (last) break;
        }
        if (!seen_root_) fail("demand '", path_, "' holds no elements: not a SUMO route file");
        std::stable_sort(demand_.trips.begin(), demand_.trips.end(),
                         [](const Trip& a, const Trip& b) { return a.depart_s < b.depart_s; });
        return std::move(demand_);
    }

  private:
    using Attrs = const XML_Char**;

    unsigned long line() const { return XML_GetCurrentLineNumber(parser_); }

    template <typename... Args>
    [[noreturn]] void bad(unsigned long at, const Args&... args) const {
        fail("demand '", path_, "', line ", at, ": ", args...);
    }

    static const char* attr(Attrs attrs, const char* key) {
        for (size_t i = 0; attrs[i]; i += 2)
            if (std::strcmp(attrs[i], key) == 0) return attrs[i + 1];
        return nullptr;
    }
    // "<vehicle> 'v3'" or "<vType>": the element in messages.
    static std::string named(std::string_view element, std::string_view id) {
        return "<" + std::string(element) + ">" + (id.empty() ? "" : " '" + shown(id) + "'");
    }
    std::string required(Attrs a, const char* element, const std::string& id, const char* key) const {
        const char* v = attr(a, key);
        if (!v || !*v) bad(line(), named(element, id), " has no ", key);
        return v;
    }
    std::optional<double> real(Attrs a, const char* element, const std::string& id, const char* key,
                               const char* why = "") const {
        const char* v = attr(a, key);
        if (!v) return std::nullopt;
        const auto d = number(v);
        if (!d) bad(line(), named(element, id), ": ", key, " '", shown(v), "' is not a number", why);
        return d;
    }
    double time(Attrs a, const char* element, const std::string& id, const char* key, double fallback) const {
        const char* v = attr(a, key);
        if (!v) return fallback;
        double t = 0;
        if (!parse_sumo_time(v, t) || !std::isfinite(t) || t < 0)
            bad(line(), named(element, id), ": ", key, " '", shown(v),
                "' is not a time; Zwilling needs a fixed time (seconds or h:mm:ss, not now, triggered, "
                "containerTriggered, begin or split)");
        return t;
    }
    void refuse(Attrs a, const char* element, const std::string& id, const char* key, const char* why) const {
        if (attr(a, key)) bad(line(), named(element, id), ": ", key, " is not supported: ", why);
    }
    std::vector<std::string> edges(Attrs a, const char* element, const std::string& id) const {
        std::vector<std::string> e = words(required(a, element, id, "edges"));
        if (e.empty()) bad(line(), named(element, id), " has no edges");
        if (e.size() > max_route_edges)
            bad(line(), named(element, id), " has more than ", max_route_edges, " edges");
        return e;
    }

    void start(const char* element_c, Attrs a) {
        const std::string_view element(element_c);
        ++depth_;
        if (skip_depth_ && depth_ > skip_depth_) return;
        if (depth_ == 1) {
            if (element != "routes" && element != "additional")
                bad(line(), "the root element is <", shown(element),
                    ">, not <routes>: not a SUMO route file (.rou.xml)");
            seen_root_ = true;
            return;
        }
        if (depth_ == 2) return top_level(element, a);
        // Inside a vehicle, trip or flow (or a vType or named route).
        if (element == "param") return skip();
        if (element == "stop") {
            ++stats_.stops;
            return skip();
        }
        if (depth_ == 3 && pending_ && element == "route") {
            if (pending_->element == "trip")
                bad(line(), named("trip", pending_->id), " holds a <route>; use a <vehicle>");
            if (pending_->route) bad(line(), named(pending_->element, pending_->id), " has a second route");
            pending_->route = edges(a, "route", pending_->id);
            return skip();
        }
        if (in_vtype_) return skip();  // carFollowing-*, laneChangeModel, ...: SUMO's defaults here
        bad(line(), "<", shown(element), "> inside ",
            pending_ ? named(pending_->element, pending_->id) : std::string("a <route>"),
            " is not read by Zwilling (supported: a nested <route edges>, <stop>s and <param>s are skipped)");
    }

    void top_level(std::string_view element, Attrs a) {
        if (element == "vType") return vtype(a);
        if (element == "route") {
            const std::string id = required(a, "route", "", "id");
            if (routes_.count(id)) bad(line(), named("route", id), " is defined twice");
            routes_.emplace(id, edges(a, "route", id));
            return;
        }
        if (element == "trip" || element == "vehicle" || element == "flow") return vehicle(element, a);
        if (element == "person" || element == "personFlow") {
            ++stats_.persons;
            return skip();
        }
        if (element == "container" || element == "containerFlow") {
            ++stats_.containers;
            return skip();
        }
        if (element == "vTypeDistribution" || element == "routeDistribution")
            bad(line(), "<", element,
                "> is not supported: Zwilling runs fixed types and routes (give each "
                "vehicle its own type and route)");
        if (element == "param") return skip();
        bad(line(), "<", shown(element),
            "> is not an element of SUMO route files that Zwilling reads (vType, route, trip, vehicle, flow; "
            "person and container are skipped)");
    }

    void vtype(Attrs a) {
        VehicleType t;
        t.id = required(a, "vType", "", "id");
        if (!type_ids_.insert(t.id).second) bad(line(), named("vType", t.id), " is defined twice");
        if (const char* v = attr(a, "vClass")) t.vclass = v;
        const char* fixed = " (a fixed value; distributions are not supported)";
        t.length_m = real(a, "vType", t.id, "length", fixed).value_or(0);
        t.max_speed_ms = real(a, "vType", t.id, "maxSpeed", fixed).value_or(0);
        t.speed_factor = real(a, "vType", t.id, "speedFactor", fixed).value_or(0);
        if (t.length_m < 0 || t.max_speed_ms < 0 || t.speed_factor < 0)
            bad(line(), named("vType", t.id), ": length, maxSpeed and speedFactor must not be negative");
        demand_.types.push_back(std::move(t));
        in_vtype_ = true;
    }

    void vehicle(std::string_view element, Attrs a) {
        const std::string el(element);
        Pending p;
        p.element = el;
        p.line = line();
        p.id = required(a, el.c_str(), "", "id");
        if (!ids_.insert(p.id).second)
            bad(line(), named(el, p.id), ": a second vehicle, trip or flow with this id");
        if (const char* t = attr(a, "type")) p.type = t;
        refuse(a, el.c_str(), p.id, "fromTaz", "trips between districts need SUMO's TAZ routing; give edges");
        refuse(a, el.c_str(), p.id, "toTaz", "trips between districts need SUMO's TAZ routing; give edges");
        refuse(a, el.c_str(), p.id, "via", "give the whole route in a <vehicle> with a <route edges>");
        refuse(a, el.c_str(), p.id, "fromJunction", "give edges");
        refuse(a, el.c_str(), p.id, "toJunction", "give edges");
        if (el == "flow") {
            refuse(a, "flow", p.id, "probability",
                   "a random flow differs from run to run; give period or number");
            p.begin_s = time(a, "flow", p.id, "begin", 0);
            if (attr(a, "end")) p.end_s = time(a, "flow", p.id, "end", 0);
            const char* period = attr(a, "period");
            if (period && !number(period))
                bad(line(), named("flow", p.id), ": period '", shown(period),
                    "' is not a number of seconds (random periods such as exp(...) are not supported)");
            p.period_s = real(a, "flow", p.id, "period");
            if (const auto vph = real(a, "flow", p.id, "vehsPerHour")) {
                if (p.period_s)
                    bad(line(), named("flow", p.id), " has both period and vehsPerHour; give one");
                if (!(*vph > 0)) bad(line(), named("flow", p.id), ": vehsPerHour must be above 0");
                p.period_s = 3600 / *vph;
            }
            p.number = real(a, "flow", p.id, "number");
            if (p.period_s && !(*p.period_s > 0))
                bad(line(), named("flow", p.id), ": period must be above 0");
            if (p.number && (*p.number < 0 || *p.number != std::floor(*p.number)))
                bad(line(), named("flow", p.id), ": number must be a whole number of vehicles");
            if (!p.period_s && !p.number)
                bad(line(), named("flow", p.id), " needs period, vehsPerHour or number");
            if (p.period_s && p.number && p.end_s)
                bad(line(), named("flow", p.id),
                    " has end, number and period (or vehsPerHour); give at most two of them");
            if (p.end_s && *p.end_s < p.begin_s) bad(line(), named("flow", p.id), ": end is before begin");
        } else {
            if (!attr(a, "depart")) bad(line(), named(el, p.id), " has no depart");
            p.depart_s = time(a, el.c_str(), p.id, "depart", 0);
        }
        if (el == "trip" || (el == "flow" && !attr(a, "route"))) {
            if (const char* f = attr(a, "from")) p.from = f;
            if (const char* t = attr(a, "to")) p.to = t;
        }
        if (el != "trip") {
            if (const char* r = attr(a, "route")) {
                const auto it = routes_.find(r);
                if (it == routes_.end())
                    bad(line(), named(el, p.id), ": route '", shown(r),
                        "' is not defined before it (SUMO needs a <route id> before the vehicles using it)");
                p.route = it->second;
            }
        }
        pending_ = std::move(p);
    }

    // The end of a vehicle, trip or flow: it becomes one trip or, for a flow, several.
    void finish(Pending& p) {
        Trip t;
        t.type = p.type;
        if (p.route) {
            if (!p.from.empty() || !p.to.empty())
                bad(p.line, named(p.element, p.id), " has both a route and from/to; give one");
            t.route = std::move(*p.route);
            t.from = t.route.front();
            t.to = t.route.back();
        } else {
            if (p.element == "vehicle")
                bad(p.line, named("vehicle", p.id), " has no route (route=\"ID\" or a nested <route edges>)");
            if (p.from.empty() || p.to.empty())
                bad(p.line, named(p.element, p.id), " needs from and to (edge ids)",
                    p.element == "flow" ? " or a route" : "");
            t.from = p.from;
            t.to = p.to;
        }
        if (p.element != "flow") {
            t.id = p.id;
            t.depart_s = p.depart_s;
            return add(std::move(t), p);
        }
        ++stats_.flows;
        // As SUMO: begin + i * period while before end; with number and end, the period
        // spreads `number` vehicles over [begin, end).
        double period = p.period_s.value_or(0);
        double end = p.end_s.value_or(default_flow_end_s);
        double count = 0;
        if (p.number && p.period_s) {
            count = *p.number;
        } else if (p.number) {
            period = (end - p.begin_s) / std::max(*p.number, 1.0);
            count = *p.number;
        } else {
            count = std::max(0.0, std::ceil((end - p.begin_s) / period));
            if (count > double(max_demand_trips))  // before counting on: a tiny period makes it infinite
                bad(p.line, named("flow", p.id), " makes more than the ", max_demand_trips,
                    " trips Zwilling reads");
            while (count > 0 && p.begin_s + (count - 1) * period >= end)
                --count;
            while (count < double(max_demand_trips) && p.begin_s + count * period < end)
                ++count;
        }
        if (count > double(max_demand_trips - demand_.trips.size()))
            bad(p.line, named("flow", p.id), " makes more than the ", max_demand_trips,
                " trips Zwilling reads");
        if (count * double(t.route.size()) > double(max_demand_route_edges - route_edges_))
            bad(p.line, named("flow", p.id), " makes more than the ", max_demand_route_edges,
                " route edges Zwilling reads (give its vehicles from and to instead of a route)");
        for (size_t i = 0; i < size_t(count); ++i) {
            Trip copy = t;
            copy.id = p.id + "." + std::to_string(i);
            copy.depart_s = p.begin_s + double(i) * period;
            if (!ids_.insert(copy.id).second)
                bad(p.line, named("flow", p.id), ": its vehicle '", shown(copy.id),
                    "' has the id of another one");
            add(std::move(copy), p);
        }
    }
    void add(Trip t, const Pending& p) {
        if (demand_.trips.size() >= max_demand_trips)
            bad(p.line, "more than the ", max_demand_trips, " trips Zwilling reads");
        if (t.route.size() > max_demand_route_edges - route_edges_)
            bad(p.line, "more than the ", max_demand_route_edges, " route edges Zwilling reads");
        route_edges_ += t.route.size();
        demand_.trips.push_back(std::move(t));
    }

    void end(const char*) {
        if (skip_depth_ && depth_ == skip_depth_) skip_depth_ = 0;
        if (depth_ == 2) {
            if (pending_) {
                finish(*pending_);
                pending_.reset();
            }
            in_vtype_ = false;
        }
        --depth_;
    }

    // Skips the children of the element just started.
    void skip() {
        if (!skip_depth_) skip_depth_ = depth_;
    }

    // expat calls these from C: nothing may throw through it. The first error is kept
    // and the parser stopped; read() throws it.
    template <typename F>
    static void guarded(void* self, F&& f) {
        auto* r = static_cast<Reader*>(self);
        if (!r->error_.empty()) return;
        try {
            f(*r);
        } catch (const Error& e) {
            r->error_ = e.what();
            XML_StopParser(r->parser_, XML_FALSE);
        } catch (const std::bad_alloc&) {
            r->error_ = "demand '" + r->path_ + "': out of memory";
            XML_StopParser(r->parser_, XML_FALSE);
        }
    }
    static void XMLCALL on_start(void* self, const XML_Char* element, const XML_Char** attrs) {
        guarded(self, [&](Reader& r) { r.start(element, attrs); });
    }
    static void XMLCALL on_end(void* self, const XML_Char* element) {
        guarded(self, [&](Reader& r) { r.end(element); });
    }
    static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        guarded(self, [](Reader& r) {
            r.bad(r.line(), "a DOCTYPE declaration, which SUMO route files do not have; refused");
        });
    }

    std::string path_;
    DemandReadStats& stats_;
    XML_Parser parser_ = nullptr;
    std::string error_;
    int depth_ = 0, skip_depth_ = 0;
    size_t route_edges_ = 0;  // of all trips
    bool seen_root_ = false, in_vtype_ = false;
    std::optional<Pending> pending_;
    std::unordered_map<std::string, std::vector<std::string>> routes_;
    std::unordered_set<std::string> ids_, type_ids_;
    Demand demand_;
};

// The shortest decimal that reads back as `v`.
std::string decimal(double v) {
    char buf[32];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

}  // namespace

Demand read_demand(const std::string& path, DemandReadStats* stats) {
    DemandReadStats local;
    Reader r(path, stats ? *stats : local);
    return r.read();
}

void write_demand(const std::string& path, const Demand& demand) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) fail("cannot write the route file '", tmp, "': ", std::strerror(errno));
        out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- written by Zwilling -->\n<routes>\n";
        for (const VehicleType& t : demand.types) {
            out << "    <vType id=\"" << xml_escaped(t.id) << "\" vClass=\"" << xml_escaped(t.vclass) << "\"";
            if (t.length_m > 0) out << " length=\"" << decimal(t.length_m) << "\"";
            if (t.max_speed_ms > 0) out << " maxSpeed=\"" << decimal(t.max_speed_ms) << "\"";
            if (t.speed_factor > 0) out << " speedFactor=\"" << decimal(t.speed_factor) << "\"";
            out << "/>\n";
        }
        std::vector<const Trip*> trips;
        trips.reserve(demand.trips.size());
        for (const Trip& t : demand.trips)
            trips.push_back(&t);
        std::stable_sort(trips.begin(), trips.end(),
                         [](const Trip* a, const Trip* b) { return a->depart_s < b->depart_s; });
        for (const Trip* t : trips) {
            const std::string type = t->type.empty() ? "" : " type=\"" + xml_escaped(t->type) + "\"";
            if (t->route.empty()) {
                out << "    <trip id=\"" << xml_escaped(t->id) << "\"" << type << " depart=\""
                    << decimal(t->depart_s) << "\" from=\"" << xml_escaped(t->from) << "\" to=\""
                    << xml_escaped(t->to) << "\"/>\n";
            } else {
                out << "    <vehicle id=\"" << xml_escaped(t->id) << "\"" << type << " depart=\""
                    << decimal(t->depart_s) << "\">\n        <route edges=\"";
                for (size_t i = 0; i < t->route.size(); ++i)
                    out << (i ? " " : "") << xml_escaped(t->route[i]);
                out << "\"/>\n    </vehicle>\n";
            }
        }
        out << "</routes>\n";
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            fail("cannot write the route file '", path, "' (is the disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        fail("cannot write the route file '", path, "': ", ec.message());
    }
}

}  // namespace zw::scenario::traffic
