// `zwilling`: loads a model (or the built-in test scene), then renders it headless
// or in a window. Returns the process exit code.
#pragma once

#include <chrono>

#include "app/viewer/options.h"

namespace zw::viewer {

// Exit codes a script can rely on.
enum Exit : int {
    exit_ok = 0,
    exit_error = 1,       // a model or GPU problem, explained on stderr
    exit_usage = 2,       // bad options, or no display without --headless
    exit_validation = 3,  // the run worked but the validation layer reported problems
};

int run_viewer(const Options& options, std::chrono::steady_clock::time_point process_start);

}  // namespace zw::viewer
