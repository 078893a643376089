// The bake writes nothing half-done: everything goes into a hidden folder next to the
// output, which replaces the output only when the whole bake succeeded.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace zw::bake {

class StagedOutput {
  public:
    // Refuses (zw::Error) an existing `final_dir` that is not a previous bake's output,
    // so that a typo in --out never replaces someone's folder.
    explicit StagedOutput(std::filesystem::path final_dir);
    ~StagedOutput();  // removes the staging folder unless committed
    StagedOutput(const StagedOutput&) = delete;
    StagedOutput& operator=(const StagedOutput&) = delete;

    const std::filesystem::path& dir() const { return staging_; }
    // Swaps the staging folder in for the final one (two renames on one file system).
    void commit();

  private:
    std::filesystem::path final_, staging_;
    bool committed_ = false;
};

// Marker file a bake leaves in its output root.
inline constexpr const char* bake_marker = ".zwilling-bake";

void write_file(const std::filesystem::path& path, std::span<const uint8_t> bytes);
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace zw::bake
