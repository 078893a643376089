// The nginx site that serves a bake's twins over HTTPS so that a served twin never
// answers a request its caller may not read: one login file per twin, and in the
// administration twin one user per department (or person of a department), who reads
// twin.json and the folders of the department's layers only. How to deploy it:
// docs/serving.md.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

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

// The site configuration (an nginx `http` context file: maps and one server) for the
// twins baked into `out`, read from their twin.json files so that it always matches
// what was written: a twin without twin.json is not served, and the administration
// twin's `departments` decide which layers each department reads. Throws zw::Error for
// an option value that nginx would misread, or a manifest it cannot read.
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
