// Telling a tileset.json from other JSON without parsing all of it.
#include <cctype>

#include <nlohmann/json.hpp>

#include "engine/tiles/tileset.h"

namespace zw::tiles {
namespace {

using json = nlohmann::json;

// Reads top-level keys until it has seen "asset" and "root", without building a DOM.
class TopLevelKeys : public nlohmann::json_sax<json> {
  public:
    bool asset = false, root = false;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override {
        ++depth_;
        return true;
    }
    bool key(string_t& k) override {
        if (depth_ == 1) {
            asset = asset || k == "asset";
            root = root || k == "root";
        }
        return !(asset && root);  // stop early: the rest does not matter
    }
    bool end_object() override {
        --depth_;
        return true;
    }
    bool start_array(std::size_t) override {
        ++depth_;
        return depth_ > 1;  // a top-level array is no tileset
    }
    bool end_array() override {
        --depth_;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

  private:
    bool value() const { return depth_ > 0; }
    int depth_ = 0;
};

}  // namespace

bool looks_like_tileset_json(std::span<const uint8_t> bytes) {
    size_t i = 0;
    if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) i = 3;  // UTF-8 BOM
    while (i < bytes.size() && std::isspace(bytes[i])) {
        ++i;
    }
    if (i == bytes.size() || bytes[i] != '{') return false;
    TopLevelKeys keys;
    json::sax_parse(bytes.begin() + static_cast<std::ptrdiff_t>(i), bytes.end(), &keys);
    return keys.asset && keys.root;
}

}  // namespace zw::tiles
