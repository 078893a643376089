// An output folder of a traffic run or import written whole or not at all: the files go into
// a hidden sibling folder ("<parent>/.<name>.partial-<pid>-<n>"), which replaces the output
// folder only when everything is written (commit). A failed run leaves no output folder, or
// the previous one untouched. Pure code (the filesystem only).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace zw::scenario::traffic {

class StagedFolder {
  public:
    // Checks that `out` can become the output: it does not exist, is an empty folder, or is
    // a previous run's output (it holds summary.json), which commit() replaces; makes its
    // parent folder and the staging folder beside it. Throws zw::Error for anything else (a
    // file, a folder with other things in it: never replaced) and when a folder cannot be
    // made.
    explicit StagedFolder(const std::string& out);
    // Without commit(): removes the staging folder and everything in it.
    ~StagedFolder();
    StagedFolder(const StagedFolder&) = delete;
    StagedFolder& operator=(const StagedFolder&) = delete;

    // The staging folder, and a file in it.
    const std::filesystem::path& path() const { return staging_; }
    std::string file(std::string_view name) const { return (staging_ / name).string(); }
    const std::filesystem::path& out() const { return out_; }

    // Moves the staging folder into place as `out`: a previous output is moved aside first and
    // removed once the new one is in place (put back when that fails). Throws zw::Error when
    // the folder cannot be renamed, or `out` became something commit() must not replace.
    void commit();

  private:
    std::filesystem::path out_, staging_;
    bool committed_ = false;
};

}  // namespace zw::scenario::traffic
