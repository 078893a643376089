#include "app/bake/output_dir.h"

#include <fstream>
#include <system_error>

#include <unistd.h>

#include "engine/core/error.h"

namespace zw::bake {

namespace fs = std::filesystem;

StagedOutput::StagedOutput(fs::path final_dir)
    : final_(fs::absolute(std::move(final_dir)).lexically_normal()) {
    if (final_.filename().empty()) final_ = final_.parent_path();
    std::error_code ec;
    if (fs::exists(final_, ec)) {
        if (!fs::is_directory(final_, ec))
            fail("output '", final_.string(), "' exists and is not a folder; choose another --out");
        if (!fs::is_empty(final_, ec) && !fs::exists(final_ / bake_marker, ec))
            fail("output folder '", final_.string(),
                 "' is not empty and was not written by zwilling-bake; choose an empty or new folder for "
                 "--out");
    }
    fs::create_directories(final_.parent_path(), ec);
    if (ec) fail("cannot create the folder '", final_.parent_path().string(), "': ", ec.message());
    staging_ =
        final_.parent_path() / ("." + final_.filename().string() + ".baking-" + std::to_string(::getpid()));
    fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) fail("cannot create the staging folder '", staging_.string(), "': ", ec.message());
    write_file(staging_ / bake_marker,
               std::string("written by zwilling-bake; the whole folder is replaced on the next bake\n"));
}

StagedOutput::~StagedOutput() {
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(staging_, ec);
    }
}

void StagedOutput::commit() {
    std::error_code ec;
    const fs::path old =
        final_.parent_path() / ("." + final_.filename().string() + ".old-" + std::to_string(::getpid()));
    const bool had = fs::exists(final_, ec);
    if (had) {
        fs::rename(final_, old, ec);
        if (ec) fail("cannot move the previous output '", final_.string(), "' aside: ", ec.message());
    }
    fs::rename(staging_, final_, ec);
    if (ec) {
        std::error_code ignore;
        if (had) fs::rename(old, final_, ignore);
        fail("cannot move the new output into '", final_.string(), "': ", ec.message());
    }
    committed_ = true;
    if (had) fs::remove_all(old, ec);
}

void write_file(const fs::path& path, std::span<const uint8_t> bytes) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    out.close();
    if (!out) fail("cannot write '", path.string(), "' (disk full or no permission?)");
}

void write_file(const fs::path& path, const std::string& text) {
    write_file(path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace zw::bake
