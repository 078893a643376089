// load_manifest: the one part of engine/twin that does I/O (kept apart so that the
// parser can be fuzzed without libcurl).
#include "engine/twin/manifest.h"

namespace zw::twin {

Manifest load_manifest(const std::string& given, const core::FetchOptions& fetch) {
    const std::string uri = manifest_uri(given);
    const std::vector<uint8_t> bytes = core::fetch(uri, fetch);
    return parse_manifest(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), uri);
}

}  // namespace zw::twin
