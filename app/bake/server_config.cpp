#include "app/bake/server_config.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/bake/bundle.h"
#include "app/bake/output_dir.h"
#include "engine/core/error.h"

namespace zw::bake {

namespace fs = std::filesystem;
using nlohmann::json;

const char* server_options_usage =
    "Server configuration (OUT/server/zwilling.conf, an nginx site; see docs/serving.md):\n"
    "  --server-root DIR     where the twins lie on the server (default /srv/zwilling/town)\n"
    "  --server-name NAME    host name of the twins' URLs (default zwilling.example.org)\n"
    "  --server-address IP   listen on this address only (default: all IPv4 and IPv6)\n"
    "  --server-port N       https port (default 443)\n"
    "  --server-cert FILE    certificate, PEM (default /etc/zwilling/tls/fullchain.pem)\n"
    "  --server-key FILE     its private key, PEM (default /etc/zwilling/tls/privkey.pem)\n"
    "  --server-users DIR    htpasswd files citizen, council, administration\n"
    "                        (default /etc/zwilling/htpasswd)\n";

namespace {

// The TLS 1.2 suites (OpenSSL names): ECDHE key exchange, AES-GCM or ChaCha20-Poly1305.
// For ECDSA (as the test CA's) and RSA certificates.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Characters that nginx would read as syntax or variables, even inside quotes.
bool plain_value(const std::string& s) {
    for (const unsigned char ch : s)
        if (ch <= ' ' || ch == 0x7f ||
            std::string_view("\"'\\$;{}#").find(char(ch)) != std::string_view::npos)
            return false;
    return !s.empty();
}

std::string checked_path(const std::string& option, const std::string& path) {
    if (path.empty() || path[0] != '/')
        fail(option, " expects an absolute path on the server, not '", path, "'");
    if (!plain_value(path))
        fail(option, " '", path, "': nginx cannot take a path with spaces, quotes, '$', ';', '#' or braces");
    std::string p = path;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

bool is_token(const std::string& s, std::string_view extra) {
    for (const char ch : s) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                        extra.find(ch) != std::string_view::npos;
        if (!ok) return false;
    }
    return !s.empty();
}

// A PCRE pattern matching `s` literally.
std::string regex_literal(const std::string& s) {
    std::string out;
    for (const char ch : s) {
        if (std::string_view("\\^$.|?*+()[]{}/").find(ch) != std::string_view::npos) out += '\\';
        out += ch;
    }
    return out;
}

// A double-quoted nginx string (nginx turns \\ and \" back into \ and ").
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        if (ch == '\\' || ch == '"') out += '\\';
        out += ch;
    }
    return out + "\"";
}

// A path below a twin folder that the rules can name: segments of ASCII letters, digits,
// '.', '_' and '-', none of them empty, "." or "..".
bool plain_path(const std::string& path) {
    size_t begin = 0;
    while (begin <= path.size()) {
        const size_t end = std::min(path.find('/', begin), path.size());
        const std::string segment = path.substr(begin, end - begin);
        if (segment.empty() || segment == "." || segment == ".." || !is_token(segment, "._-")) return false;
        begin = end + 1;
    }
    return true;
}

std::string folder_of(const std::string& uri) {
    const size_t slash = uri.rfind('/');
    return slash == std::string::npos ? "" : uri.substr(0, slash + 1);
}

TwinAccess read_twin(const fs::path& manifest_path, const std::string& id) {
    const std::string where = "'" + manifest_path.string() + "'";
    std::ifstream in(manifest_path, std::ios::binary);
    if (!in) fail("cannot read ", where, " for the server configuration");
    const json m = json::parse(in, nullptr, false);
    if (!m.is_object() || !m.contains("layers") || !m["layers"].is_array())
        fail(where, " is not a twin manifest (no layers); bake again");
    TwinAccess twin;
    twin.twin = id;
    // Every layer's folder is its id; the tileset and the graph must lie in it, so that
    // granting the folder grants exactly the layer.
    std::vector<std::string> layer_ids;
    for (size_t i = 0; i < m["layers"].size(); ++i) {
        const json& layer = m["layers"][i];
        const std::string field = "layers[" + std::to_string(i) + "]";
        const std::string layer_id = layer.is_object() && layer.contains("id") && layer["id"].is_string()
                                         ? layer["id"].get<std::string>()
                                         : "";
        if (const std::string problem = layer_id_problem(layer_id); !problem.empty())
            fail(where, ": ", field, ".id '", printable_id(layer_id), "' ", problem,
                 " and bake again (the server grants a layer by its folder)");
        if (std::find(layer_ids.begin(), layer_ids.end(), layer_id) != layer_ids.end())
            fail(where, ": ", field, ".id '", layer_id, "' is given twice; bake again");
        for (const char* key : {"tileset", "graph"}) {
            if (!layer.contains(key) && std::string(key) == "graph") continue;
            const json& uri = layer.contains(key) ? layer[key] : json();
            if (!uri.is_string() || uri.get<std::string>().rfind(layer_id + "/", 0) != 0)
                fail(where, ": ", field, ".", key, " ", uri.dump(), " is not in the layer's folder '",
                     layer_id, "/', the only folder the server grants for it; bake again");
        }
        layer_ids.push_back(layer_id);
    }
    // The scenarios: the folders of their definitions and results, for every department.
    std::vector<std::string> shared = {"twin.json"};
    if (m.contains("scenarios")) {
        if (!m["scenarios"].is_array()) fail(where, ": scenarios is not an array; bake again");
        for (size_t i = 0; i < m["scenarios"].size(); ++i) {
            const json& sc = m["scenarios"][i];
            for (const char* key : {"uri", "results"}) {
                const std::string field = "scenarios[" + std::to_string(i) + "]." + key;
                if (!sc.is_object() || (!sc.contains(key) && std::string(key) == "results")) continue;
                const std::string uri =
                    sc.contains(key) && sc[key].is_string() ? sc[key].get<std::string>() : "";
                const std::string folder = folder_of(uri);
                if (folder.empty() || !plain_path(folder.substr(0, folder.size() - 1)))
                    fail(where, ": ", field, " '", printable_id(uri),
                         "' is not in a folder of its own below the twin (letters, digits, '.', '_' and '-' "
                         "only); bake again");
                const std::string top = folder.substr(0, folder.find('/'));
                if (std::find(layer_ids.begin(), layer_ids.end(), top) != layer_ids.end())
                    fail(where, ": ", field, " '", uri, "' lies in the folder of layer '", top,
                         "': every department would read that layer; bake again");
                const bool inside = std::any_of(shared.begin(), shared.end(), [&](const std::string& p) {
                    return p.back() == '/' && folder.rfind(p, 0) == 0;
                });
                if (!inside) shared.push_back(folder);
            }
        }
    }
    // The traffic network: its folder, for every department (the roads are public).
    if (m.contains("traffic") && m["traffic"].is_object() && m["traffic"].contains("network")) {
        const json& net = m["traffic"]["network"];
        const std::string uri = net.is_string() ? net.get<std::string>() : "";
        const std::string folder = folder_of(uri);
        if (folder.empty() || !plain_path(folder.substr(0, folder.size() - 1)))
            fail(where, ": traffic.network '", printable_id(uri),
                 "' is not in a folder of its own below the twin (letters, digits, '.', '_' and '-' only); "
                 "bake "
                 "again");
        const std::string top = folder.substr(0, folder.find('/'));
        if (std::find(layer_ids.begin(), layer_ids.end(), top) != layer_ids.end())
            fail(where, ": traffic.network '", uri, "' lies in the folder of layer '", top,
                 "': every department would read that layer; bake again");
        if (std::find(shared.begin(), shared.end(), folder) == shared.end()) shared.push_back(folder);
    }
    // The tours and the surface grid (docs/tours.md): views/, for every department.
    if (m.contains("views")) {
        if (std::find(layer_ids.begin(), layer_ids.end(), "views") != layer_ids.end())
            fail(where, ": a layer is called 'views', the folder of the tours; bake again");
        shared.push_back("views/");
    }
    if (!m.contains("departments")) return twin;
    if (!m["departments"].is_array()) fail(where, ": departments is not an array; bake again");
    twin.per_department = true;
    for (size_t i = 0; i < m["departments"].size(); ++i) {
        const json& d = m["departments"][i];
        const std::string field = "departments[" + std::to_string(i) + "]";
        DepartmentAccess department;
        department.id = d.is_object() ? d.value("id", "") : "";
        // A user is "<department>" or "<department>.<person>": the id must not hold a dot.
        if (!is_token(department.id, "_-"))
            fail(where, ": ", field, ".id '", printable_id(department.id),
                 "' cannot start a user name (letters, digits, '_' and '-' only)");
        for (const DepartmentAccess& other : twin.departments)
            if (other.id == department.id)
                fail(where, ": ", field, ".id '", department.id, "' is given twice");
        department.paths = shared;
        const json& layers = d.contains("layers") ? d["layers"] : json::array();
        if (!layers.is_array()) fail(where, ": ", field, ".layers is not an array of layer ids; bake again");
        for (const json& l : layers) {
            const std::string layer = l.is_string() ? l.get<std::string>() : l.dump();
            if (std::find(layer_ids.begin(), layer_ids.end(), layer) == layer_ids.end())
                fail(where, ": ", field, ".layers names '", printable_id(layer),
                     "', which is not a layer of this twin; bake again");
            if (std::find(department.paths.begin(), department.paths.end(), layer + "/") ==
                department.paths.end())
                department.paths.push_back(layer + "/");
        }
        twin.departments.push_back(std::move(department));
    }
    return twin;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

}  // namespace

bool parse_server_option(const std::string& arg, const std::function<std::string()>& value,
                         ServerOptions& options) {
    if (arg == "--server-root") {
        options.root = checked_path(arg, value());
    } else if (arg == "--server-cert") {
        options.certificate = checked_path(arg, value());
    } else if (arg == "--server-key") {
        options.key = checked_path(arg, value());
    } else if (arg == "--server-users") {
        options.users = checked_path(arg, value());
    } else if (arg == "--server-name") {
        options.name = value();
        if (!is_token(options.name, ".-_*"))
            fail("--server-name expects a host name such as twin.example.org, not '", options.name, "'");
    } else if (arg == "--server-address") {
        std::string a = value();
        if (!a.empty() && a[0] != '[' && a.find(':') != std::string::npos) a = "[" + a + "]";  // IPv6
        if (!is_token(a, ".:-[]")) fail("--server-address expects an IP address or host name, not '", a, "'");
        options.address = a;
    } else if (arg == "--server-port") {
        const std::string v = value();
        if (!is_token(v, "") || v.size() > 5 || std::stoi(v) < 1 || std::stoi(v) > 65535)
            fail("--server-port expects a port number from 1 to 65535, not '", v, "'");
        options.port = std::stoi(v);
    } else {
        return false;
    }
    return true;
}

std::vector<TwinAccess> access_rules(const fs::path& out) {
    std::vector<TwinAccess> twins;
    for (const TwinSpec& spec : twin_specs()) {
        const fs::path manifest = out / spec.id / "twin.json";
        if (std::error_code ec; fs::exists(manifest, ec)) twins.push_back(read_twin(manifest, spec.id));
    }
    return twins;
}

std::string server_config(const fs::path& out, const ServerOptions& options) {
    const std::vector<TwinAccess> twins = access_rules(out);
    if (twins.empty())
        fail("'", out.string(), "' holds no twin (no citizen/, council/ or administration/ with twin.json)");
    const std::string root = checked_path("the server root", options.root);
    const std::string users = checked_path("the users folder", options.users);

    std::ostringstream s;
    s << "# Zwilling: the twins of one bake over HTTPS, with a login per twin and per department\n"
         "# of the administration (docs/serving.md). Written by zwilling-bake from the twin.json\n"
         "# files of the bake; after every bake write it again rather than editing it:\n"
         "#   zwilling-bake --server-config OUT --server-root "
      << root << " ...\n"
      << "# It belongs into nginx's http context (/etc/nginx/sites-enabled/ on Debian).\n"
         "#\n"
         "# Users: one htpasswd file per twin in "
      << users << "/.\n";
    for (const TwinAccess& t : twins) {
        if (!t.per_department) {
            s << "#   " << t.twin << ": every user in it reads every file of " << t.twin << "/\n";
            continue;
        }
        s << "#   " << t.twin << ": users named <department> or <department>.<person> read in " << t.twin
          << "/\n#     what their department holds (twin.json, its layers' folders, the scenarios),\n"
             "#     nothing else:\n";
        for (const DepartmentAccess& d : t.departments)
            s << "#       " << d.id << ": " << join(d.paths, ", ") << "\n";
        if (t.departments.empty()) s << "#       (no departments: nobody)\n";
    }
    s << "# Order: the login first (401 when it is missing or wrong), then the layer (403).\n"
         "# Nothing else is served (404); only GET and HEAD (405); no folder listings.\n";

    for (const TwinAccess& t : twins) {
        if (!t.per_department) continue;
        const std::string var = "$zw_" + t.twin;
        s << "\n# The department of a user of " << t.twin << "/: \"bauhof\" for bauhof and bauhof.meier.\n"
          << "map $remote_user " << var << "_department {\n"
          << "    default \"\";\n";
        for (const DepartmentAccess& d : t.departments)
            s << "    " << quoted("~^" + regex_literal(d.id) + "(\\.[A-Za-z0-9_-]+)?$") << " " << d.id
              << ";\n";
        s << "}\n\n"
          << "# What try_files may serve: the URI where the department holds it, else \"/\" (the\n"
          << "# root folder, never served: try_files goes on to the 403 below).\n"
          << "map " << var << "_department$uri " << var << "_file {\n"
          << "    default /;\n";
        for (const DepartmentAccess& d : t.departments) {
            std::vector<std::string> patterns;
            for (const std::string& p : d.paths)
                patterns.push_back(regex_literal(p) + (p.back() == '/' ? "" : "$"));
            s << "    "
              << quoted("~^" + regex_literal(d.id) + "/" + regex_literal(t.twin) + "/(" +
                        join(patterns, "|") + ")")
              << " $uri;\n";
        }
        s << "}\n";
    }

    s << "\nserver {\n";
    for (const std::string& address : options.address.empty()
                                          ? std::vector<std::string>{"", "[::]:"}
                                          : std::vector<std::string>{options.address + ":"})
        s << "    listen " << address << options.port << " ssl http2;\n";
    s << "    server_name " << options.name << ";\n"
      << "    server_tokens off;\n\n"
      << "    ssl_certificate " << checked_path("--server-cert", options.certificate) << ";\n"
      << "    ssl_certificate_key " << checked_path("--server-key", options.key) << ";\n"
      << "    # TLS 1.3, or 1.2 with forward secrecy (ECDHE) and an AEAD cipher: no CBC or SHA-1\n"
      << "    # suites, no static RSA or DHE key exchange. TLS 1.3's suites are all AEAD.\n"
      << "    ssl_protocols TLSv1.2 TLSv1.3;\n"
      << "    ssl_ciphers " << tls12_ciphers << ";\n"
      << "    ssl_prefer_server_ciphers off;\n"
      << "    ssl_session_tickets off;\n\n"
      << "    root " << root << ";\n"
      << "    # No symbolic link below the root is followed: nothing outside it is served.\n"
      << "    disable_symlinks on from=$document_root;\n"
      << "    autoindex off;\n\n"
      << "    types {\n"
      << "        application/json json;\n"
      << "        model/gltf-binary glb;\n"
      << "    }\n"
      << "    default_type application/octet-stream;\n"
      << "    gzip on;\n"
      << "    gzip_types application/json;\n"
      << "    gzip_min_length 256;\n"
      << "    gzip_vary on;\n"
      << "    # Browsers that met the site keep to HTTPS for a year.\n"
      << "    add_header Strict-Transport-Security \"max-age=31536000\" always;\n"
      << "    add_header Cache-Control \"private, no-cache\" always;\n"
      << "    add_header X-Content-Type-Options nosniff always;\n\n"
      << "    if ($request_method !~ ^(GET|HEAD)$) {\n"
      << "        return 405;\n"
      << "    }\n\n"
      << "    location / {\n"
      << "        return 404;\n"
      << "    }\n";
    for (const TwinAccess& t : twins) {
        s << "\n    location /" << t.twin << "/ {\n"
          << "        auth_basic \"Zwilling " << t.twin << "\";\n"
          << "        auth_basic_user_file " << users << "/" << t.twin << ";\n";
        if (!t.per_department) {
            // try_files (not the index module): a folder is 404, never a listing or a 403.
            s << "        try_files $uri =404;\n    }\n";
            continue;
        }
        // try_files runs after the access phase (auth_basic): 401 comes before 403.
        s << "        try_files $zw_" << t.twin << "_file @zw_" << t.twin << "_refused;\n"
          << "    }\n\n"
          << "    location @zw_" << t.twin << "_refused {\n"
          << "        if ($zw_" << t.twin << "_file = /) {\n"
          << "            return 403;\n"
          << "        }\n"
          << "        return 404;\n"
          << "    }\n";
    }
    s << "}\n";
    return s.str();
}

fs::path write_server_config(const fs::path& out, const ServerOptions& options, const fs::path& dir) {
    const std::string text = server_config(out, options);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("cannot create the folder '", dir.string(), "': ", ec.message());
    const fs::path file = dir / "zwilling.conf";
    const fs::path temporary = dir / (".zwilling.conf." + std::to_string(::getpid()));
    write_file(temporary, text);
    fs::rename(temporary, file, ec);
    if (ec) {
        const std::string why = ec.message();
        fs::remove(temporary, ec);
        fail("cannot write '", file.string(), "': ", why);
    }
    return file;
}

}  // namespace zw::bake
