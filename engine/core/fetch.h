// Reading bytes from a URI with one code path for plain paths, file:// URIs and
// http(s):// (libcurl). Safe to call from any thread; blocking (worker threads only).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zw::core {

struct FetchOptions {
    long connect_timeout_s = 5;
    long timeout_s = 60;
    std::string ca_file;  // extra CA bundle for https (empty: system CAs)
};

// The whole resource. Throws zw::Error with a one-sentence reason that names the URI
// (display_uri): file missing or unreadable, HTTP status >= 400 ("HTTP 404 Not Found"),
// host unreachable, TLS failure, timeout.
std::vector<uint8_t> fetch(std::string_view uri, const FetchOptions& options = {});

}  // namespace zw::core
