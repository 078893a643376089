// check_confinement: the server configuration zwilling-bake writes, read with nginx's
// syntax and evaluated for every file and credential, against what the manifests grant.
#include <algorithm>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <system_error>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "app/bake/check/check.h"
#include "app/bake/check/check_util.h"
#include "app/bake/check/glb_read.h"

namespace zw::bake::check {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const twin_ids[] = {"citizen", "council", "administration"};

// ---- nginx's configuration syntax -----------------------------------------------------------

struct Directive {
    std::string name;
    std::vector<std::string> args;
    std::vector<Directive> block;
    bool has_block = false;
    int line = 0;
};

// Words, quoted strings, ';', '{' and '}', '#' comments; backslash escapes as nginx reads
// them (\" \' \\ stand for the character, \t \r \n for tab and line breaks, others stay).
class Parser {
  public:
    explicit Parser(const std::string& text) : text_(text) {}

    // The directives of the whole file; nullopt and `error` when it is not nginx syntax.
    std::optional<std::vector<Directive>> parse(std::string& error) {
        std::vector<Directive> out;
        if (!block(out, true, error)) return std::nullopt;
        return out;
    }

  private:
    enum class Kind { word, semicolon, open, close, end };

    Kind next(std::string& word, bool& quoted, std::string& error) {
        quoted = false;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == '\n') ++line_;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                ++pos_;
            } else if (c == '#') {
                while (pos_ < text_.size() && text_[pos_] != '\n')
                    ++pos_;
            } else {
                break;
            }
        }
        if (pos_ >= text_.size()) return Kind::end;
        const char c = text_[pos_];
        if (c == ';' || c == '{' || c == '}') {
            ++pos_;
            return c == ';' ? Kind::semicolon : c == '{' ? Kind::open : Kind::close;
        }
        word.clear();
        const char quote = c == '"' || c == '\'' ? c : 0;
        if (quote) {
            quoted = true;
            ++pos_;
        }
        while (pos_ < text_.size()) {
            const char ch = text_[pos_];
            if (quote ? ch == quote
                      : (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == ';' || ch == '{' ||
                         ch == '}'))
                break;
            if (ch == '\n') ++line_;
            if (ch == '\\' && pos_ + 1 < text_.size()) {
                const char e = text_[pos_ + 1];
                pos_ += 2;
                if (e == '"' || e == '\'' || e == '\\') {
                    word += e;
                } else if (e == 't' || e == 'r' || e == 'n') {
                    word += e == 't' ? '\t' : e == 'r' ? '\r' : '\n';
                } else {
                    word += '\\';
                    word += e;
                }
                continue;
            }
            word += ch;
            ++pos_;
        }
        if (quote) {
            if (pos_ >= text_.size()) {
                error = "line " + std::to_string(line_) + ": a quoted string does not end";
                return Kind::end;
            }
            ++pos_;
        }
        return Kind::word;
    }

    bool block(std::vector<Directive>& out, bool top, std::string& error) {
        Directive d;
        bool named = false;
        for (;;) {
            std::string word;
            bool quoted = false;
            const Kind k = next(word, quoted, error);
            if (!error.empty()) return false;
            if (k == Kind::word) {
                if (d.name.empty() && !named) {
                    // Quoted too: a map's keys are its block's directive names.
                    d.name = word;
                    d.line = line_;
                    named = true;
                } else {
                    d.args.push_back(word);
                }
            } else if (k == Kind::semicolon || k == Kind::open) {
                if (!named) {
                    error = "line " + std::to_string(line_) + ": '" + (k == Kind::open ? "{" : ";") +
                            "' without a directive";
                    return false;
                }
                if (k == Kind::open) {
                    d.has_block = true;
                    if (++depth_ > 16 || !block(d.block, false, error)) return false;
                    --depth_;
                }
                out.push_back(std::move(d));
                d = Directive();
                named = false;
            } else if (k == Kind::close || k == Kind::end) {
                if (named) {
                    error = "line " + std::to_string(line_) + ": '" + d.name + "' does not end with ';'";
                    return false;
                }
                if ((k == Kind::close) == top) {
                    error = "line " + std::to_string(line_) +
                            (top ? ": '}' without '{'" : ": a '{' is not closed");
                    return false;
                }
                return true;
            }
        }
    }

    const std::string& text_;
    size_t pos_ = 0;
    int line_ = 1;
    int depth_ = 0;
};

// ---- the evaluator ----------------------------------------------------------------------------

struct Credential {
    std::string twin;  // the users file it is in (named like the twin); empty: no login
    std::string user;
    std::string label() const { return twin.empty() ? "(no login)" : twin + ":" + user; }
};

struct MapRule {
    std::string key;
    std::optional<std::regex> re;
    std::string value;
};

struct Map {
    std::string source;
    std::string default_value;
    std::vector<MapRule> exact, regexes;
};

// Thrown where the configuration holds something this evaluator does not model.
struct Unsupported {
    int line;
    std::string what;
};

class Site {
  public:
    // Reads the maps and the one server of `top`; throws Unsupported.
    explicit Site(const std::vector<Directive>& top) {
        for (const Directive& d : top) {
            if (d.name == "map" && d.has_block && d.args.size() == 2 && d.args[1].size() > 1 &&
                d.args[1][0] == '$') {
                Map m;
                m.source = d.args[0];
                for (const Directive& e : d.block) {
                    if (e.args.size() != 1 || e.has_block)
                        throw Unsupported{e.line, "a map entry that is not 'KEY VALUE;'"};
                    if (e.name == "default") {
                        m.default_value = e.args[0];
                    } else if (e.name == "hostnames" || e.name == "include" || e.name == "volatile") {
                        throw Unsupported{e.line, "'" + e.name + "' in a map"};
                    } else if (e.name[0] == '~') {
                        const bool icase = e.name.rfind("~*", 0) == 0;
                        auto flags = std::regex::ECMAScript | std::regex::optimize;
                        if (icase) flags |= std::regex::icase;
                        try {
                            m.regexes.push_back(
                                {e.name, std::regex(e.name.substr(icase ? 2 : 1), flags), e.args[0]});
                        } catch (const std::regex_error&) {
                            throw Unsupported{e.line, "the regular expression '" + e.name + "'"};
                        }
                    } else {
                        m.exact.push_back({e.name == "\\" ? "" : e.name, std::nullopt, e.args[0]});
                    }
                }
                maps_[d.args[1].substr(1)] = std::move(m);
            } else if (d.name == "server" && d.has_block) {
                if (server_) throw Unsupported{d.line, "a second server"};
                server_ = &d;
            } else {
                throw Unsupported{d.line,
                                  "'" + d.name + "' at the top (zwilling-bake writes maps and one server)"};
            }
        }
        if (!server_) throw Unsupported{0, "no server"};
        for (const Directive& d : server_->block) {
            static const std::set<std::string> plain = {"listen",
                                                        "server_name",
                                                        "server_tokens",
                                                        "ssl_certificate",
                                                        "ssl_certificate_key",
                                                        "ssl_protocols",
                                                        "ssl_ciphers",
                                                        "ssl_prefer_server_ciphers",
                                                        "ssl_session_tickets",
                                                        "ssl_session_cache",
                                                        "ssl_session_timeout",
                                                        "ssl_ecdh_curve",
                                                        "disable_symlinks",
                                                        "autoindex",
                                                        "types",
                                                        "default_type",
                                                        "gzip",
                                                        "gzip_types",
                                                        "gzip_min_length",
                                                        "gzip_vary",
                                                        "add_header",
                                                        "charset",
                                                        "if",
                                                        "auth_basic",
                                                        "auth_basic_user_file",
                                                        "root"};
            if (d.name == "location") {
                if (d.args.size() == 1 && d.args[0].rfind("@", 0) == 0) {
                    named_[d.args[0]] = &d;
                } else if (d.args.size() == 1 && d.args[0].rfind("/", 0) == 0) {
                    locations_.push_back(&d);
                } else {
                    throw Unsupported{d.line, "a location that is not a plain prefix"};
                }
                check_location(d);
            } else if (!plain.count(d.name)) {
                throw Unsupported{d.line, "'" + d.name + "' in the server"};
            }
            if (d.name == "disable_symlinks" && (d.args.empty() || d.args[0] != "on"))
                throw Unsupported{d.line, "symbolic links followed (disable_symlinks is not on)"};
            if (d.name == "if") check_if(d);
        }
    }

    // True when a GET of `uri` with `who` is answered 200 with the file `uri` names;
    // `served` is the path of the file sent (when it is not `uri`, a finding).
    bool reads(const fs::path& out, const std::string& uri, const Credential& who, std::string& served) {
        Request r{out, uri, who};
        // The server's rewrite phase: its `if`s (the method check).
        if (rewrite(r, *server_)) return false;
        const Directive* location = nullptr;
        for (const Directive* l : locations_)
            if (uri.rfind(l->args[0], 0) == 0 && (!location || l->args[0].size() > location->args[0].size()))
                location = l;
        if (!location) return false;  // 404
        if (rewrite(r, *location)) return false;
        // The access phase: the login, where the location or the server asks for one.
        const Directive* auth = find(*location, "auth_basic");
        if (!auth) auth = find(*server_, "auth_basic");
        if (auth && !(auth->args.size() == 1 && auth->args[0] == "off")) {
            const Directive* file = find(*location, "auth_basic_user_file");
            if (!file) file = find(*server_, "auth_basic_user_file");
            if (!file || file->args.size() != 1)
                throw Unsupported{auth->line, "auth_basic without a users file"};
            if (who.twin.empty() || fs::path(file->args[0]).filename().string() != who.twin)
                return false;  // 401
        }
        const Directive* tries = find(*location, "try_files");
        if (!tries) return serves(out, uri, served);
        for (size_t i = 0; i + 1 < tries->args.size(); ++i)
            if (serves(out, interpolate(tries->args[i], r, {}), served)) return true;
        const std::string& last = tries->args.back();
        if (last.rfind("=", 0) == 0) return false;
        if (const auto it = named_.find(last); it != named_.end()) {
            if (rewrite(r, *it->second)) return false;
            throw Unsupported{it->second->line, "a named location that serves files"};
        }
        throw Unsupported{tries->line, "try_files ending in a URI"};
    }

  private:
    struct Request {
        const fs::path& out;
        const std::string& uri;
        const Credential& who;
    };

    static const Directive* find(const Directive& block, const std::string& name) {
        for (const Directive& d : block.block)
            if (d.name == name) return &d;
        return nullptr;
    }

    static void check_location(const Directive& location) {
        static const std::set<std::string> known = {
            "auth_basic", "auth_basic_user_file", "try_files", "return", "if",
            "add_header", "default_type",         "types",     "gzip"};
        for (const Directive& d : location.block) {
            if (!known.count(d.name)) throw Unsupported{d.line, "'" + d.name + "' in a location"};
            if (d.name == "if") check_if(d);
        }
    }

    static void check_if(const Directive& d) {
        for (const Directive& e : d.block)
            if (e.name != "return") throw Unsupported{e.line, "'" + e.name + "' inside if"};
    }

    // The rewrite phase of a block: true when one of its `return`s (plain or in an `if`
    // whose condition holds) answers the request.
    bool rewrite(const Request& r, const Directive& block) {
        for (const Directive& d : block.block) {
            if (d.name == "return") return true;
            if (d.name == "if" && condition(d, r) && find(d, "return")) return true;
        }
        return false;
    }

    bool condition(const Directive& d, const Request& r) {
        std::vector<std::string> a = d.args;
        if (a.empty() || a.front().empty() || a.front()[0] != '(' || a.back().empty() ||
            a.back().back() != ')')
            throw Unsupported{d.line, "an if condition nginx would not read"};
        a.front().erase(0, 1);
        a.back().pop_back();
        if (a.size() == 2 && a.front().empty()) a.erase(a.begin());
        if (a.size() == 1) {
            const std::string v = interpolate(a[0], r, {});
            return !v.empty() && v != "0";
        }
        if (a.size() != 3) throw Unsupported{d.line, "an if condition this check does not model"};
        const std::string v = interpolate(a[0], r, {});
        const std::string& op = a[1];
        if (op == "=" || op == "!=") return (v == a[2]) == (op == "=");
        if (op == "~" || op == "~*" || op == "!~" || op == "!~*") {
            auto flags = std::regex::ECMAScript;
            if (op.back() == '*') flags |= std::regex::icase;
            return std::regex_search(v, std::regex(a[2], flags)) == (op[0] == '~');
        }
        throw Unsupported{d.line, "the if operator '" + op + "'"};
    }

    // `text` with its variables ($name or ${name}) and captures ($1 .. $9) filled in.
    std::string interpolate(const std::string& text, const Request& r, const std::smatch& captures) {
        std::string out;
        for (size_t i = 0; i < text.size();) {
            if (text[i] != '$' || i + 1 == text.size()) {
                out += text[i++];
                continue;
            }
            size_t j = i + 1;
            std::string name;
            if (text[j] == '{') {
                const size_t close = text.find('}', j);
                if (close == std::string::npos) throw Unsupported{0, "'" + text + "'"};
                name = text.substr(j + 1, close - j - 1);
                j = close + 1;
            } else if (std::isdigit(static_cast<unsigned char>(text[j]))) {
                name = text.substr(j, 1);
                j += 1;
            } else {
                while (j < text.size() &&
                       (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'))
                    ++j;
                name = text.substr(i + 1, j - i - 1);
            }
            i = j;
            out += variable(name, r, captures);
        }
        return out;
    }

    std::string variable(const std::string& name, const Request& r, const std::smatch& captures) {
        if (name.size() == 1 && std::isdigit(static_cast<unsigned char>(name[0]))) {
            const size_t k = size_t(name[0] - '0');
            return k < captures.size() ? captures[k].str() : "";
        }
        if (name == "uri") return r.uri;
        if (name == "remote_user") return r.who.user;
        if (name == "request_method") return "GET";
        const auto it = maps_.find(name);
        if (it == maps_.end()) throw Unsupported{0, "the variable $" + name};
        if (++depth_ > 8) throw Unsupported{0, "maps that refer to each other"};
        const Map& m = it->second;
        const std::string key = interpolate(m.source, r, {});
        std::string value = m.default_value;
        bool found = false;
        for (const MapRule& e : m.exact)
            if (!found && e.key == key) {
                value = interpolate(e.value, r, {});
                found = true;
            }
        for (size_t k = 0; !found && k < m.regexes.size(); ++k) {
            std::smatch match;
            if (std::regex_search(key, match, *m.regexes[k].re)) {
                value = interpolate(m.regexes[k].value, r, match);
                found = true;
            }
        }
        if (!found) value = interpolate(m.default_value, r, {});
        --depth_;
        return value;
    }

    // Whether `path` (a URI below the root) names a regular file below `out`; symbolic
    // links are never followed (disable_symlinks on).
    static bool serves(const fs::path& out, const std::string& path, std::string& served) {
        if (path.empty() || path[0] != '/' || path.find("/../") != std::string::npos ||
            path.find("/./") != std::string::npos)
            return false;
        std::error_code ec;
        if (!fs::is_regular_file(fs::symlink_status(out / path.substr(1), ec))) return false;
        served = path;
        return true;
    }

    std::map<std::string, Map> maps_;
    const Directive* server_ = nullptr;
    std::vector<const Directive*> locations_;
    std::map<std::string, const Directive*> named_;
    int depth_ = 0;
};

// ---- what the manifests grant -----------------------------------------------------------------

struct Department {
    std::string id;
    std::set<std::string> layers;
};

struct Granted {
    bool served = false;          // has a twin.json
    bool per_department = false;  // lists departments
    std::vector<Department> departments;
    std::set<std::string> layer_ids;
    std::vector<std::string> scenario_folders;  // below the twin, ending in '/'
};

bool person_name(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

}  // namespace

ConfinementReport check_confinement(const fs::path& out, const fs::path& config) {
    ConfinementReport report;
    const std::string config_name = relative_name(config, out);
    auto config_finding = [&](int line, const std::string& message) {
        report.findings.push_back(
            {config_name, (line > 0 ? "line " + std::to_string(line) + ": " : std::string()) + message});
    };

    // The manifests.
    std::map<std::string, Granted> twins;
    std::set<std::string> department_ids;
    for (const char* id : twin_ids) {
        Granted& g = twins[id];
        std::string error;
        const auto text = read_file(out / id / "twin.json", error);
        if (!text) continue;
        g.served = true;
        const json m = json::parse(*text, nullptr, false);
        const std::string manifest = std::string(id) + "/twin.json";
        if (!m.is_object()) {
            report.findings.push_back(
                {manifest, "is not a JSON object; the server's grants cannot be checked"});
            continue;
        }
        for (const json& l : member(m, "layers"))
            if (l.is_object() && l.contains("id") && l["id"].is_string())
                g.layer_ids.insert(l["id"].get<std::string>());
        const json& scenarios = member(m, "scenarios");
        for (size_t i = 0; scenarios.is_array() && i < scenarios.size(); ++i)
            for (const char* key : {"uri", "results"}) {
                const json& v = member(scenarios[i], key);
                if (!v.is_string()) continue;
                const std::string uri = v.get<std::string>();
                const size_t slash = uri.rfind('/');
                if (slash == std::string::npos) continue;  // no folder of its own: nothing shared
                const std::string folder = uri.substr(0, slash + 1);
                g.scenario_folders.push_back(folder);
                if (g.layer_ids.count(folder.substr(0, folder.find('/'))))
                    report.findings.push_back(
                        {manifest,
                         "scenarios[" + std::to_string(i) + "]." + key + " '" + uri +
                             "' lies in the folder of layer '" + folder.substr(0, folder.find('/')) +
                             "': the scenarios are for every department, so every department would read "
                             "that layer"});
            }
        // The tours, surface grid and addresses (docs/tours.md): views/, for every department.
        if (m.contains("views")) g.scenario_folders.push_back("views/");
        const json& departments = member(m, "departments");
        if (departments.is_null()) continue;
        g.per_department = true;
        for (const json& d : departments) {
            Department dep;
            dep.id = member(d, "id").is_string() ? member(d, "id").get<std::string>() : "";
            for (const json& l : member(d, "layers"))
                if (l.is_string() && g.layer_ids.count(l.get<std::string>()))
                    dep.layers.insert(l.get<std::string>());
            if (!dep.id.empty()) department_ids.insert(dep.id);
            g.departments.push_back(std::move(dep));
        }
    }

    // The credentials: no login, and a few users in each served twin's file.
    std::vector<Credential> credentials = {{"", ""}};
    for (const char* id : twin_ids) {
        if (!twins[id].served) continue;
        for (const std::string& u : {std::string("user"), std::string("nobody")})
            credentials.push_back({id, u});
        for (const std::string& d : department_ids)
            for (const std::string& u : {d, d + ".person", d + ".a.b", d + "x"})
                credentials.push_back({id, u});
    }
    report.credentials = credentials.size();

    auto granted = [&](const std::string& relative, const Credential& who) {
        const size_t slash = relative.find('/');
        if (slash == std::string::npos || who.twin.empty()) return false;
        const std::string twin = relative.substr(0, slash), below = relative.substr(slash + 1);
        const auto it = twins.find(twin);
        if (twin != who.twin || it == twins.end() || !it->second.served) return false;
        const Granted& g = it->second;
        if (!g.per_department) return true;
        for (const Department& d : g.departments) {
            const bool member_of =
                !d.id.empty() && (who.user == d.id || (who.user.rfind(d.id + ".", 0) == 0 &&
                                                       person_name(who.user.substr(d.id.size() + 1))));
            if (!member_of) continue;
            if (below == "twin.json") return true;
            if (d.layers.count(below.substr(0, below.find('/'))) && below.find('/') != std::string::npos)
                return true;
            for (const std::string& f : g.scenario_folders)
                if (below.rfind(f, 0) == 0) return true;
        }
        return false;
    };

    std::string error;
    const auto text = read_file(config, error);
    if (!text) {
        config_finding(0, error + "; write it with zwilling-bake --server-config " + out.string());
        return report;
    }
    const auto top = Parser(*text).parse(error);
    if (!top) {
        config_finding(0, "is not an nginx configuration: " + error);
        return report;
    }
    try {
        Site site(*top);
        std::vector<std::string> files;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_regular_file(ec) && !it->is_symlink(ec))
                files.push_back(relative_name(it->path(), out));
        if (ec) config_finding(0, "cannot list '" + out.string() + "': " + ec.message());
        std::sort(files.begin(), files.end());
        for (const std::string& f : files) {
            ++report.files;
            std::set<std::string> actual, expected;
            for (const Credential& who : credentials) {
                std::string served;
                if (site.reads(out, "/" + f, who, served)) {
                    actual.insert(who.label());
                    if (served != "/" + f)
                        report.findings.push_back({f, "a request for it with " + who.label() +
                                                          " is answered with " + served.substr(1) +
                                                          " instead"});
                }
                if (granted(f, who)) expected.insert(who.label());
            }
            if (!actual.empty()) report.readers[f] = actual;
            if (actual == expected) continue;
            auto list = [](const std::set<std::string>& s) {
                std::string o;
                for (const std::string& x : s)
                    o += (o.empty() ? "" : ", ") + x;
                return "{" + o + "}";
            };
            report.findings.push_back({f, config_name + " lets " + list(actual) +
                                              " read it, but the manifests grant " + list(expected)});
        }
    } catch (const Unsupported& u) {
        config_finding(u.line,
                       "holds " + u.what +
                           ", which zwilling-bake does not write: the check cannot prove what it grants; "
                           "write the configuration again with zwilling-bake --server-config");
    } catch (const std::regex_error& e) {
        config_finding(0, std::string("a regular expression cannot be evaluated: ") + e.what());
    }
    return report;
}

}  // namespace zw::bake::check
