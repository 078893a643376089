#include "engine/core/fetch.h"

#include <curl/curl.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <new>

#include "engine/core/error.h"
#include "engine/core/uri.h"

namespace zw::core {
namespace {

constexpr long max_redirects = 5;

[[noreturn]] void fail_fetch(FetchFailure kind, long status, const std::string& message) {
    throw FetchError(message, kind, status);
}

std::vector<uint8_t> read_file(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        fail_fetch(FetchFailure::not_found, 0, "cannot read '" + path + "': no such file");
    if (std::filesystem::is_directory(status))
        fail_fetch(FetchFailure::other, 0, "cannot read '" + path + "': is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail_fetch(FetchFailure::other, 0, "cannot read '" + path + "': " + std::strerror(errno));
    // Read to the end rather than trusting the size: files may grow or be special files.
    std::vector<uint8_t> bytes;
    if (const auto size = std::filesystem::file_size(path, ec); !ec) bytes.reserve(size);
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        bytes.insert(bytes.end(), buffer, buffer + in.gcount());
        if (!in) break;
    }
    if (in.bad()) fail_fetch(FetchFailure::other, 0, "cannot read '" + path + "': read error");
    return bytes;
}

// One easy handle per thread, reused so that libcurl keeps connections (and TLS
// sessions) open between requests to the same server.
class Curl {
  public:
    Curl() {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
        handle_ = curl_easy_init();
        if (!handle_) fail("cannot start libcurl (out of memory?)");
    }
    ~Curl() { curl_easy_cleanup(handle_); }
    Curl(const Curl&) = delete;
    Curl& operator=(const Curl&) = delete;
    CURL* get() const { return handle_; }

  private:
    CURL* handle_ = nullptr;
};

struct Response {
    std::vector<uint8_t> body;
    std::string reason;  // of the last status line; empty for HTTP/2
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto& body = static_cast<Response*>(user)->body;
    try {
        body.insert(body.end(), data, data + size * count);
    } catch (const std::bad_alloc&) {
        return 0;  // libcurl turns this into CURLE_WRITE_ERROR; exceptions must not cross C
    }
    return size * count;
}

// Keeps the reason phrase of the last status line ("HTTP/1.1 404 Not Found").
size_t on_header(char* data, size_t size, size_t count, void* user) {
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        auto& reason = static_cast<Response*>(user)->reason;
        reason.clear();
        if (auto code = line.find(' '); code != line.npos) {
            if (auto text = line.find(' ', code + 1); text != line.npos) {
                reason = line.substr(text + 1);
                while (!reason.empty() && (reason.back() == '\r' || reason.back() == '\n'))
                    reason.pop_back();
            }
        }
    }
    return size * count;
}

// HTTP/2 has no reason phrases; these are the ones a tile server plausibly sends.
const char* standard_reason(long code) {
    switch (code) {
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 408:
            return "Request Timeout";
        case 410:
            return "Gone";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return code >= 500 ? "server error" : "client error";
    }
}

struct Failure {
    FetchFailure kind;
    std::string sentence;
};

// The kind of a libcurl failure and a sentence saying what to check where we can tell.
Failure describe(CURLcode code, const char* detail, const FetchOptions& options) {
    const std::string details = *detail ? detail : curl_easy_strerror(code);
    switch (code) {
        case CURLE_COULDNT_CONNECT:
            return {FetchFailure::unreachable, "server not reachable (is it running? is the address right?)"};
        case CURLE_COULDNT_RESOLVE_HOST:
            return {FetchFailure::unreachable, "unknown host (is the address right? is the network up?)"};
        case CURLE_COULDNT_RESOLVE_PROXY:
            return {FetchFailure::unreachable,
                    "unknown proxy host (check the http_proxy/https_proxy variables)"};
        case CURLE_OPERATION_TIMEDOUT: {
            // libcurl's own message is the one place that says which phase ran out of time
            // (timings cannot tell: a reused connection reports a connect time of 0).
            const std::string_view phase(detail);
            if (phase.starts_with("Resolving") || phase.starts_with("Connection")) {
                return {FetchFailure::unreachable, "server not reachable: no connection within " +
                                                       std::to_string(options.connect_timeout_s) +
                                                       " s (is the address right? a firewall?)"};
            }
            return {FetchFailure::timeout,
                    "timed out: not complete after " + std::to_string(options.timeout_s) + " s"};
        }
        case CURLE_PEER_FAILED_VERIFICATION:
            return {FetchFailure::tls, "the server's certificate is not trusted (" + details +
                                           "); give its CA with --ca-file, or check the host name"};
        case CURLE_SSL_CACERT_BADFILE:
            return {FetchFailure::tls, "cannot use the CA file '" + options.ca_file +
                                           "' (missing or not PEM?); give a PEM file with --ca-file"};
        case CURLE_SSL_CONNECT_ERROR:
            return {FetchFailure::tls, "TLS handshake failed (" + details +
                                           "); is it an https server? does --ca-file hold its CA?"};
        case CURLE_PARTIAL_FILE:
            return {FetchFailure::other,
                    "truncated: the server closed the connection early (" + details + ")"};
        case CURLE_UNSUPPORTED_PROTOCOL:
            return {FetchFailure::other, "only http:// and https:// are supported (" + details + ")"};
        case CURLE_URL_MALFORMAT:
            return {FetchFailure::other, "malformed URL (" + details + ")"};
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
            return {FetchFailure::unreachable, "connection lost (" + details + ")"};
        case CURLE_BAD_CONTENT_ENCODING:
            return {FetchFailure::other, "the server sent badly compressed data"};
        case CURLE_WRITE_ERROR:
            return {FetchFailure::other, "out of memory"};
        default:
            return {FetchFailure::other, details};
    }
}

// The error for an HTTP status >= 400: 401 and 403 say what the credentials were
// missing; the others keep the server's words ("HTTP 404 Not Found").
FetchError http_error(std::string_view uri, long status, const std::string& reason, bool sent_credentials) {
    const std::string shown = display_uri(uri);
    if (status == 401) {
        if (sent_credentials) {
            return FetchError("the server refused the user name or password (HTTP 401) for " + shown +
                                  "; check the credentials file (one line user:password)",
                              FetchFailure::unauthorized, status);
        }
        return FetchError("the server asks for a user name and password (HTTP 401) for " + shown +
                              "; give them with --credentials FILE (one line user:password)",
                          FetchFailure::unauthorized, status);
    }
    if (status == 403) {
        if (sent_credentials) {
            return FetchError("this account may not read " + shown +
                                  " (HTTP 403); open a twin it may read, or ask the town's IT for access",
                              FetchFailure::forbidden, status);
        }
        return FetchError("the server forbids reading " + shown + " (HTTP 403)", FetchFailure::forbidden,
                          status);
    }
    const std::string text = "cannot load '" + shown + "': HTTP " + std::to_string(status) + " " +
                             (reason.empty() ? standard_reason(status) : reason);
    return FetchError(text, status == 404 || status == 410 ? FetchFailure::not_found : FetchFailure::other,
                      status);
}

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::vector<uint8_t> fetch_http(std::string_view uri, const FetchOptions& options) {
    thread_local Curl curl;
    CURL* c = curl.get();
    curl_easy_reset(c);  // forgets the options, keeps the connection cache

    Response response;
    char detail[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // signals and worker threads do not mix
    // Redirects are followed here, not by libcurl, so that credentials go only to their
    // origin: once a redirect leaves it, they are not sent again, even on the way back.
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85 deprecates the bitmask form
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_s);
    // Certificates are always verified (libcurl's default, stated so that it stays so).
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
    // Tile servers often store content gzip-compressed; "" accepts every built-in encoding.
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "zwilling");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response);

    std::string url(uri);
    bool credentials = options.credentials && !options.credentials_origin.empty() &&
                       uri_origin(url) == options.credentials_origin;
    long status = 0;
    for (long redirects = 0;; ++redirects) {
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        if (credentials) {
            curl_easy_setopt(c, CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC));
            curl_easy_setopt(c, CURLOPT_USERNAME, options.credentials->user.c_str());
            curl_easy_setopt(c, CURLOPT_PASSWORD, options.credentials->password.c_str());
        } else {
            curl_easy_setopt(c, CURLOPT_USERNAME, nullptr);
            curl_easy_setopt(c, CURLOPT_PASSWORD, nullptr);
        }
        response = {};
        detail[0] = 0;
        const CURLcode result = curl_easy_perform(c);
        if (result != CURLE_OK) {
            curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);  // lives on this stack frame
            const Failure f = describe(result, detail, options);
            fail_fetch(f.kind, 0, "cannot load '" + display_uri(uri) + "': " + f.sentence);
        }
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        char* location = nullptr;
        if (!is_redirect(status) || curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) != CURLE_OK ||
            !location)
            break;
        if (redirects == max_redirects) {
            curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
            fail_fetch(FetchFailure::other, status,
                       "cannot load '" + display_uri(uri) + "': more than " + std::to_string(max_redirects) +
                           " redirects (a redirect loop?)");
        }
        url = location;
        if (uri_origin(url) != options.credentials_origin) credentials = false;
    }
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);

    if (status >= 400) throw http_error(uri, status, response.reason, credentials);
    // libcurl reports a short body as CURLE_PARTIAL_FILE; this catches what slips past
    // (counts are of the bytes on the wire, before any decompression).
    curl_off_t expected = -1, received = 0;
    curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &received);
    if (expected >= 0 && received != expected) {
        fail_fetch(FetchFailure::other, status,
                   "cannot load '" + display_uri(uri) + "': truncated (" + std::to_string(received) + " of " +
                       std::to_string(expected) + " bytes)");
    }
    return std::move(response.body);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
    return out;
}

}  // namespace

std::string uri_origin(std::string_view uri) {
    const size_t separator = uri.find("://");
    if (separator == std::string_view::npos) return "";
    const std::string scheme = lower(uri.substr(0, separator));
    long port = 0;
    if (scheme == "http") {
        port = 80;
    } else if (scheme == "https") {
        port = 443;
    } else {
        return "";
    }
    std::string_view authority = uri.substr(separator + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    std::string_view host = authority, port_text;
    if (authority.starts_with('[')) {  // an IPv6 literal: "[::1]:8443"
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) return "";
        host = authority.substr(0, close + 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after[0] != ':') return "";
        if (!after.empty()) port_text = after.substr(1);
    } else if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port_text = authority.substr(colon + 1);
    }
    if (host.empty()) return "";
    if (!port_text.empty()) {
        long p = 0;
        for (char ch : port_text) {
            if (ch < '0' || ch > '9') return "";
            p = p * 10 + (ch - '0');
            if (p > 65535) return "";
        }
        if (p == 0) return "";
        port = p;
    }
    return scheme + "://" + lower(host) + ":" + std::to_string(port);
}

std::vector<uint8_t> fetch(std::string_view uri, const FetchOptions& options) {
    if (uri.empty()) fail_fetch(FetchFailure::other, 0, "cannot load a tile: its URI is empty");
    if (const std::string path = file_path_of(uri); !path.empty()) return read_file(path);
    if (is_http(uri)) return fetch_http(uri, options);
    fail_fetch(FetchFailure::other, 0,
               "cannot load '" + display_uri(uri) +
                   "': unsupported URI (use a file path, file://, http:// or https://)");
}

}  // namespace zw::core
