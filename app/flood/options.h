// zwilling-flood's command line: a scenario file, --out and the run's options
// (engine/scenario/gpu/flood_run.h runs them). Parsing is pure.
#pragma once

#include <string>
#include <vector>

#include "engine/scenario/gpu/flood_run.h"

namespace zw::flood_app {

struct ParseResult {
    flood::RunOptions options;
    std::string error;  // non-empty: a message for the user (exit code 2)
    bool help = false;
};

ParseResult parse_args(const std::vector<std::string>& args);
const char* usage();

}  // namespace zw::flood_app
