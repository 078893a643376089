// The flood UI's pure parts (no Vulkan, no ImGui; unit-tested): the playback clock of
// a scenario, the rows of the impacts summary, the times shown as h:mm, which ground an
// imported depth folder gets, and export file names that never overwrite a file.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/depth_frames.h"
#include "engine/scenario/flood/impacts.h"

namespace zw::viewer {

// Simulated time of a playing scenario. Advances by wall seconds x speed while playing;
// at the end it stops there (or starts over with `loop`). Scrubbing sets the time,
// clamped to [0, duration], and keeps playing or paused as it was.
struct PlaybackClock {
    double duration_s = 0;
    double time_s = 0;
    double speed = 60;  // simulated seconds per wall second
    bool playing = false;
    bool loop = false;

    // The speeds offered (1x ... 3600x).
    static const std::array<double, 6>& speeds();

    void advance(double wall_dt_s);
    void scrub(double t_s);
    // Play from the start when at the end, else toggle.
    void toggle();
    bool at_end() const { return duration_s > 0 && time_s >= duration_s; }
};

// "2:05" for 7500 s (hours:minutes, minutes two digits; negative times as 0:00).
std::string format_hmm(double seconds);

// One line of the impacts summary: a count (buildings over 10 cm, over 50 cm, affected
// residents) for side A and, when compared, side B.
struct SummaryRow {
    enum class What { over_10cm, over_50cm, residents } what = What::over_10cm;
    uint64_t a = 0;
    std::optional<uint64_t> b;  // with a comparison
};

// Whether any site knows its residents / whether it is critical (the citizens' twin
// leaves both out: then no residents row and no critical sites are shown).
bool residents_known(const std::vector<scenario::Site>& sites);
bool critical_known(const std::vector<scenario::Site>& sites);

// The summary rows for A (and B): 10 cm and 50 cm always, residents only when A's sites
// (and B's, when given) know residents.
std::vector<SummaryRow> summary_rows(const scenario::Impacts& a, const std::vector<scenario::Site>& a_sites,
                                     const scenario::Impacts* b = nullptr,
                                     const std::vector<scenario::Site>* b_sites = nullptr);

// Whether two rasters lie on the same grid (size, corner and cell size; the corner to
// within a thousandth of a cell).
bool same_grid(const scenario::AsciiGrid& a, const scenario::AsciiGrid& b);
bool same_grid(const scenario::DepthFrames& frames, const scenario::AsciiGrid& grid);

// The ground file of an imported depth folder: "terrain.asc", else "dem.asc" (case as
// written), else "" when the folder holds neither.
std::string import_ground_file(const std::string& folder);

// Where an imported folder's water stands on: its own terrain/DEM, else the twin's
// flood terrain when on the same grid, else nothing (`message` says why).
struct ImportGround {
    enum class Source { folder, twin, none } source = Source::none;
    std::string message;
};
ImportGround choose_import_ground(const scenario::DepthFrames& frames,
                                  const scenario::AsciiGrid* folder_ground,
                                  const scenario::AsciiGrid* twin_ground);

// `folder`/`name`, or when that exists `stem-2.ext`, `stem-3.ext`, ...: an export never
// replaces a file.
std::string unique_path(const std::string& folder, const std::string& name);

// The largest depth per cell over all frames and the first time a cell had more than
// `wet_m` (NODATA -1 where never), on the frames' grid: impacts of an imported run.
scenario::AsciiGrid max_depth_of(const scenario::DepthFrames& frames);
scenario::AsciiGrid arrival_of(const scenario::DepthFrames& frames, double wet_m = 0.10);
// One frame as a grid (for count_flooded).
scenario::AsciiGrid frame_grid(const scenario::DepthFrames& frames, size_t index);

}  // namespace zw::viewer
