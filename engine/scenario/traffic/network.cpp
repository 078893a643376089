#include "engine/scenario/traffic/network.h"

#include <expat.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "engine/core/error.h"

namespace zw::scenario::traffic {
namespace {

// Coordinates beyond this are a broken file, not a map (the same bound as the flood's grids).
constexpr double max_coordinate = 1e9;
constexpr size_t chunk_bytes = 64 * 1024;

std::optional<double> number(std::string_view s) {
    double v = 0;
    // from_chars takes no leading '+', which SUMO never writes.
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<int> whole(std::string_view s) {
    int v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// At most 40 characters of a value for a message, control characters as '?', so that a
// hostile value can neither flood the terminal nor move its cursor.
std::string shown(std::string_view v) {
    std::string out;
    for (const char c : v.substr(0, 40))
        out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
    return v.size() > 40 ? out + "..." : out;
}

class Reader {
  public:
    Reader(Network& net, std::string name, const NetworkReadOptions& options)
        : net_(net), name_(std::move(name)), options_(options), parser_(XML_ParserCreate(nullptr)) {
        if (!parser_) fail("cannot read traffic network '", name_, "': out of memory for the XML parser");
        XML_SetUserData(parser_.get(), this);
        XML_SetElementHandler(parser_.get(), &Reader::on_start, &Reader::on_end);
        // SUMO writes no DOCTYPE; one with entities is how XML bombs start.
        XML_SetStartDoctypeDeclHandler(parser_.get(), &Reader::on_doctype);
        XML_SetEntityDeclHandler(parser_.get(), &Reader::on_entity);
    }

    void feed(const char* data, size_t size, bool last) {
        if (XML_Parse(parser_.get(), data, int(size), last ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
            if (!error_.empty()) throw Error(error_);
            fail("traffic network '", name_, "', line ", XML_GetCurrentLineNumber(parser_.get()),
                 ": not well-formed XML (", XML_ErrorString(XML_GetErrorCode(parser_.get())), ")");
        }
        if (last) finish();
    }

  private:
    struct Free {
        void operator()(XML_Parser p) const { XML_ParserFree(p); }
    };
    using Attrs = const XML_Char**;

    unsigned long line() const { return XML_GetCurrentLineNumber(parser_.get()); }

    template <typename... Args>
    [[noreturn]] void bad(const Args&... args) const {
        fail("traffic network '", name_, "', line ", line(), ": ", args...);
    }

    static const char* attr(Attrs attrs, const char* key) {
        for (size_t i = 0; attrs[i]; i += 2)
            if (std::strcmp(attrs[i], key) == 0) return attrs[i + 1];
        return nullptr;
    }
    std::string required(Attrs attrs, const char* element, const char* key) const {
        const char* v = attr(attrs, key);
        if (!v || !*v) bad("<", element, "> has no ", key);
        return v;
    }
    double real(Attrs attrs, const char* element, const char* key,
                std::optional<double> fallback = {}) const {
        const char* v = attr(attrs, key);
        if (!v) {
            if (fallback) return *fallback;
            bad("<", element, "> has no ", key);
        }
        const auto d = number(v);
        if (!d || std::abs(*d) > max_coordinate)
            bad("<", element, "> ", key, " '", shown(v), "' is not a number (finite, at most 1e9)");
        return *d;
    }
    int integer(Attrs attrs, const char* element, const char* key, std::optional<int> fallback = {}) const {
        const char* v = attr(attrs, key);
        if (!v) {
            if (fallback) return *fallback;
            bad("<", element, "> has no ", key);
        }
        const auto i = whole(v);
        if (!i) bad("<", element, "> ", key, " '", shown(v), "' is not a whole number");
        return *i;
    }
    // "x,y[,z] x,y[,z] ...": positions, in net coordinates.
    std::vector<glm::dvec3> shape(const char* text, const char* element) const {
        std::vector<glm::dvec3> out;
        std::string_view s(text);
        while (!s.empty()) {
            const size_t start = s.find_first_not_of(" \t\r\n");
            if (start == std::string_view::npos) break;
            s.remove_prefix(start);
            const size_t end = std::min(s.find_first_of(" \t\r\n"), s.size());
            const std::string_view point = s.substr(0, end);
            s.remove_prefix(end);
            glm::dvec3 p{0.0};
            int n = 0;
            size_t at = 0;
            for (; n < 4 && at <= point.size(); ++n) {
                const size_t comma = std::min(point.find(',', at), point.size());
                const auto d = number(point.substr(at, comma - at));
                if (!d || std::abs(*d) > max_coordinate || n == 3)
                    bad("<", element, "> shape has '", shown(point),
                        "', not a point x,y or x,y,z (numbers, at most 1e9)");
                p[n] = *d;
                at = comma + 1;
            }
            if (n < 2) bad("<", element, "> shape has '", shown(point), "', not a point x,y or x,y,z");
            out.push_back(p);
        }
        return out;
    }
    std::array<double, 4> boundary(Attrs attrs, const char* key) const {
        std::array<double, 4> b{};
        const char* v = attr(attrs, key);
        if (!v) return b;
        std::string_view s(v);
        for (int i = 0; i < 4; ++i) {
            const size_t comma = i < 3 ? s.find(',') : s.size();
            const auto d = comma == std::string_view::npos ? std::nullopt : number(s.substr(0, comma));
            if (!d || std::abs(*d) > max_coordinate)
                bad("<location> ", key, " '", shown(v), "' is not four numbers xmin,ymin,xmax,ymax");
            b[size_t(i)] = *d;
            s.remove_prefix(std::min(comma + 1, s.size()));
        }
        return b;
    }

    void start(const char* element, Attrs attrs) {
        ++depth_;
        if (depth_ == 1) {
            if (std::strcmp(element, "net") != 0)
                bad("the root element is <", shown(element), ">, not <net>: not a SUMO network (.net.xml)");
            root_ = true;
            return;
        }
        if (depth_ == 2) {
            if (std::strcmp(element, "location") == 0) return location(attrs);
            if (std::strcmp(element, "edge") == 0) return edge(attrs);
            if (std::strcmp(element, "junction") == 0) return junction(attrs);
            if (std::strcmp(element, "connection") == 0) return connection(attrs);
            return;  // types, traffic light programs, roundabouts, ...: not needed here
        }
        if (depth_ == 3 && in_edge_ && std::strcmp(element, "lane") == 0) lane(attrs);
    }
    void end(const char*) {
        if (depth_ == 2) in_edge_ = skipping_edge_ = false;
        --depth_;
    }

    void location(Attrs attrs) {
        if (net_.has_location) bad("a second <location>");
        net_.has_location = true;
        if (const char* v = attr(attrs, "netOffset")) {
            const std::string_view s(v);
            const size_t comma = s.find(',');
            const auto x = comma == std::string_view::npos ? std::nullopt : number(s.substr(0, comma));
            const auto y = comma == std::string_view::npos ? std::nullopt : number(s.substr(comma + 1));
            if (!x || !y || std::abs(*x) > max_coordinate || std::abs(*y) > max_coordinate)
                bad("<location> netOffset '", shown(v), "' is not two numbers x,y");
            net_.net_offset = {*x, *y};
        }
        net_.conv_boundary = boundary(attrs, "convBoundary");
        net_.orig_boundary = boundary(attrs, "origBoundary");
        if (const char* v = attr(attrs, "projParameter")) net_.proj_parameter = v;
    }

    void edge(Attrs attrs) {
        in_edge_ = true;
        Edge e;
        e.id = required(attrs, "edge", "id");
        if (const char* f = attr(attrs, "function")) e.function = f;
        if (e.function == "normal") e.function.clear();
        if (e.internal() && !options_.internal) {
            skipping_edge_ = true;
            return;
        }
        if (!e.internal()) {
            e.from = required(attrs, "edge", "from");
            e.to = required(attrs, "edge", "to");
        }
        if (const char* v = attr(attrs, "type")) e.type = v;
        if (const char* v = attr(attrs, "name")) e.name = v;
        e.priority = integer(attrs, "edge", "priority", -1);
        if (const char* v = attr(attrs, "shape")) e.shape = shape(v, "edge");
        if (!edge_ids_.insert(e.id).second) bad("a second edge '", shown(e.id), "'");
        net_.edges.push_back(std::move(e));
        edge_lines_.push_back(line());
    }

    void lane(Attrs attrs) {
        if (skipping_edge_) return;
        Edge& e = net_.edges.back();
        Lane l;
        l.id = required(attrs, "lane", "id");
        l.index = integer(attrs, "lane", "index");
        if (l.index != int(e.lanes.size()))
            bad("lane '", shown(l.id), "' has index ", l.index, " where ", e.lanes.size(),
                " comes next (lanes are listed by index, from 0)");
        l.speed = real(attrs, "lane", "speed");
        l.length = real(attrs, "lane", "length");
        l.width = real(attrs, "lane", "width", 3.2);
        if (l.speed < 0 || l.length < 0) bad("lane '", shown(l.id), "' has a negative speed or length");
        if (const char* v = attr(attrs, "allow")) l.allow = v;
        if (const char* v = attr(attrs, "disallow")) l.disallow = v;
        l.shape = shape(required(attrs, "lane", "shape").c_str(), "lane");
        if (l.shape.size() < 2) bad("lane '", shown(l.id), "' has a shape of fewer than two points");
        if (!lane_ids_.insert(l.id).second) bad("a second lane '", shown(l.id), "'");
        e.lanes.push_back(std::move(l));
    }

    void junction(Attrs attrs) {
        Junction j;
        j.id = required(attrs, "junction", "id");
        if (const char* v = attr(attrs, "type")) j.type = v;
        if ((j.type == "internal" || j.id.front() == ':') && !options_.internal) return;
        j.position = {real(attrs, "junction", "x"), real(attrs, "junction", "y"),
                      real(attrs, "junction", "z", 0.0)};
        if (const char* v = attr(attrs, "shape")) j.shape = shape(v, "junction");
        if (!junction_ids_.insert(j.id).second) bad("a second junction '", shown(j.id), "'");
        net_.junctions.push_back(std::move(j));
    }

    void connection(Attrs attrs) {
        Connection c;
        c.from = required(attrs, "connection", "from");
        c.to = required(attrs, "connection", "to");
        if ((c.from.front() == ':' || c.to.front() == ':') && !options_.internal) return;
        c.from_lane = integer(attrs, "connection", "fromLane");
        c.to_lane = integer(attrs, "connection", "toLane");
        if (const char* v = attr(attrs, "via")) c.via = v;
        if (const char* v = attr(attrs, "dir")) c.dir = v;
        if (const char* v = attr(attrs, "state")) c.state = v;
        net_.connections.push_back(std::move(c));
        connection_lines_.push_back(line());
    }

    // What can only be checked once everything is read: references, and the conversion to
    // EPSG:25832 (a <location> may come after the positions).
    void finish() {
        auto at = [&](unsigned long l, const auto&... args) {
            fail("traffic network '", name_, "', line ", l, ": ", args...);
        };
        if (!root_) fail("traffic network '", name_, "' is empty: no <net> element");
        net_.index();
        for (size_t i = 0; i < net_.edges.size(); ++i) {
            const Edge& e = net_.edges[i];
            if (e.lanes.empty()) at(edge_lines_[i], "edge '", shown(e.id), "' has no lanes");
            if (e.internal()) continue;
            for (const std::string* j : {&e.from, &e.to})
                if (!net_.junction(*j))
                    at(edge_lines_[i], "edge '", shown(e.id), "' names junction '", shown(*j),
                       "', which the network does not have");
        }
        for (size_t i = 0; i < net_.connections.size(); ++i) {
            const Connection& c = net_.connections[i];
            const Edge* from = net_.edge(c.from);
            const Edge* to = net_.edge(c.to);
            if (!from || !to)
                at(connection_lines_[i], "connection from '", shown(c.from), "' to '", shown(c.to),
                   "' names an edge the network does not have");
            if (c.from_lane < 0 || size_t(c.from_lane) >= from->lanes.size() || c.to_lane < 0 ||
                size_t(c.to_lane) >= to->lanes.size())
                at(connection_lines_[i], "connection from '", shown(c.from), "' to '", shown(c.to),
                   "' names a lane the edge does not have");
        }
        const glm::dvec3 off(net_.net_offset, 0.0);
        for (Edge& e : net_.edges) {
            for (glm::dvec3& p : e.shape)
                p -= off;
            for (Lane& l : e.lanes)
                for (glm::dvec3& p : l.shape)
                    p -= off;
        }
        for (Junction& j : net_.junctions) {
            j.position -= off;
            for (glm::dvec3& p : j.shape)
                p -= off;
        }
    }

    // expat calls these from C: nothing may throw through it. The first error is kept
    // and the parser stopped; feed() throws it.
    template <typename F>
    static void guarded(void* self, F&& f) {
        auto* r = static_cast<Reader*>(self);
        if (!r->error_.empty()) return;  // stopped: expat may still deliver an end tag
        try {
            f(*r);
        } catch (const Error& e) {
            r->error_ = e.what();
            XML_StopParser(r->parser_.get(), XML_FALSE);
        } catch (const std::bad_alloc&) {
            r->error_ = "traffic network '" + r->name_ + "': out of memory";
            XML_StopParser(r->parser_.get(), XML_FALSE);
        }
    }
    static void XMLCALL on_start(void* self, const XML_Char* element, const XML_Char** attrs) {
        guarded(self, [&](Reader& r) { r.start(element, attrs); });
    }
    static void XMLCALL on_end(void* self, const XML_Char* element) {
        guarded(self, [&](Reader& r) { r.end(element); });
    }
    static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        guarded(self,
                [](Reader& r) { r.bad("a DOCTYPE declaration, which SUMO networks do not have; refused"); });
    }
    static void XMLCALL on_entity(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                                  const XML_Char*, const XML_Char*, const XML_Char*) {
        guarded(self,
                [](Reader& r) { r.bad("an entity declaration, which SUMO networks do not have; refused"); });
    }

    Network& net_;
    std::string name_;
    NetworkReadOptions options_;
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, Free> parser_;
    std::string error_;
    int depth_ = 0;
    bool root_ = false, in_edge_ = false, skipping_edge_ = false;
    std::unordered_set<std::string> edge_ids_, lane_ids_, junction_ids_;
    std::vector<unsigned long> edge_lines_, connection_lines_;
};

}  // namespace

void Network::index() {
    edge_index_.clear();
    junction_index_.clear();
    lane_index_.clear();
    for (size_t i = 0; i < edges.size(); ++i) {
        edge_index_.emplace(edges[i].id, i);
        for (size_t k = 0; k < edges[i].lanes.size(); ++k)
            lane_index_.emplace(edges[i].lanes[k].id, std::pair{i, k});
    }
    for (size_t i = 0; i < junctions.size(); ++i)
        junction_index_.emplace(junctions[i].id, i);
}

const Edge* Network::edge(std::string_view id) const {
    const auto it = edge_index_.find(std::string(id));
    return it == edge_index_.end() ? nullptr : &edges[it->second];
}

const Lane* Network::lane(std::string_view id) const {
    const auto it = lane_index_.find(std::string(id));
    return it == lane_index_.end() ? nullptr : &edges[it->second.first].lanes[it->second.second];
}

const Junction* Network::junction(std::string_view id) const {
    const auto it = junction_index_.find(std::string(id));
    return it == junction_index_.end() ? nullptr : &junctions[it->second];
}

Network parse_network(std::string_view xml, const std::string& name, const NetworkReadOptions& options) {
    Network net;
    Reader r(net, name, options);
    // expat takes an int length: large texts in pieces.
    size_t at = 0;
    do {
        const size_t n = std::min(chunk_bytes, xml.size() - at);
        r.feed(xml.data() + at, n, at + n == xml.size());
        at += n;
    } while (at < xml.size());
    return net;
}

Network read_network(const std::filesystem::path& path, const NetworkReadOptions& options) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        fail("cannot read traffic network '", path.string(), "': it is a folder, not a .net.xml file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail("cannot read traffic network '", path.string(), "': the file does not exist or is not readable");
    Network net;
    Reader r(net, path.string(), options);
    std::vector<char> buf(chunk_bytes);
    while (true) {
        in.read(buf.data(), std::streamsize(buf.size()));
        const auto n = size_t(in.gcount());
        if (in.bad()) fail("cannot read traffic network '", path.string(), "': a read error");
        const bool last = n < buf.size();
        r.feed(buf.data(), n, last);
        if (last) break;
    }
    return net;
}

}  // namespace zw::scenario::traffic
