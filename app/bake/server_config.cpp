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

struct Department {
    std::string id;
    std::vector<std::string> folders;  // of its layers
};

struct Twin {
    std::string id;
    std::vector<std::string> folders;  // of its layers, in the manifest's order
    std::vector<Department> departments;
};

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

std::string alternatives(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : "|") + regex_literal(item);
    return "(" + out + ")";
}

Twin read_twin(const fs::path& manifest_path, const std::string& id) {
    std::ifstream in(manifest_path, std::ios::binary);
    if (!in) fail("cannot read '", manifest_path.string(), "' for the server configuration");
    const json m = json::parse(in, nullptr, false);
    if (!m.is_object() || !m.contains("layers") || !m["layers"].is_array())
        fail("'", manifest_path.string(), "' is not a twin manifest (no layers); bake again");
    Twin twin;
    twin.id = id;
    std::map<std::string, std::string> folder_of;  // layer id -> folder
    for (const json& layer : m["layers"]) {
        const std::string layer_id = layer.value("id", "");
        // The folder is the first segment of the tileset's relative URI ("buildings/tileset.json").
        const std::string tileset = layer.value("tileset", layer_id + "/");
        const std::string folder = tileset.substr(0, tileset.find('/'));
        if (layer_id.empty() || folder.empty() || folder == "." || folder == "..")
            fail("'", manifest_path.string(), "' has a layer without a folder; bake again");
        folder_of[layer_id] = folder;
        twin.folders.push_back(folder);
    }
    if (m.contains("departments") && m["departments"].is_array()) {
        for (const json& d : m["departments"]) {
            Department department;
            department.id = d.value("id", "");
            // A user is "<department>" or "<department>.<person>": the id must not hold a dot.
            if (!is_token(department.id, "_-"))
                fail("'", manifest_path.string(), "': department id '", department.id,
                     "' cannot start a user name (letters, digits, '_' and '-' only)");
            if (d.contains("layers") && d["layers"].is_array())
                for (const json& l : d["layers"])
                    if (l.is_string() && folder_of.contains(l.get<std::string>()))
                        department.folders.push_back(folder_of[l.get<std::string>()]);
            // The scenarios (flood what-ifs) are for every department.
            if (m.contains("scenarios") && m["scenarios"].is_array())
                for (const json& s : m["scenarios"]) {
                    const std::string uri = s.value("uri", "");
                    const std::string folder = uri.substr(0, uri.find('/'));
                    if (uri.find('/') == std::string::npos || folder.empty() || folder == "." ||
                        folder == "..")
                        fail("'", manifest_path.string(), "' has a scenario outside a folder; bake again");
                    if (std::find(department.folders.begin(), department.folders.end(), folder) ==
                        department.folders.end())
                        department.folders.push_back(folder);
                }
            twin.departments.push_back(std::move(department));
        }
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

std::string server_config(const fs::path& out, const ServerOptions& options) {
    std::vector<Twin> twins;
    for (const TwinSpec& spec : twin_specs()) {
        const fs::path manifest = out / spec.id / "twin.json";
        if (std::error_code ec; fs::exists(manifest, ec)) twins.push_back(read_twin(manifest, spec.id));
    }
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
    for (const Twin& t : twins) {
        if (t.departments.empty()) {
            s << "#   " << t.id << ": every user in it reads every file of " << t.id << "/\n";
            continue;
        }
        s << "#   " << t.id << ": users named <department> or <department>.<person> read " << t.id
          << "/twin.json\n#     and the folders of their department's layers, nothing else:\n";
        for (const Department& d : t.departments)
            s << "#       " << d.id << ": " << (d.folders.empty() ? "(none)" : join(d.folders, ", ")) << "\n";
    }
    s << "# Order: the login first (401 when it is missing or wrong), then the layer (403).\n"
         "# Nothing else is served (404); only GET and HEAD (405); no folder listings.\n";

    for (const Twin& t : twins) {
        if (t.departments.empty()) continue;
        std::vector<std::string> ids;
        for (const Department& d : t.departments)
            ids.push_back(d.id);
        const std::string var = "$zw_" + t.id;
        s << "\n# The department of a user of " << t.id << "/: \"bauhof\" for bauhof and bauhof.meier.\n"
          << "map $remote_user " << var << "_department {\n"
          << "    default \"\";\n"
          << "    " << quoted("~^" + alternatives(ids) + "(\\.[A-Za-z0-9_-]+)?$") << " $1;\n"
          << "}\n\n"
          << "# What try_files may serve: the URI where the department holds the layer, else \"/\"\n"
          << "# (the root folder, never served: try_files goes on to the 403 below).\n"
          << "map " << var << "_department$uri " << var << "_file {\n"
          << "    default /;\n"
          << "    " << quoted("~^" + alternatives(ids) + "/" + regex_literal(t.id) + "/twin\\.json$")
          << " $uri;\n";
        for (const Department& d : t.departments) {
            if (d.folders.empty()) continue;
            s << "    "
              << quoted("~^" + regex_literal(d.id) + "/" + regex_literal(t.id) + "/" +
                        alternatives(d.folders) + "/")
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
      << "    ssl_protocols TLSv1.2 TLSv1.3;\n\n"
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
      << "    add_header Cache-Control \"private, no-cache\" always;\n"
      << "    add_header X-Content-Type-Options nosniff always;\n\n"
      << "    if ($request_method !~ ^(GET|HEAD)$) {\n"
      << "        return 405;\n"
      << "    }\n\n"
      << "    location / {\n"
      << "        return 404;\n"
      << "    }\n";
    for (const Twin& t : twins) {
        s << "\n    location /" << t.id << "/ {\n"
          << "        auth_basic \"Zwilling " << t.id << "\";\n"
          << "        auth_basic_user_file " << users << "/" << t.id << ";\n";
        if (t.departments.empty()) {
            // try_files (not the index module): a folder is 404, never a listing or a 403.
            s << "        try_files $uri =404;\n    }\n";
            continue;
        }
        // try_files runs after the access phase (auth_basic): 401 comes before 403.
        s << "        try_files $zw_" << t.id << "_file @zw_" << t.id << "_refused;\n"
          << "    }\n\n"
          << "    location @zw_" << t.id << "_refused {\n"
          << "        if ($zw_" << t.id << "_file = /) {\n"
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
