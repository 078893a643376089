// The tileset walk: one Checker per tileset tree (and its external tilesets), adding a
// Finding per problem. Internal to zw_bake_check; check.h is the contract.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/bake/check/check.h"
#include "app/bake/check/check_util.h"
#include "app/bake/check/glb_read.h"

namespace zw::bake::check {

namespace fs = std::filesystem;

struct LayerRules {
    bool active = false;               // checks a layer of a twin (from check_twin)
    std::string layer_class;           // empty: no feature table expected (terrain)
    std::set<std::string> attributes;  // the property-table columns the twin may hold
};

class Checker {
  public:
    // `root`: the folder URIs must stay inside and Finding::file is relative to. `rules`
    // must outlive the Checker.
    Checker(const fs::path& root, CheckReport& report, const LayerRules& rules)
        : root_(fs::absolute(root).lexically_normal()), report_(report), rules_(rules) {}

    void add(const fs::path& file, const std::string& message) {
        report_.findings.push_back({relative_name(file, root_), message});
    }

    // Resolves a relative URI against `base_dir`; nullopt (and a finding in `file`) where
    // it is not relative, leaves the root, or names no file.
    std::optional<fs::path> resolve(const std::string& uri, const fs::path& base_dir, const fs::path& file,
                                    const std::string& where);
    // Checks a tileset.json and everything it references.
    void tileset(const fs::path& path);

  private:
    struct Parent {
        std::optional<double> error;
        std::optional<BoxFrame> box;  // in the parent's frame
    };

    void flush(const fs::path& file, const std::string& where) {
        for (const auto& p : problems_)
            add(file, where + ": " + p);
        problems_.clear();
    }
    void tile(const json& t, const std::string& where, const fs::path& file, const Parent* parent,
              const std::string& inherited_refine, int depth);
    // Checks a glb: container, accessors, budgets, feature ids and property-table columns
    // (where `rules_` is active), and its content against `tile_box` (in glb_check.cpp).
    void glb(const fs::path& path, const BoxFrame* tile_box);

    fs::path root_;
    CheckReport& report_;
    const LayerRules& rules_;
    std::set<fs::path> open_tilesets_;   // the chain of external tilesets being checked
    std::vector<std::string> problems_;  // from the JSON number readers, until flush()
};

}  // namespace zw::bake::check
