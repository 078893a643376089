#include "engine/core/uri.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <vector>

namespace zw::core {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    }
    return true;
}

// The length of the scheme of `s` ("http" in "http://x"), 0 when it has none. A single
// letter is taken for a Windows drive ("C:/data"), not a scheme.
size_t scheme_length(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return 0;
    for (size_t i = 1; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ':') return i >= 2 ? i : 0;
        if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return 0;
    }
    return 0;
}

// RFC 3986 appendix B: scheme ":" "//" authority path "?" query "#" fragment.
struct UriParts {
    std::string_view scheme, authority, path, query, fragment;
    bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

UriParts split_uri(std::string_view s) {
    UriParts u;
    if (const size_t n = scheme_length(s); n > 0) {
        u.scheme = s.substr(0, n);
        u.has_scheme = true;
        s.remove_prefix(n + 1);
    }
    if (const size_t hash = s.find('#'); hash != std::string_view::npos) {
        u.fragment = s.substr(hash + 1);
        u.has_fragment = true;
        s = s.substr(0, hash);
    }
    if (const size_t q = s.find('?'); q != std::string_view::npos) {
        u.query = s.substr(q + 1);
        u.has_query = true;
        s = s.substr(0, q);
    }
    if (s.starts_with("//")) {
        s.remove_prefix(2);
        const size_t slash = s.find('/');
        u.authority = s.substr(0, slash);
        u.has_authority = true;
        s = slash == std::string_view::npos ? std::string_view{} : s.substr(slash);
    }
    u.path = s;
    return u;
}

std::string join_uri(const UriParts& u, const std::string& path) {
    std::string out;
    if (u.has_scheme) out.append(u.scheme).append(":");
    if (u.has_authority) out.append("//").append(u.authority);
    out += path;
    if (u.has_query) out.append("?").append(u.query);
    if (u.has_fragment) out.append("#").append(u.fragment);
    return out;
}

// Drops the last segment of `out` and the slash before it (RFC 3986 5.2.4, step 2C).
void pop_segment(std::string& out) {
    const size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
}

// RFC 3986 5.2.4, verbatim: empty segments are kept, ".." above the top is dropped.
std::string remove_dot_segments(std::string_view in) {
    std::string out;
    while (!in.empty()) {
        if (in.starts_with("../")) {
            in.remove_prefix(3);
        } else if (in.starts_with("./")) {
            in.remove_prefix(2);
        } else if (in.starts_with("/./")) {
            in.remove_prefix(2);
        } else if (in == "/.") {
            in = "/";
        } else if (in.starts_with("/../")) {
            in.remove_prefix(3);
            pop_segment(out);
        } else if (in == "/..") {
            in = "/";
            pop_segment(out);
        } else if (in == "." || in == "..") {
            in = {};
        } else {
            const size_t end = in.find('/', in[0] == '/' ? 1 : 0);
            const size_t n = end == std::string_view::npos ? in.size() : end;
            out.append(in.substr(0, n));
            in.remove_prefix(n);
        }
    }
    return out;
}

// Removes "." and ".." from a file path. Unlike URIs, a relative path keeps the ".."
// that climb above its start ("../x" stays "../x"), and repeated slashes collapse.
std::string normalize_path(std::string_view path) {
    const bool absolute = path.starts_with('/');
    std::vector<std::string_view> segments;
    while (!path.empty()) {
        const size_t slash = path.find('/');
        const std::string_view seg = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        if (seg.empty() || seg == ".") continue;
        if (seg == "..") {
            if (!segments.empty() && segments.back() != "..") {
                segments.pop_back();
            } else if (!absolute) {
                segments.push_back(seg);
            }
            continue;
        }
        segments.push_back(seg);
    }
    std::string out = absolute ? "/" : "";
    for (size_t i = 0; i < segments.size(); ++i) {
        if (i > 0) out += '/';
        out.append(segments[i]);
    }
    if (out.empty()) out = ".";
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A file URI on another host ("file://server/share/x"): a network share this viewer
// cannot open. No host and "localhost" are this machine.
bool names_remote_host(const UriParts& u) {
    return u.has_authority && !u.authority.empty() && !starts_with_nocase(u.authority, "localhost");
}

}  // namespace

bool is_http(std::string_view uri) {
    return starts_with_nocase(uri, "http://") || starts_with_nocase(uri, "https://");
}

bool is_file_uri(std::string_view uri) {
    return starts_with_nocase(uri, "file:");
}

std::string normalize_uri(std::string_view path_or_uri) {
    if (path_or_uri.empty()) return {};
    if (is_file_uri(path_or_uri)) {
        UriParts u = split_uri(path_or_uri);
        if (!names_remote_host(u)) u.authority = {};
        u.has_authority = true;  // "file:/x" and "file://localhost/x" become "file:///x"
        u.scheme = "file";
        return join_uri(u, remove_dot_segments(u.path));
    }
    if (scheme_length(path_or_uri) > 0) return std::string(path_or_uri);  // http(s), data, ...
    std::error_code ec;
    std::filesystem::path p = std::filesystem::absolute(std::filesystem::path(path_or_uri), ec);
    if (ec) return std::string(path_or_uri);
    return p.lexically_normal().generic_string();
}

std::string resolve_uri(std::string_view base, std::string_view reference) {
    if (scheme_length(reference) > 0) return std::string(reference);
    const UriParts b = split_uri(base);

    if (!b.has_scheme) {
        // A plain file path: the result names a file, so the reference (a URI, with
        // escapes and perhaps a query) becomes a path: decoded, without query or fragment.
        const UriParts r = split_uri(reference);
        const std::string ref_path = percent_decode(r.path);
        if (ref_path.empty()) return std::string(base);
        if (ref_path.starts_with('/') || r.has_authority) return normalize_path(ref_path);
        const size_t slash = b.path.rfind('/');
        const std::string dir =
            slash == std::string_view::npos ? "" : std::string(b.path.substr(0, slash + 1));
        return normalize_path(dir + ref_path);
    }

    // RFC 3986 5.2.2.
    const UriParts r = split_uri(reference);
    UriParts t;
    t.scheme = b.scheme;
    t.has_scheme = true;
    t.fragment = r.fragment;
    t.has_fragment = r.has_fragment;
    std::string path;
    if (r.has_authority) {
        t.authority = r.authority;
        t.has_authority = true;
        path = remove_dot_segments(r.path);
        t.query = r.query;
        t.has_query = r.has_query;
        return join_uri(t, path);
    }
    t.authority = b.authority;
    t.has_authority = b.has_authority;
    if (r.path.empty()) {
        path = std::string(b.path);
        t.query = r.has_query ? r.query : b.query;
        t.has_query = r.has_query || b.has_query;
    } else {
        if (r.path.starts_with('/')) {
            path = remove_dot_segments(r.path);
        } else {
            std::string merged;
            if (b.has_authority && b.path.empty()) {
                merged = "/";
            } else if (const size_t slash = b.path.rfind('/'); slash != std::string_view::npos) {
                merged = std::string(b.path.substr(0, slash + 1));
            }
            merged.append(r.path);
            path = remove_dot_segments(merged);
        }
        t.query = r.query;
        t.has_query = r.has_query;
    }
    return join_uri(t, path);
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];  // a stray '%' is kept as it is
    }
    return out;
}

std::string file_path_of(std::string_view uri) {
    if (is_file_uri(uri)) {
        const UriParts u = split_uri(uri);
        return names_remote_host(u) ? std::string{} : percent_decode(u.path);
    }
    if (scheme_length(uri) > 0) return {};
    return std::string(uri);
}

bool uri_inside(std::string_view root, std::string_view uri) {
    if (root.empty() || !root.ends_with('/') || !uri.starts_with(root)) return false;
    std::string_view rest = uri.substr(root.size());
    if (scheme_length(root) > 0) rest = rest.substr(0, rest.find_first_of("?#"));
    const std::string path = scheme_length(root) > 0 ? percent_decode(rest) : std::string(rest);
    if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) return false;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = std::min(path.find('/', start), path.size());
        const std::string_view seg(path.data() + start, slash - start);
        if (seg == "." || seg == "..") return false;
        start = slash + 1;
    }
    return true;
}

std::string uri_folder(std::string_view uri) {
    const std::string_view path = scheme_length(uri) > 0 ? uri.substr(0, uri.find_first_of("?#")) : uri;
    const size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string("./") : std::string(path.substr(0, slash + 1));
}

std::string display_uri(std::string_view uri) {
    if (scheme_length(uri) == 0) return std::string(uri);  // a plain path: '?' is part of the name
    if (starts_with_nocase(uri, "data:")) {
        return uri.size() > 48 ? std::string(uri.substr(0, 45)) + "..." : std::string(uri);
    }
    UriParts u = split_uri(uri);
    if (const size_t at = u.authority.rfind('@'); at != std::string_view::npos) {
        u.authority.remove_prefix(at + 1);
    }
    u.has_query = false;
    u.has_fragment = false;
    return join_uri(u, std::string(u.path));
}

}  // namespace zw::core
