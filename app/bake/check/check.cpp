// twin.json checks; each layer's tileset goes through the tileset walk (tileset_check.cpp).
// The leak scan is in leak_scan.cpp.
#include "app/bake/check/check.h"

#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "app/bake/bundle.h"
#include "app/bake/check/tileset_check.h"

namespace zw::bake::check {

namespace {

// ---- twin.json ----------------------------------------------------------------------------

// The lowest twin allowed to hold a layer or a class's attribute (docs/twin-bundle.md).
int twin_level(const std::string& twin_id) {
    if (twin_id == "citizen") return 0;
    if (twin_id == "council") return 1;
    if (twin_id == "administration") return 2;
    return -1;
}

std::optional<int> layer_level(const std::string& layer) {
    static const std::map<std::string, int> levels{{"terrain", 0}, {"buildings", 0}, {"roads", 0},
                                                   {"water", 0},   {"planning", 1},  {"utilities", 2}};
    const auto it = levels.find(layer);
    if (it == levels.end()) return std::nullopt;
    return it->second;
}

std::optional<int> attribute_level(const std::string& cls, const std::string& attr) {
    static const std::map<std::string, std::map<std::string, int>> levels{
        {"building",
         {{"residents", 1}, {"owner_category", 2}, {"critical_infrastructure", 2}, {"last_inspection", 2}}},
        {"planned_building",
         {{"id", 1}, {"plan", 1}, {"use", 1}, {"storeys", 1}, {"height_m", 1}, {"status", 1}}},
        {"utility",
         {{"id", 2}, {"network", 2}, {"material", 2}, {"diameter_mm", 2}, {"year_laid", 2}, {"depth_m", 2}}},
    };
    const auto c = levels.find(cls);
    if (c == levels.end()) return std::nullopt;
    const auto a = c->second.find(attr);
    if (a == c->second.end()) return std::nullopt;
    return a->second;
}

class ManifestChecker {
  public:
    ManifestChecker(std::vector<Finding>& findings) : findings_(findings) {}

    void add(const std::string& message) { findings_.push_back({"twin.json", message}); }

    // The value at a dotted path of nested objects, or null.
    const json& at(const json& j, const std::string& dotted) {
        const json* cur = &j;
        std::stringstream s(dotted);
        std::string part;
        static const json none;
        while (std::getline(s, part, '.')) {
            if (!cur->is_object() || !cur->contains(part)) return none;
            cur = &(*cur)[part];
        }
        return *cur;
    }

    void require_string(const json& j, const std::string& key, const std::string& where = "") {
        const json& v = at(j, key);
        if (!v.is_string() || v.get<std::string>().empty())
            add(where + key + " is missing or not a non-empty string" + (v.is_null() ? "" : ": " + v.dump()));
    }
    void require_number(const json& j, const std::string& key, const std::string& where = "") {
        if (!is_finite_number(at(j, key))) add(where + key + " is missing or not a finite number");
    }
    void require_bool(const json& j, const std::string& key, const std::string& where = "") {
        if (!at(j, key).is_boolean()) add(where + key + " is missing or not true/false");
    }
    void require_one_of(const json& j, const std::string& key, const std::set<std::string>& allowed,
                        const std::string& where = "") {
        const json& v = at(j, key);
        if (!v.is_string() || !allowed.count(v.get<std::string>())) {
            std::string list;
            for (const auto& a : allowed)
                list += (list.empty() ? "" : ", ") + a;
            add(where + key + " is " + (v.is_null() ? "missing" : v.dump()) + "; it must be one of " + list);
        }
    }

  private:
    std::vector<Finding>& findings_;
};

void merge(CheckReport& into, CheckReport&& from) {
    for (auto& f : from.findings)
        into.findings.push_back(std::move(f));
    into.tilesets += from.tilesets;
    into.tiles += from.tiles;
    into.glbs += from.glbs;
}

}  // namespace

CheckReport check_twin(const fs::path& twin_dir) {
    CheckReport report;
    ManifestChecker m(report.findings);
    std::string error;
    const auto text = read_file(twin_dir / "twin.json", error);
    if (!text) {
        m.add("twin.json " + error + "; every twin folder starts with one");
        return report;
    }
    json t;
    try {
        t = json::parse(*text);
    } catch (const json::exception& e) {
        m.add(std::string("is not valid JSON: ") + e.what());
        return report;
    }
    if (!t.is_object()) {
        m.add("is not a JSON object");
        return report;
    }
    if (t.value("format", std::string()) != "zwilling-twin") m.add("format is not \"zwilling-twin\"");
    if (!t.contains("format_version") || !t["format_version"].is_number_integer() || t["format_version"] != 1)
        m.add("format_version is not the integer 1");
    m.require_one_of(t, "twin.id", {"citizen", "council", "administration"});
    m.require_one_of(t, "twin.audience", {"public", "council", "staff"});
    const std::string twin_id = m.at(t, "twin.id").is_string() ? m.at(t, "twin.id").get<std::string>() : "";
    const std::string audience =
        m.at(t, "twin.audience").is_string() ? m.at(t, "twin.audience").get<std::string>() : "";
    static const std::map<std::string, std::string> audience_of{
        {"citizen", "public"}, {"council", "council"}, {"administration", "staff"}};
    if (audience_of.count(twin_id) && !audience.empty() && audience_of.at(twin_id) != audience)
        m.add("twin.audience '" + audience + "' does not go with twin.id '" + twin_id + "'");
    for (const char* k : {"twin.title_de", "twin.title_en", "town.name", "town.description_de",
                          "town.description_en", "crs.horizontal", "crs.vertical"})
        m.require_string(t, k);
    m.require_bool(t, "town.synthetic");
    if (!m.at(t, "town.seed").is_null() && !m.at(t, "town.seed").is_number_integer())
        m.add("town.seed is not an integer");
    if (!m.at(t, "town.recipe").is_null() && !m.at(t, "town.recipe").is_string())
        m.add("town.recipe is not a string");
    if (m.at(t, "crs.horizontal").is_string() && m.at(t, "crs.horizontal") != "EPSG:25832")
        m.add("crs.horizontal is " + m.at(t, "crs.horizontal").dump() +
              ", the bundle format says \"EPSG:25832\"");
    for (const char* k : {"crs.geoid_undulation_m", "origin.easting", "origin.northing", "origin.height",
                          "origin.lat_deg", "origin.lon_deg"})
        m.require_number(t, k);
    {
        const json& ecef = m.at(t, "origin.ecef");
        bool ok = ecef.is_array() && ecef.size() == 3;
        for (size_t i = 0; ok && i < 3; ++i)
            ok = is_finite_number(ecef[i]);
        if (!ok) m.add("origin.ecef is not an array of 3 finite numbers");
    }

    std::set<std::string> layer_ids;
    const json& layers = member(t, "layers");
    if (!layers.is_array()) {
        m.add("layers is missing or not an array");
    } else {
        for (size_t i = 0; i < layers.size(); ++i) {
            const json& l = layers[i];
            std::string where = "layers[" + std::to_string(i) + "]";
            if (!l.is_object()) {
                m.add(where + " is not an object");
                continue;
            }
            const std::string id = l.value("id", std::string());
            // The rules of the bake and the server (app/bake/bundle.h): a layer's id is its
            // folder, never a name the bundle reserves (`scenarios` is every department's).
            if (const std::string problem = layer_id_problem(id); !problem.empty())
                m.add(where + ".id " + member(l, "id").dump() + " " + problem);
            else if (!layer_ids.insert(id).second)
                m.add(where + ".id '" + id + "' is used by two layers");
            if (!id.empty()) where += " (" + id + ")";
            m.require_string(l, "title_de", where + ".");
            m.require_string(l, "title_en", where + ".");
            m.require_one_of(l, "group", {"base", "planning", "infrastructure", "import"}, where + ".");
            m.require_bool(l, "default_visible", where + ".");
            if (l.contains("class") && (!l["class"].is_string() || l["class"].get<std::string>().empty()))
                m.add(where + ".class is not a non-empty string");
            const std::string cls = l.value("class", std::string());
            if (const auto lv = layer_level(id); lv && twin_level(twin_id) >= 0 && *lv > twin_level(twin_id))
                m.add(where + ": the " + twin_id + " twin may not hold layer '" + id + "'");

            LayerRules rules;
            rules.active = true;
            rules.layer_class = cls;
            const json& attrs = member(l, "attributes");
            if (!cls.empty() && !attrs.is_array()) m.add(where + ".attributes is missing or not an array");
            for (size_t a = 0; a < attrs.size() && attrs.is_array(); ++a) {
                const std::string aw = where + ".attributes[" + std::to_string(a) + "].";
                const json& attr = attrs[a];
                m.require_string(attr, "name", aw);
                m.require_one_of(attr, "type", {"string", "int32", "float64"}, aw);
                m.require_string(attr, "title_de", aw);
                m.require_string(attr, "title_en", aw);
                const std::string name = attr.is_object() ? attr.value("name", std::string()) : "";
                if (!name.empty() && !rules.attributes.insert(name).second)
                    m.add(aw + "name '" + name + "' is listed twice");
                if (const auto al = attribute_level(cls, name);
                    al && twin_level(twin_id) >= 0 && *al > twin_level(twin_id))
                    m.add(where + ": the " + twin_id + " twin may not hold attribute '" + name +
                          "' of class '" + cls + "'");
            }
            const json& legend = member(l, "legend");
            if (!legend.is_array()) m.add(where + ".legend is missing or not an array");
            for (size_t e = 0; e < legend.size() && legend.is_array(); ++e) {
                const std::string ew = where + ".legend[" + std::to_string(e) + "].";
                const json& c = member(legend[e], "color");
                if (!c.is_string() || !is_colour(c.get<std::string>()))
                    m.add(ew + "color is not \"#rrggbb\": " + c.dump());
                m.require_string(legend[e], "label_de", ew);
                m.require_string(legend[e], "label_en", ew);
            }
            // The URIs and what they lead to.
            CheckReport sub;
            Checker checker(twin_dir, sub, rules);
            const json& ts = member(l, "tileset");
            if (!ts.is_string()) {
                m.add(where + ".tileset is missing or not a string");
            } else {
                const std::string uri = ts.get<std::string>();
                if (!id.empty() && uri.rfind(id + "/", 0) != 0)
                    m.add(where + ".tileset '" + uri + "' is not in the layer's folder '" + id + "/'");
                if (const auto path =
                        checker.resolve(uri, twin_dir, twin_dir / "twin.json", where + ".tileset"))
                    checker.tileset(*path);
            }
            if (l.contains("graph")) {
                if (!l["graph"].is_string()) {
                    m.add(where + ".graph is not a string");
                } else if (const auto g = checker.resolve(l["graph"].get<std::string>(), twin_dir,
                                                          twin_dir / "twin.json", where + ".graph")) {
                    const auto gtext = read_file(*g, error);
                    json graph;
                    try {
                        if (gtext) graph = json::parse(*gtext);
                    } catch (const json::exception&) {
                    }
                    if (!member(graph, "nodes").is_array() || !member(graph, "edges").is_array())
                        sub.findings.push_back(
                            {relative_name(*g, twin_dir),
                             "road graph is not JSON with \"nodes\" and \"edges\" arrays"});
                }
            }
            merge(report, std::move(sub));
        }
    }
    const json& departments = member(t, "departments");
    if (!departments.is_null()) {
        if (twin_id != "administration") m.add("departments is only for the administration twin");
        for (size_t d = 0; d < departments.size() && departments.is_array(); ++d) {
            const std::string dw = "departments[" + std::to_string(d) + "].";
            for (const char* k : {"id", "title_de", "title_en"})
                m.require_string(departments[d], k, dw);
            for (const json& lid : member(departments[d], "layers"))
                if (!lid.is_string() || !layer_ids.count(lid.get<std::string>()))
                    m.add(dw + "layers names " + lid.dump() + ", which is not a layer of this twin");
        }
    }
    return report;
}

}  // namespace zw::bake::check
