// SUMO's command-line tools (netconvert, sumo, duarouter, ...) as child processes: found
// on PATH or in $SUMO_HOME/bin, started with posix_spawn (no shell: each argument reaches
// the tool as given, whatever characters a path holds), their output kept in a log file.
// Zwilling links no SUMO library for this; Debian's `sumo` package provides the tools.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace zw::scenario::traffic {

// The path of the SUMO tool `name` (a plain file name such as "netconvert"): the first
// executable file of that name in a folder of PATH, else $SUMO_HOME/bin/<name>. Throws
// zw::Error when neither has it, saying to install Debian's `sumo` package
// (`apt install sumo`) or to set SUMO_HOME to a SUMO installation.
std::filesystem::path find_sumo_tool(const std::string& name);

// Runs `tool` (found by find_sumo_tool) with `args` and waits for it to end. Its stdout and
// stderr go to `log` (created or replaced), its stdin is /dev/null. Where SUMO_HOME is not
// set and the tool's installation holds SUMO's data (its XML schemas, as Debian's
// /usr/share/sumo does), the tool gets SUMO_HOME set to it, so that it checks its input
// files against the local schemas instead of fetching them from the web.
// Returns the tool's exit status (0: success), or 128 + the signal's number when a
// signal ended it. Throws zw::Error when the tool is missing or cannot be started, or
// the log cannot be written.
int run_sumo_tool(const std::string& tool, const std::vector<std::string>& args,
                  const std::filesystem::path& log);

// The last `lines` lines of a tool's log, for a message (empty when it cannot be read).
std::string log_tail(const std::filesystem::path& log, size_t lines = 8);

}  // namespace zw::scenario::traffic
