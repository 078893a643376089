// The tileset walk: required fields, refine, geometric error, boxes, transforms, URIs.
#include "app/bake/check/tileset_check.h"

#include <cctype>
#include <system_error>

namespace zw::bake::check {

std::optional<fs::path> Checker::resolve(const std::string& uri, const fs::path& base_dir,
                                         const fs::path& file, const std::string& where) {
    const std::string say = where + ": URI '" + uri + "'";
    if (uri.empty()) {
        add(file, say + " is empty");
        return std::nullopt;
    }
    if (has_scheme(uri)) {
        add(file, say + " has a scheme; bundle URIs are relative paths");
        return std::nullopt;
    }
    if (uri[0] == '/' || uri[0] == '\\') {
        add(file, say + " is an absolute path; bundle URIs are relative paths");
        return std::nullopt;
    }
    if (uri.find('\\') != std::string::npos) {
        add(file, say + " contains a backslash; URIs separate folders with '/'");
        return std::nullopt;
    }
    std::string path_part = uri.substr(0, uri.find_first_of("?#"));
    std::string decoded;
    for (size_t i = 0; i < path_part.size(); ++i) {
        if (path_part[i] == '%' && i + 2 < path_part.size() &&
            std::isxdigit(static_cast<unsigned char>(path_part[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(path_part[i + 2]))) {
            decoded += static_cast<char>(std::stoi(path_part.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            decoded += path_part[i];
        }
    }
    const fs::path resolved = (fs::absolute(base_dir) / fs::path(decoded)).lexically_normal();
    const fs::path rel = resolved.lexically_relative(root_);
    if (rel.empty() || *rel.begin() == "..") {
        add(file, say + " resolves outside the folder " + root_.filename().string());
        return std::nullopt;
    }
    std::error_code ec;
    if (!fs::is_regular_file(resolved, ec)) {
        add(file, say + " names a file that does not exist");
        return std::nullopt;
    }
    // A link inside the folder may still point out of it.
    const fs::path real = fs::weakly_canonical(resolved, ec);
    const fs::path real_root = fs::weakly_canonical(root_, ec);
    const fs::path real_rel = real.lexically_relative(real_root);
    if (!ec && (real_rel.empty() || *real_rel.begin() == "..")) {
        add(file, say + " is a link that leads outside the folder");
        return std::nullopt;
    }
    return resolved;
}

void Checker::tileset(const fs::path& path) {
    const fs::path abs = fs::absolute(path).lexically_normal();
    if (open_tilesets_.count(abs)) {
        add(abs, "the tileset refers to itself through its external tilesets");
        return;
    }
    ++report_.tilesets;
    std::string error;
    const auto text = read_file(abs, error);
    if (!text) {
        add(abs, "tileset " + error);
        return;
    }
    json ts;
    try {
        ts = json::parse(*text);
    } catch (const json::exception& e) {
        add(abs, std::string("is not valid JSON: ") + e.what());
        return;
    }
    if (!ts.is_object()) {
        add(abs, "is not a JSON object");
        return;
    }
    open_tilesets_.insert(abs);
    const json& version = member(member(ts, "asset"), "version");
    if (!version.is_string())
        add(abs, "asset.version is missing (3D Tiles requires it; the bundle writes \"1.1\")");
    else if (version != "1.0" && version != "1.1")
        add(abs, "asset.version is " + version.dump() + ", not \"1.0\" or \"1.1\"");
    const json& error_j = member(ts, "geometricError");
    if (error_j.is_null() && !ts.contains("geometricError"))
        add(abs, "the top-level geometricError is missing");
    else if (!is_finite_number(error_j) || error_j.get<double>() < 0)
        add(abs, "the top-level geometricError is not a finite number >= 0: " + describe(error_j));
    if (!ts.contains("root") || !ts["root"].is_object()) {
        add(abs, "root tile is missing");
    } else {
        tile(ts["root"], "root", abs, nullptr, "", 0);
    }
    open_tilesets_.erase(abs);
}

void Checker::tile(const json& t, const std::string& where, const fs::path& file, const Parent* parent,
                   const std::string& inherited_refine, int depth) {
    ++report_.tiles;
    if (depth > 64) {
        add(file, where + ": tiles nest more than 64 deep; not checked further");
        return;
    }
    // refine
    std::string refine = inherited_refine;
    if (t.contains("refine")) {
        const json& r = t["refine"];
        if (!r.is_string() || (r != "ADD" && r != "REPLACE"))
            add(file, where + ": refine is " + r.dump() + "; it must be \"ADD\" or \"REPLACE\"");
        else
            refine = r.get<std::string>();
    } else if (!parent) {
        add(file, where + ": the root tile has no refine (\"ADD\" or \"REPLACE\")");
    }
    // geometricError
    std::optional<double> error;
    if (!t.contains("geometricError")) {
        add(file, where + ": geometricError is missing");
    } else if (!is_finite_number(t["geometricError"]) || t["geometricError"].get<double>() < 0) {
        add(file, where + ": geometricError is not a finite number >= 0: " + describe(t["geometricError"]));
    } else {
        error = t["geometricError"].get<double>();
        if (parent && parent->error && !(*error < *parent->error))
            add(file, where + ": geometricError " + fmt(*error) + " is not smaller than its parent's " +
                          fmt(*parent->error));
    }
    // transform: from this tile's frame to its parent's
    Mat4 local;
    if (t.contains("transform")) {
        if (const auto m = read_mat4(t["transform"], "transform", problems_)) local = *m;
        flush(file, where);
    }
    // boundingVolume
    std::optional<BoxFrame> frame;
    const json& bv = member(t, "boundingVolume");
    if (!bv.is_object()) {
        add(file, where + ": boundingVolume is missing");
    } else if (bv.contains("box")) {
        if (const auto v = finite_numbers(bv["box"], 12, "boundingVolume.box", problems_)) {
            Box box;
            box.center = {(*v)[0], (*v)[1], (*v)[2]};
            for (int a = 0; a < 3; ++a)
                box.half[a] = {(*v)[3 + a * 3], (*v)[4 + a * 3], (*v)[5 + a * 3]};
            frame = make_frame(box);
            if (!frame) add(file, where + ": boundingVolume.box has linearly dependent half-axes");
            if (frame && parent && parent->box) {
                double worst = -1e300;
                for (const Vec3& c : corners(box))
                    worst = std::max(worst, outside_by(*parent->box, transform_point(local, c)));
                if (worst > kToleranceM)
                    add(file, where + ": boundingVolume.box reaches " + fmt(worst) +
                                  " m outside its parent's box (tolerance 1 mm)");
            }
        }
        flush(file, where);
    } else if (bv.contains("region") || bv.contains("sphere")) {
        const char* kind = bv.contains("region") ? "region" : "sphere";
        finite_numbers(bv[kind], bv.contains("region") ? 6 : 4, std::string("boundingVolume.") + kind,
                       problems_);
        flush(file, where);
        add(file, where + ": boundingVolume is a " + kind +
                      "; this checker (and the bundle format) supports only box");
    } else {
        add(file, where + ": boundingVolume has no box, region or sphere");
    }
    if (t.contains("viewerRequestVolume") && t["viewerRequestVolume"].contains("box")) {
        finite_numbers(t["viewerRequestVolume"]["box"], 12, "viewerRequestVolume.box", problems_);
        flush(file, where);
    }
    // content
    std::vector<std::pair<const json*, std::string>> contents;
    if (t.contains("content")) contents.push_back({&t["content"], where + ".content"});
    if (t.contains("contents")) {
        if (!t["contents"].is_array())
            add(file, where + ": contents is not an array");
        else
            for (size_t i = 0; i < t["contents"].size(); ++i)
                contents.push_back({&t["contents"][i], where + ".contents[" + std::to_string(i) + "]"});
    }
    for (const auto& [c, cwhere] : contents) {
        if (c->contains("boundingVolume") && member(*c, "boundingVolume").contains("box")) {
            finite_numbers((*c)["boundingVolume"]["box"], 12, "boundingVolume.box", problems_);
            flush(file, cwhere);
        }
        const json& uri = member(*c, "uri");
        if (!uri.is_string()) {
            add(file, cwhere + ": uri is missing" +
                          (c->contains("url") ? " (\"url\" is 3D Tiles 1.0 spelling)" : ""));
            continue;
        }
        const auto path = resolve(uri.get<std::string>(), file.parent_path(), file, cwhere);
        if (!path) continue;
        const std::string ext = path->extension().string();
        if (ext == ".glb")
            glb(*path, frame ? &*frame : nullptr);
        else if (ext == ".json")
            tileset(*path);
        else
            add(file,
                cwhere + ": content '" + uri.get<std::string>() + "' is neither a .glb nor a .json tileset");
    }
    // children
    if (t.contains("children")) {
        const json& children = t["children"];
        if (!children.is_array()) {
            add(file, where + ": children is not an array");
            return;
        }
        const Parent me{error, frame};
        for (size_t i = 0; i < children.size(); ++i) {
            const std::string cw = where + ".children[" + std::to_string(i) + "]";
            if (!children[i].is_object()) {
                add(file, cw + " is not an object");
                continue;
            }
            tile(children[i], cw, file, &me, refine, depth + 1);
        }
    }
}

CheckReport check_tileset(const fs::path& tileset_json, const fs::path& root) {
    CheckReport report;
    const LayerRules none;
    Checker(root, report, none).tileset(tileset_json);
    return report;
}

}  // namespace zw::bake::check
