// URIs as tilesets use them: plain file paths, file:// URIs and http(s):// URLs, and
// relative references resolved against the URI of the file that holds them.
#pragma once

#include <string>
#include <string_view>

namespace zw::core {

bool is_http(std::string_view uri);      // http:// or https:// (case-insensitive scheme)
bool is_file_uri(std::string_view uri);  // file://

// A path or URI as given on a command line: http(s) and file URIs are kept (file URIs
// normalised), plain paths are made absolute. Never throws.
std::string normalize_uri(std::string_view path_or_uri);

// Resolves `reference` against `base` (RFC 3986 section 5.2): an absolute reference
// (with a scheme, or a data: URI) is returned as is; otherwise it replaces the last
// path segment of `base`, `.` and `..` segments are removed, and the query of
// `reference` is kept. Percent escapes are kept as they are. For plain-path bases the
// result is a plain path (a file name): the reference is percent-decoded and its query
// and fragment dropped, so "a%20b.glb" next to "/d/tileset.json" is "/d/a b.glb".
std::string resolve_uri(std::string_view base, std::string_view reference);

// Percent-decodes a path (for turning file URIs and relative references into file names).
std::string percent_decode(std::string_view s);

// The local file path of a plain path or file:// URI ("" for http and other schemes).
std::string file_path_of(std::string_view uri);

// Whether `uri` (resolved, as resolve_uri returns it) lies inside `root` (a folder URI
// or path ending in '/'): it starts with `root`, and its path below `root`, percent-
// decoded, has no "." or ".." segment, backslash or NUL (which a server or the file
// system would act on: "%2e%2e/" climbs out just like "../").
bool uri_inside(std::string_view root, std::string_view uri);

// The folder of a URI or path, ending in '/': "https://h/a/twin.json" -> "https://h/a/".
std::string uri_folder(std::string_view uri);

// The part of a URI shown in messages: the URI without userinfo and query.
std::string display_uri(std::string_view uri);

}  // namespace zw::core
