// Reading bytes from a URI with one code path for plain paths, file:// URIs and
// http(s):// (libcurl). Safe to call from any thread; blocking (worker threads only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.h"

namespace zw::core {

// HTTP Basic credentials for a served twin.
struct Credentials {
    std::string user, password;
};

struct FetchOptions {
    long connect_timeout_s = 5;
    long timeout_s = 60;
    std::string ca_file;  // extra CA bundle for https (empty: system CAs)
    // Sent only with requests whose origin (uri_origin) equals `credentials_origin`, and
    // never after a redirect to another origin. No origin given: never sent.
    std::optional<Credentials> credentials;
    std::string credentials_origin;
};

// Why a fetch failed, for callers that react differently (a login panel on 401).
enum class FetchFailure { other, not_found, unauthorized, forbidden, tls, unreachable, timeout };

class FetchError : public Error {
  public:
    FetchError(const std::string& message, FetchFailure kind, long http_status = 0)
        : Error(message), kind_(kind), http_status_(http_status) {}
    FetchFailure kind() const { return kind_; }
    long http_status() const { return http_status_; }  // 0 when no HTTP status came back

  private:
    FetchFailure kind_;
    long http_status_;
};

// "https://host:port" of an http(s) URI: scheme and host lower-case, the port always
// written (80/443 when absent), no user info, path, query or fragment. Empty for
// anything that is not http(s).
std::string uri_origin(std::string_view uri);

// The whole resource. Throws FetchError (a zw::Error) with a one-sentence reason that
// names the URI (display_uri): file missing or unreadable, HTTP status >= 400 ("HTTP 404
// Not Found"; 401 and 403 say that the credentials were refused or lack the right), host
// unreachable, TLS failure (what to do: --ca-file), timeout.
std::vector<uint8_t> fetch(std::string_view uri, const FetchOptions& options = {});

}  // namespace zw::core
