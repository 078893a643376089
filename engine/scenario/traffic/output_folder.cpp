#include "engine/scenario/traffic/output_folder.h"

#include <unistd.h>

#include <atomic>

#include "engine/core/error.h"

namespace zw::scenario::traffic {
namespace {

namespace fs = std::filesystem;

// A sibling of `out` that no other run of this process or another one picks.
fs::path sibling(const fs::path& out, const char* what) {
    static std::atomic<unsigned> counter{0};
    return out.parent_path() / ("." + out.filename().string() + "." + what + "-" +
                                std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// Why `out` must not be replaced, or "" when it may.
std::string not_replaceable(const fs::path& out) {
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(out, ec);
    if (!fs::exists(st)) return "";
    if (!fs::is_directory(st)) return "it exists and is not a folder";
    if (fs::is_empty(out, ec) || fs::exists(out / "summary.json", ec)) return "";
    return "it is a folder with other things in it than a traffic run's output (no summary.json)";
}

}  // namespace

StagedFolder::StagedFolder(const std::string& out) : out_(fs::absolute(fs::path(out)).lexically_normal()) {
    if (out.empty()) fail("no output folder given");
    if (out_.filename().empty()) out_ = out_.parent_path();  // "dir/" names dir
    if (const std::string why = not_replaceable(out_); !why.empty())
        fail("cannot write the output folder '", out, "': ", why, "; choose a new folder or remove it");
    std::error_code ec;
    fs::create_directories(out_.parent_path(), ec);
    if (ec)
        fail("cannot create the folder '", out_.parent_path().string(), "' for '", out, "': ", ec.message());
    staging_ = sibling(out_, "partial");
    fs::create_directory(staging_, ec);
    if (ec) fail("cannot create a folder beside '", out, "' to write into: ", ec.message());
}

StagedFolder::~StagedFolder() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(staging_, ec);
}

void StagedFolder::commit() {
    if (const std::string why = not_replaceable(out_); !why.empty())
        fail("cannot write the output folder '", out_.string(), "': ", why, "; the run's files are in '",
             staging_.string(), "'");
    std::error_code ec;
    fs::path old;
    if (fs::exists(fs::symlink_status(out_, ec))) {
        old = sibling(out_, "old");
        fs::rename(out_, old, ec);
        if (ec) fail("cannot replace the output folder '", out_.string(), "': ", ec.message());
    }
    fs::rename(staging_, out_, ec);
    if (ec) {
        const std::string why = ec.message();
        if (!old.empty()) fs::rename(old, out_, ec);
        fail("cannot move the run's files into '", out_.string(), "': ", why);
    }
    committed_ = true;
    if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace zw::scenario::traffic
