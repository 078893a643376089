#include "app/bake/tiler.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include <meshoptimizer.h>

namespace zw::bake {
namespace {

using glm::dvec2;
using glm::dvec3;

// Closest point on triangle abc to p (Ericson, Real-Time Collision Detection 5.1.5).
dvec3 closest_on_triangle(const dvec3& p, const dvec3& a, const dvec3& b, const dvec3& c) {
    const dvec3 ab = b - a, ac = c - a, ap = p - a;
    const double d1 = glm::dot(ab, ap), d2 = glm::dot(ac, ap);
    if (d1 <= 0 && d2 <= 0) return a;
    const dvec3 bp = p - b;
    const double d3 = glm::dot(ab, bp), d4 = glm::dot(ac, bp);
    if (d3 >= 0 && d4 <= d3) return b;
    const double vc = d1 * d4 - d3 * d2;
    if (vc <= 0 && d1 >= 0 && d3 <= 0) return a + ab * (d1 / (d1 - d3));
    const dvec3 cp = p - c;
    const double d5 = glm::dot(ab, cp), d6 = glm::dot(ac, cp);
    if (d6 >= 0 && d5 <= d6) return c;
    const double vb = d5 * d2 - d1 * d6;
    if (vb <= 0 && d2 >= 0 && d6 <= 0) return a + ac * (d2 / (d2 - d6));
    const double va = d3 * d6 - d5 * d4;
    if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0)
        return b + (c - b) * ((d4 - d3) / ((d4 - d3) + (d5 - d6)));
    const double denom = 1.0 / (va + vb + vc);
    return a + ab * (vb * denom) + ac * (vc * denom);
}

struct EnuFeature {
    dvec2 local_centre{0.0};
    double size = 0;            // horizontal, metres
    std::vector<TriMesh> lods;  // ENU
    double coarse_error = 0;    // full vs coarsest lod
    double drop_error = 0;      // what leaving it out costs: its largest extent
    size_t full_triangles = 0;
};

TriMesh to_enu(const TriMesh& m, const Frame& frame, const glm::dmat3& rotation) {
    TriMesh out;
    out.positions.reserve(m.positions.size());
    for (const dvec3& p : m.positions)
        out.positions.push_back(frame.to_enu(p));
    out.normals.reserve(m.normals.size());
    for (const glm::vec3& n : m.normals)
        out.normals.push_back(glm::normalize(glm::vec3(rotation * dvec3(n))));
    out.colors = m.colors;
    out.indices = m.indices;
    return out;
}

TileMesh make_tile_mesh(const std::vector<const TriMesh*>& meshes, const std::vector<uint32_t>& rows) {
    TileMesh t;
    Box b;
    for (const TriMesh* m : meshes)
        for (const dvec3& p : m->positions)
            b.add(p);
    if (b.empty()) return t;
    t.centre = (b.lo + b.hi) / 2.0;
    // Exact sizes: a large town holds hundreds of thousands of these meshes at once.
    size_t vertices = 0, indices = 0;
    for (const TriMesh* m : meshes) {
        vertices += m->positions.size();
        indices += m->indices.size();
    }
    t.positions.reserve(vertices);
    t.normals.reserve(vertices);
    t.colors.reserve(vertices);
    if (!rows.empty()) t.feature_ids.reserve(vertices);
    t.indices.reserve(indices);
    for (size_t k = 0; k < meshes.size(); ++k) {
        const TriMesh& m = *meshes[k];
        const auto base = uint32_t(t.positions.size());
        for (size_t i = 0; i < m.positions.size(); ++i) {
            t.positions.push_back(glm::vec3(m.positions[i] - t.centre));
            t.normals.push_back(m.normals[i]);
            t.colors.push_back(m.colors[i]);
            if (!rows.empty()) t.feature_ids.push_back(float(k));
        }
        for (uint32_t i : m.indices)
            t.indices.push_back(base + i);
    }
    t.features = rows;
    return t;
}

Box content_box(const TileMesh& m) {
    Box b;
    for (const glm::vec3& p : m.positions)
        b.add(m.centre + dvec3(p));
    return b;
}

// Flat content (roads, water) would give a box with a zero half-axis.
void pad(Box& b, double d) {
    b.lo -= dvec3(d);
    b.hi += dvec3(d);
}

}  // namespace

std::string Tile::uri() const {
    return "L" + std::to_string(level) + "_" + std::to_string(x) + "_" + std::to_string(y) + ".glb";
}

void parallel_for(size_t n, int threads, const std::function<void(size_t)>& fn) {
    std::atomic<size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&] {
        for (size_t i; (i = next++) < n;) {
            try {
                fn(i);
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
                next = n;
            }
        }
    };
    const int count = std::max(1, std::min<int>(threads, int(n)));
    std::vector<std::thread> pool;
    for (int t = 1; t < count; ++t)
        pool.emplace_back(work);
    work();
    for (auto& t : pool)
        t.join();
    if (error) std::rethrow_exception(error);
}

double max_distance_to_mesh(const std::vector<dvec3>& points, const TriMesh& mesh) {
    double worst = 0;
    for (const dvec3& p : points) {
        double best = 1e300;
        for (size_t i = 0; i + 2 < mesh.indices.size(); i += 3) {
            const dvec3 q =
                closest_on_triangle(p, mesh.positions[mesh.indices[i]], mesh.positions[mesh.indices[i + 1]],
                                    mesh.positions[mesh.indices[i + 2]]);
            best = std::min(best, glm::length(q - p));
        }
        worst = std::max(worst, best);
    }
    return worst;
}

TiledLayer tile_features(const FeatureLayer& layer, const Frame& frame, double extent,
                         const TilingOptions& options) {
    std::vector<EnuFeature> features(layer.features.size());
    parallel_for(features.size(), options.threads, [&](size_t i) {
        const Feature& f = layer.features[i];
        EnuFeature& e = features[i];
        Box local;
        for (const dvec3& p : f.lods[0].positions)
            local.add(p);
        e.local_centre = dvec2((local.lo + local.hi) / 2.0);
        e.size = std::max(local.hi.x - local.lo.x, local.hi.y - local.lo.y);
        const glm::dmat3 rotation = frame.rotation_at(dvec3(e.local_centre, 0));
        for (const TriMesh& m : f.lods)
            e.lods.push_back(to_enu(m, frame, rotation));
        e.full_triangles = f.lods[0].triangle_count();
        if (e.lods.size() > 1) e.coarse_error = max_distance_to_mesh(e.lods[0].positions, e.lods.back());
        Box enu;
        for (const dvec3& p : e.lods[0].positions)
            enu.add(p);
        // A feature left out is an error as large as the feature, seen from any side.
        e.drop_error = std::max(enu.hi.z - enu.lo.z, e.size);
    });

    TiledLayer out;
    out.extent = extent;
    out.tiles.reserve(64);
    std::function<uint32_t(int, int, int, std::vector<uint32_t>)> build =
        [&](int level, int tx, int ty, std::vector<uint32_t> ids) -> uint32_t {
        const auto index = uint32_t(out.tiles.size());
        out.tiles.emplace_back();
        out.tiles[index].level = level;
        out.tiles[index].x = tx;
        out.tiles[index].y = ty;
        size_t full = 0;
        for (uint32_t id : ids)
            full += features[id].full_triangles;
        const bool leaf = level >= options.max_level ||
                          (full <= options.leaf_triangles &&
                           (options.leaf_features == 0 || ids.size() <= options.leaf_features));
        std::vector<const TriMesh*> meshes;
        std::vector<uint32_t> rows;
        double measured = 0;
        std::vector<uint32_t> children;
        if (leaf) {
            for (uint32_t id : ids) {
                meshes.push_back(&features[id].lods[0]);
                rows.push_back(id);
            }
        } else {
            const double size = extent / double(1 << level);
            const double mid_x = -extent / 2 + (tx + 0.5) * size, mid_y = -extent / 2 + (ty + 0.5) * size;
            std::vector<uint32_t> quads[4];
            for (uint32_t id : ids) {
                const dvec2 c = features[id].local_centre;
                quads[(c.x >= mid_x ? 1 : 0) + (c.y >= mid_y ? 2 : 0)].push_back(id);
            }
            const double threshold = options.drop_size / double(1 << level);
            for (uint32_t id : ids) {
                const EnuFeature& f = features[id];
                if (options.drop_size > 0 && f.size < threshold) {
                    measured = std::max(measured, f.drop_error);
                    continue;
                }
                meshes.push_back(&f.lods.back());
                rows.push_back(id);
                measured = std::max(measured, f.coarse_error);
            }
            for (int q = 0; q < 4; ++q) {
                if (quads[q].empty()) continue;
                children.push_back(
                    build(level + 1, tx * 2 + (q & 1), ty * 2 + (q >> 1), std::move(quads[q])));
            }
        }
        Tile& t = out.tiles[index];
        t.children = children;
        t.content = make_tile_mesh(meshes, rows);
        t.box = content_box(t.content);
        double child_error = -1;
        for (uint32_t c : children) {
            t.box.add(out.tiles[c].box);
            child_error = std::max(child_error, out.tiles[c].geometric_error);
        }
        pad(t.box, 0.05);
        t.measured_error = measured;
        t.geometric_error = children.empty() ? measured : std::max(measured, child_error + 0.01);
        return index;
    };
    std::vector<uint32_t> all(features.size());
    for (uint32_t i = 0; i < all.size(); ++i)
        all[i] = i;
    build(0, 0, 0, std::move(all));
    return out;
}

namespace {

struct TerrainNode {
    int level, x, y;
    std::vector<int> children;
};

}  // namespace

TiledLayer tile_terrain(const Terrain& terrain, const Frame& frame, const TerrainOptions& options) {
    const double extent = 2 * terrain.half_extent();
    const double fine_radius = terrain.built_up_radius() + 64;
    auto square_hits_disk = [&](double x0, double y0, double s) {
        const double cx = std::clamp(0.0, x0, x0 + s), cy = std::clamp(0.0, y0, y0 + s);
        return std::hypot(cx, cy) < fine_radius;
    };
    // The tree first (cheap), then the tiles' content in parallel.
    TiledLayer out;
    out.extent = extent;
    std::vector<TerrainNode> nodes;
    std::function<int(int, int, int)> plan = [&](int level, int x, int y) -> int {
        const int index = int(nodes.size());
        nodes.push_back({level, x, y, {}});
        const double s = extent / double(1 << level);
        const double x0 = -extent / 2 + x * s, y0 = -extent / 2 + y * s;
        const bool split =
            level < options.outer_level || (level < options.fine_level && square_hits_disk(x0, y0, s));
        if (split) {
            std::vector<int> kids;
            for (int q = 0; q < 4; ++q)
                kids.push_back(plan(level + 1, x * 2 + (q & 1), y * 2 + (q >> 1)));
            nodes[index].children = kids;
        }
        return index;
    };
    plan(0, 0, 0);
    out.tiles.resize(nodes.size());

    const double fine_step = extent / double(1 << options.fine_level) / options.grid;
    const double outer_step = extent / double(1 << options.outer_level) / options.grid;
    const int outer_every = std::max(1, int(std::lround(outer_step / fine_step)));

    parallel_for(nodes.size(), options.threads, [&](size_t index) {
        const TerrainNode& node = nodes[index];
        const int n = options.grid;
        const double s = extent / double(1 << node.level);
        const double x0 = -extent / 2 + node.x * s, y0 = -extent / 2 + node.y * s;
        const double cell = s / n;
        const dvec2 centre{x0 + s / 2, y0 + s / 2};
        // The full grid of this tile, then simplified.
        std::vector<float> xyz;
        std::vector<dvec3> local;
        for (int j = 0; j <= n; ++j)
            for (int i = 0; i <= n; ++i) {
                const double x = x0 + i * cell, y = y0 + j * cell;
                const double h = terrain.height(x, y);
                local.push_back({x, y, h});
                xyz.insert(xyz.end(), {float(x - centre.x), float(y - centre.y), float(h)});
            }
        std::vector<uint32_t> indices;
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                const uint32_t a = j * (n + 1) + i, b = a + 1, c = a + (n + 1), d = c + 1;
                indices.insert(indices.end(), {a, b, d, a, d, c});
            }
        const bool leaf = node.children.empty();
        const float scale = meshopt_simplifyScale(xyz.data(), local.size(), sizeof(float) * 3);
        // Measure: the largest vertical distance between a simplified surface and the
        // full DEM (2 m inside the built-up area, 8 m outside), at every DEM point.
        auto measure = [&](const std::vector<uint32_t>& tris) {
            double worst = 0;
            for (size_t t = 0; t + 2 < tris.size(); t += 3) {
                const dvec3 a = local[tris[t]], b = local[tris[t + 1]], c = local[tris[t + 2]];
                const double den = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y);
                if (std::abs(den) < 1e-12) continue;
                const double lo_x = std::min({a.x, b.x, c.x}), hi_x = std::max({a.x, b.x, c.x});
                const double lo_y = std::min({a.y, b.y, c.y}), hi_y = std::max({a.y, b.y, c.y});
                const auto i0 = int64_t(std::ceil((lo_x + extent / 2) / fine_step - 1e-9));
                const auto i1 = int64_t(std::floor((hi_x + extent / 2) / fine_step + 1e-9));
                const auto j0 = int64_t(std::ceil((lo_y + extent / 2) / fine_step - 1e-9));
                const auto j1 = int64_t(std::floor((hi_y + extent / 2) / fine_step + 1e-9));
                for (int64_t j = j0; j <= j1; ++j)
                    for (int64_t i = i0; i <= i1; ++i) {
                        const double x = -extent / 2 + i * fine_step, y = -extent / 2 + j * fine_step;
                        if (std::hypot(x, y) >= fine_radius && (i % outer_every || j % outer_every)) continue;
                        const double w0 = ((b.y - c.y) * (x - c.x) + (c.x - b.x) * (y - c.y)) / den;
                        const double w1 = ((c.y - a.y) * (x - c.x) + (a.x - c.x) * (y - c.y)) / den;
                        const double w2 = 1 - w0 - w1;
                        if (w0 < -1e-9 || w1 < -1e-9 || w2 < -1e-9) continue;
                        const double h = w0 * a.z + w1 * b.z + w2 * c.z;
                        worst = std::max(worst, std::abs(h - terrain.height(x, y)));
                    }
            }
            return worst;
        };
        // meshoptimizer's target error is its own measure, not the vertical error: leaves
        // are simplified again with a smaller target until the measured error is within
        // leaf_limit (roads and tracks lie only 12-20 cm above the ground).
        const double leaf_limit = 0.08;
        double target_m = leaf ? 0.05 : s / 2000.0;
        std::vector<uint32_t> simplified;
        double measured = 0;
        for (int attempt = 0; attempt < 5; ++attempt) {
            simplified.assign(indices.size(), 0);
            simplified.resize(meshopt_simplify(simplified.data(), indices.data(), indices.size(), xyz.data(),
                                               local.size(), sizeof(float) * 3, 0, float(target_m / scale),
                                               meshopt_SimplifyLockBorder, nullptr));
            measured = measure(simplified);
            if (!leaf || measured <= leaf_limit) break;
            target_m /= 2;
        }
        if (leaf && measured > leaf_limit) {  // give up simplifying: the full grid
            simplified = indices;
            measured = measure(simplified);
        }
        // Keep only the used vertices, in first-use order.
        std::vector<uint32_t> remap(local.size(), UINT32_MAX);
        std::vector<uint32_t> used;
        for (uint32_t& i : simplified) {
            if (remap[i] == UINT32_MAX) {
                remap[i] = uint32_t(used.size());
                used.push_back(i);
            }
            i = remap[i];
        }
        const glm::dmat3 rotation = frame.rotation_at(dvec3(centre, 0));
        TriMesh mesh;
        for (uint32_t v : used) {
            const dvec3& p = local[v];
            mesh.positions.push_back(frame.to_enu(p));
            mesh.normals.push_back(
                glm::normalize(glm::vec3(rotation * dvec3(terrain.normal(p.x, p.y, cell)))));
            mesh.colors.push_back(terrain.color(p.x, p.y));
        }
        mesh.indices = simplified;
        // Skirts: every border edge hangs a strip down, so that neighbours at another
        // level of detail show no cracks. Both windings, so that it is seen from either side.
        std::map<std::pair<uint32_t, uint32_t>, int> edge_count;
        for (size_t t = 0; t + 2 < simplified.size(); t += 3)
            for (int k = 0; k < 3; ++k) {
                uint32_t a = simplified[t + k], b = simplified[t + (k + 1) % 3];
                edge_count[{std::min(a, b), std::max(a, b)}]++;
            }
        const double skirt = std::max(1.0, 3 * measured);
        const glm::dvec3 up = glm::normalize(rotation * dvec3(0, 0, 1));
        for (const auto& [edge, count] : edge_count) {
            if (count != 1) continue;
            const uint32_t a = edge.first, b = edge.second;
            const auto base = uint32_t(mesh.positions.size());
            for (uint32_t v : {a, b}) {
                mesh.positions.push_back(mesh.positions[v] - up * skirt);
                mesh.normals.push_back(mesh.normals[v]);
                mesh.colors.push_back(mesh.colors[v]);
            }
            mesh.indices.insert(mesh.indices.end(),
                                {a, b, base + 1, a, base + 1, base, a, base + 1, b, a, base, base + 1});
        }
        Tile& t = out.tiles[index];
        t.level = node.level;
        t.x = node.x;
        t.y = node.y;
        t.content = make_tile_mesh({&mesh}, {});
        t.measured_error = measured;
        for (int c : node.children)
            t.children.push_back(uint32_t(c));
    });
    // Boxes and errors bottom-up (children have larger indices than their parent).
    for (size_t i = out.tiles.size(); i-- > 0;) {
        Tile& t = out.tiles[i];
        t.box = content_box(t.content);
        double child_error = -1;
        for (uint32_t c : t.children) {
            t.box.add(out.tiles[c].box);
            child_error = std::max(child_error, out.tiles[c].geometric_error);
        }
        pad(t.box, 0.05);
        t.geometric_error = std::max(t.measured_error, child_error + 0.01);
    }
    return out;
}

}  // namespace zw::bake
