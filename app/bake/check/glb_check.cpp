// A glb tile: container, accessors, the vertex and size budgets, feature ids and
// property-table columns, and whether its content lies inside the tile's box.
#include <functional>
#include <set>

#include "app/bake/check/tileset_check.h"

namespace zw::bake::check {

void Checker::glb(const fs::path& path, const BoxFrame* tile_box) {
    ++report_.glbs;
    std::string error;
    const auto bytes = read_file(path, error);
    if (!bytes) {
        add(path, "glb " + error);
        return;
    }
    if (bytes->size() > kMaxGlbBytes)
        add(path, "glb is " + std::to_string(bytes->size()) + " bytes, over the budget of " +
                      std::to_string(kMaxGlbBytes) + " (2 MiB)");
    Glb g;
    std::vector<std::string> problems;
    const bool ok = parse_glb(*bytes, g, problems);
    for (const auto& p : problems)
        add(path, "glb " + p);
    if (!ok) return;
    const json& j = g.json;
    if (member(member(j, "asset"), "version") != "2.0") add(path, "asset.version is not \"2.0\"");

    const json& accessors = member(j, "accessors");
    const json& views = member(j, "bufferViews");
    // Every accessor fits its buffer view, every view its buffer.
    for (size_t i = 0; i < accessors.size() && accessors.is_array(); ++i) {
        const json& a = accessors[i];
        const std::string aw = "accessors[" + std::to_string(i) + "]";
        const size_t elem =
            component_size(member(a, "componentType").is_number() ? a["componentType"].get<int>() : 0) *
            component_count(a.value("type", std::string()));
        const json& count_j = member(a, "count");
        if (elem == 0 || (!count_j.is_number_unsigned() && !count_j.is_number_integer())) {
            add(path, aw + " has no valid componentType, type or count");
            continue;
        }
        if (!a.contains("bufferView")) continue;
        const auto v = index_in(a["bufferView"], views);
        if (!v) {
            add(path, aw + " refers to a buffer view that does not exist");
            continue;
        }
        std::string problem;
        const auto view_bytes = buffer_view_bytes(g, json(*v), problem);
        if (!view_bytes) {
            add(path, aw + " " + problem);
            continue;
        }
        const int64_t count = count_j.get<int64_t>();
        const uint64_t stride = views[*v].value("byteStride", uint64_t{elem});
        const uint64_t offset = a.value("byteOffset", uint64_t{0});
        if (count > 0 && offset + stride * static_cast<uint64_t>(count - 1) + elem > view_bytes->size())
            add(path, aw + " (" + std::to_string(count) + " elements) does not fit in buffer view " +
                          std::to_string(*v));
    }

    // Primitives: the vertex budget, POSITION bounds, feature ids and their table.
    const json& meshes = member(j, "meshes");
    std::vector<std::vector<std::optional<Box>>> prim_bounds;  // glTF frame, per mesh and primitive
    const json& md_ext = member(member(j, "extensions"), "EXT_structural_metadata");
    const size_t table_count = member(md_ext, "propertyTables").size();
    for (size_t m = 0; m < meshes.size() && meshes.is_array(); ++m) {
        prim_bounds.emplace_back();
        const json& prims = member(meshes[m], "primitives");
        for (size_t p = 0; p < prims.size() && prims.is_array(); ++p) {
            prim_bounds.back().emplace_back();
            const std::string pw = "meshes[" + std::to_string(m) + "].primitives[" + std::to_string(p) + "]";
            const json& attrs = member(prims[p], "attributes");
            const auto pos = index_in(member(attrs, "POSITION"), accessors);
            if (!pos) {
                add(path, pw + " has no POSITION accessor");
                continue;
            }
            const json& acc = accessors[*pos];
            const uint64_t count = acc.value("count", uint64_t{0});
            if (count > kMaxVertices)
                add(path, pw + " has " + std::to_string(count) + " vertices, over the budget of " +
                              std::to_string(kMaxVertices));
            const auto mn = finite_numbers(member(acc, "min"), 3, pw + " POSITION min", problems_);
            const auto mx = finite_numbers(member(acc, "max"), 3, pw + " POSITION max", problems_);
            for (const auto& pr : problems_)
                add(path, pr);
            problems_.clear();
            if (mn && mx) {
                Box b;
                for (int k = 0; k < 3; ++k) {
                    b.center[k] = ((*mn)[k] + (*mx)[k]) / 2;
                    b.half[k][k] = ((*mx)[k] - (*mn)[k]) / 2;
                }
                prim_bounds.back().back() = b;
            }
            if (rules_.active && !rules_.layer_class.empty()) {
                const json& ids =
                    member(member(member(prims[p], "extensions"), "EXT_mesh_features"), "featureIds");
                if (!ids.is_array() || ids.empty()) {
                    add(path, pw + " has no EXT_mesh_features feature ids; every primitive of a feature "
                                   "layer needs them");
                    continue;
                }
                for (const json& id : ids) {
                    if (id.contains("attribute")) {
                        const std::string name = "_FEATURE_ID_" + member(id, "attribute").dump();
                        if (!attrs.contains(name)) add(path, pw + " has no vertex attribute " + name);
                    }
                    if (!index_in(member(id, "propertyTable"), member(md_ext, "propertyTables")))
                        add(path, pw + " feature ids refer to property table " +
                                      member(id, "propertyTable").dump() + ", which does not exist (" +
                                      std::to_string(table_count) + " tables)");
                }
            }
        }
    }

    // Property tables: only the columns the twin may hold, of the layer's class.
    if (rules_.active && !rules_.layer_class.empty()) {
        std::vector<std::string> md_problems;
        const Metadata md = read_metadata(g, md_problems);
        for (const auto& p : md_problems)
            add(path, p);
        if (!md.present)
            add(path, "has no EXT_structural_metadata; a feature layer's tiles need a property table");
        std::set<std::string> reported;
        for (const auto& col : md.columns) {
            if (col.table_class != rules_.layer_class && reported.insert("class " + col.table_class).second)
                add(path, "property table " + std::to_string(col.table) + " has class '" + col.table_class +
                              "', the layer's class is '" + rules_.layer_class + "'");
            if (!rules_.attributes.count(col.name) && reported.insert(col.name).second)
                add(path, "property table column '" + col.name +
                              "' is not an attribute twin.json lists for this layer");
        }
        for (const auto& sp : md.schema_properties) {
            const std::string name = sp.substr(sp.find('.') + 1);
            if (!rules_.attributes.count(name) && reported.insert(name).second)
                add(path, "schema property '" + sp + "' is not an attribute twin.json lists for this layer");
        }
    }

    // Content bounds through the default scene's node hierarchy.
    const json& nodes = member(j, "nodes");
    const json& scenes = member(j, "scenes");
    std::vector<size_t> roots;
    if (const auto s = index_in(j.contains("scene") ? j["scene"] : json(0), scenes)) {
        for (const json& n : member(scenes[*s], "nodes"))
            if (const auto ni = index_in(n, nodes)) roots.push_back(*ni);
    } else if (j.contains("scene")) {
        add(path, "scene " + j["scene"].dump() + " does not exist");
    }
    double worst = -1e300;
    std::string worst_where;
    std::set<size_t> on_path;
    std::function<void(size_t, const Mat4&, int)> walk = [&](size_t n, const Mat4& parent_m, int depth) {
        if (depth > 64 || on_path.count(n)) {
            add(path, "node " + std::to_string(n) + " is its own ancestor or nests too deep");
            return;
        }
        const std::string nw = "nodes[" + std::to_string(n) + "]";
        const auto local = node_matrix(nodes[n], nw, problems_);
        for (const auto& pr : problems_)
            add(path, pr);
        problems_.clear();
        if (!local) return;
        const Mat4 world = parent_m * *local;
        if (const auto mi = index_in(member(nodes[n], "mesh"), meshes); mi && tile_box) {
            for (size_t p = 0; p < prim_bounds[*mi].size(); ++p) {
                if (!prim_bounds[*mi][p]) continue;
                for (const Vec3& c : corners(*prim_bounds[*mi][p])) {
                    const double d = outside_by(*tile_box, y_up_to_z_up(transform_point(world, c)));
                    if (d > worst) {
                        worst = d;
                        worst_where =
                            nw + " (mesh " + std::to_string(*mi) + ", primitive " + std::to_string(p) + ")";
                    }
                }
            }
        }
        on_path.insert(n);
        for (const json& c : member(nodes[n], "children"))
            if (const auto ci = index_in(c, nodes)) walk(*ci, world, depth + 1);
        on_path.erase(n);
    };
    for (size_t r : roots)
        walk(r, Mat4{}, 0);
    if (tile_box && worst > kToleranceM)
        add(path, "content of " + worst_where + " reaches " + fmt(worst) +
                      " m outside the tile's bounding box (tolerance 1 mm; glTF y-up turned to z-up)");
}

}  // namespace zw::bake::check
