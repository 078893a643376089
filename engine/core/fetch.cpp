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

std::vector<uint8_t> read_file(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) fail("cannot read '", path, "': no such file");
    if (std::filesystem::is_directory(status)) fail("cannot read '", path, "': is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read '", path, "': ", std::strerror(errno));
    // Read to the end rather than trusting the size: files may grow or be special files.
    std::vector<uint8_t> bytes;
    if (const auto size = std::filesystem::file_size(path, ec); !ec) bytes.reserve(size);
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        bytes.insert(bytes.end(), buffer, buffer + in.gcount());
        if (!in) break;
    }
    if (in.bad()) fail("cannot read '", path, "': read error");
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

// A sentence for a libcurl failure, saying what to check where we can tell.
std::string describe(CURLcode code, const char* detail, const FetchOptions& options) {
    const std::string details = *detail ? detail : curl_easy_strerror(code);
    switch (code) {
        case CURLE_COULDNT_CONNECT:
            return "server not reachable (is it running? is the address right?)";
        case CURLE_COULDNT_RESOLVE_HOST:
            return "unknown host (is the address right? is the network up?)";
        case CURLE_COULDNT_RESOLVE_PROXY:
            return "unknown proxy host (check the http_proxy/https_proxy variables)";
        case CURLE_OPERATION_TIMEDOUT: {
            // libcurl's own message is the one place that says which phase ran out of time
            // (timings cannot tell: a reused connection reports a connect time of 0).
            const std::string_view phase(detail);
            if (phase.starts_with("Resolving") || phase.starts_with("Connection")) {
                return "server not reachable: no connection within " +
                       std::to_string(options.connect_timeout_s) + " s (is the address right? a firewall?)";
            }
            return "timed out: not complete after " + std::to_string(options.timeout_s) + " s";
        }
        case CURLE_PEER_FAILED_VERIFICATION:
            return "TLS certificate not trusted (pass --ca-file?): " + details;
        case CURLE_SSL_CACERT_BADFILE:
            return "cannot use the CA file '" + options.ca_file + "' (missing or not PEM?)";
        case CURLE_SSL_CONNECT_ERROR:
            return "TLS handshake failed: " + details;
        case CURLE_PARTIAL_FILE:
            return "truncated: the server closed the connection early (" + details + ")";
        case CURLE_TOO_MANY_REDIRECTS:
            return "more than " + std::to_string(max_redirects) + " redirects (a redirect loop?)";
        case CURLE_UNSUPPORTED_PROTOCOL:
            return "only http:// and https:// are supported (" + details + ")";
        case CURLE_URL_MALFORMAT:
            return "malformed URL (" + details + ")";
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
            return "connection lost (" + details + ")";
        case CURLE_BAD_CONTENT_ENCODING:
            return "the server sent badly compressed data";
        case CURLE_WRITE_ERROR:
            return "out of memory";
        default:
            return details;
    }
}

std::vector<uint8_t> fetch_http(std::string_view uri, const FetchOptions& options) {
    thread_local Curl curl;
    CURL* c = curl.get();
    curl_easy_reset(c);  // forgets the options, keeps the connection cache

    const std::string url(uri);
    Response response;
    char detail[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // signals and worker threads do not mix
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, max_redirects);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85 deprecates the bitmask form
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_s);
    if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
    // Tile servers often store content gzip-compressed; "" accepts every built-in encoding.
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "zwilling");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response);

    const CURLcode result = curl_easy_perform(c);
    // The error buffer and response live on this stack frame; the handle outlives it.
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    if (result != CURLE_OK) fail("cannot load '", display_uri(uri), "': ", describe(result, detail, options));

    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 400) {
        fail("cannot load '", display_uri(uri), "': HTTP ", status, " ",
             response.reason.empty() ? standard_reason(status) : response.reason);
    }
    // libcurl reports a short body as CURLE_PARTIAL_FILE; this catches what slips past
    // (counts are of the bytes on the wire, before any decompression).
    curl_off_t expected = -1, received = 0;
    curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &received);
    if (expected >= 0 && received != expected) {
        fail("cannot load '", display_uri(uri), "': truncated (", received, " of ", expected, " bytes)");
    }
    return std::move(response.body);
}

}  // namespace

std::vector<uint8_t> fetch(std::string_view uri, const FetchOptions& options) {
    if (uri.empty()) fail("cannot load a tile: its URI is empty");
    if (const std::string path = file_path_of(uri); !path.empty()) return read_file(path);
    if (is_http(uri)) return fetch_http(uri, options);
    fail("cannot load '", display_uri(uri),
         "': unsupported URI (use a file path, file://, http:// or https://)");
}

}  // namespace zw::core
