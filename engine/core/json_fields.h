// Reading the fields of a JSON object with messages that name them: "<what>: layers[2].tileset
// must be a string". For parsers of the project's own JSON formats (twin.json, scenario
// files); internal to the engine (nlohmann::json is not part of its public headers).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace zw::core {

// One JSON object; `what` starts every message (e.g. "twin manifest 'x/twin.json'").
class JsonFields {
  public:
    JsonFields(const nlohmann::json& j, std::string path, std::string what)
        : j_(j), path_(std::move(path)), what_(std::move(what)) {}

    std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    [[noreturn]] void error(const std::string& field, const std::string& what) const {
        fail(what_, ": ", field, " ", what);
    }

    const nlohmann::json* find(const char* key) const {
        const auto it = j_.find(key);
        return it == j_.end() || it->is_null() ? nullptr : &*it;
    }
    std::string text(const char* key, const std::string& fallback = "") const {
        const nlohmann::json* v = find(key);
        if (!v) return fallback;
        if (!v->is_string()) error(name(key), "must be a string");
        return v->get<std::string>();
    }
    std::string required_text(const char* key) const {
        const std::string s = text(key);
        if (s.empty()) error(name(key), "is missing or empty");
        return s;
    }
    bool flag(const char* key, bool fallback) const {
        const nlohmann::json* v = find(key);
        if (!v) return fallback;
        if (!v->is_boolean()) error(name(key), "must be true or false");
        return v->get<bool>();
    }
    double number(const char* key, double fallback) const {
        const nlohmann::json* v = find(key);
        if (!v) return fallback;
        if (!v->is_number()) error(name(key), "must be a number");
        return v->get<double>();
    }
    const nlohmann::json& object(const char* key) const {
        static const nlohmann::json empty = nlohmann::json::object();
        const nlohmann::json* v = find(key);
        if (!v) return empty;
        if (!v->is_object()) error(name(key), "must be an object");
        return *v;
    }
    const nlohmann::json& array(const char* key) const {
        static const nlohmann::json empty = nlohmann::json::array();
        const nlohmann::json* v = find(key);
        if (!v) return empty;
        if (!v->is_array()) error(name(key), "must be an array");
        return *v;
    }
    JsonFields child(const nlohmann::json& j, const std::string& key) const {
        if (!j.is_object()) error(name(key.c_str()), "must be an object");
        return JsonFields(j, name(key.c_str()), what_);
    }
    JsonFields element(const nlohmann::json& j, const char* key, size_t i) const {
        const std::string n = name(key) + "[" + std::to_string(i) + "]";
        if (!j.is_object()) error(n, "must be an object");
        return JsonFields(j, n, what_);
    }

  private:
    const nlohmann::json& j_;
    std::string path_;
    std::string what_;
};

}  // namespace zw::core
