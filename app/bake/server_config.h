// The nginx site that serves a bake's twins over HTTPS so that a served twin never
// answers a request its caller may not read: one login file per twin, and in the
// administration twin one user per department (or person of a department), who reads
// twin.json and the folders of the department's layers only. How to deploy it:
// docs/serving.md.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace zw::bake {

// Where things are on the town's server; every path absolute.
struct ServerOptions {
    std::string root = "/srv/zwilling/town";    // holds citizen/, council/, administration/
    std::string name = "zwilling.example.org";  // server_name (the host name in the twins' URLs)
    std::string address;                        // listen address; empty: every IPv4 and IPv6 address
    int port = 443;                             // https port
    std::string certificate = "/etc/zwilling/tls/fullchain.pem";  // server certificate (+ chain), PEM
    std::string key = "/etc/zwilling/tls/privkey.pem";            // its private key, PEM
    std::string users = "/etc/zwilling/htpasswd";  // htpasswd files citizen, council, administration
};

// What the site grants, derived from the twins' manifests and nothing else: the one table
// that server_config renders. A twin without `departments` in its twin.json gives every
// user of its login file every file below it. A twin with `departments` gives a user
// "<department>" or "<department>.<person>" the paths its department holds, relative to
// the twin folder: "twin.json", the folder "<layer id>/" of each of the department's
// layers, and the folder of each scenario's `uri` and `results` (the scenarios are for
// every department). No path is granted for its name alone: a layer's folder is its id,
// and its tileset and graph must lie in it.
struct DepartmentAccess {
    std::string id;
    std::vector<std::string> paths;  // a file ("twin.json") or a folder (ending in '/')
};
struct TwinAccess {
    std::string twin;  // citizen, council or administration: /<twin>/ and its login file
    bool per_department = false;
    std::vector<DepartmentAccess> departments;  // when per_department
};

// The table for the twins in `out` (those with a twin.json). Throws zw::Error naming the
// manifest and the field where a manifest cannot be confined by it: a layer id that
// layer_id_problem (app/bake/bundle.h) refuses, such as `scenarios`, or one given twice; a
// tileset or graph outside its layer's folder; a scenario whose folder is the twin
// folder, lies in a layer's folder or has a name nginx would misread; a department whose
// id cannot start a user name or is given twice, or that lists a layer the twin does not
// hold.
std::vector<TwinAccess> access_rules(const std::filesystem::path& out);

// The site configuration (an nginx `http` context file: maps and one server) for the
// twins baked into `out`: access_rules(out) rendered, behind TLS 1.2 (ECDHE key exchange
// with AEAD ciphers only) or 1.3, with HSTS. Throws zw::Error for an option value that
// nginx would misread, or a manifest that access_rules refuses.
std::string server_config(const std::filesystem::path& out, const ServerOptions& options);

// Writes server_config(out, options) to `dir`/zwilling.conf (a temporary file, renamed),
// creating `dir`. Returns the file's path.
std::filesystem::path write_server_config(const std::filesystem::path& out, const ServerOptions& options,
                                          const std::filesystem::path& dir);

// Takes `arg` if it is one of the --server-* options (root, name, address, port, cert,
// key, users), reading its value with `value` (which throws when there is none).
// Returns false for other arguments. Throws zw::Error for a bad value.
bool parse_server_option(const std::string& arg, const std::function<std::string()>& value,
                         ServerOptions& options);

// The --server-* options for the usage text.
extern const char* server_options_usage;

}  // namespace zw::bake
