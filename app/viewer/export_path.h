// The viewer's exports (impacts CSV, screenshots) are new files: a name that is taken
// gets a number suffix instead of being overwritten. Pure (unit-tested).
#pragma once

#include <string>

namespace zw::viewer {

// `folder`/`name`, or when that exists `stem-2.ext`, `stem-3.ext`, ...: an export never
// replaces a file. An empty folder is the working directory.
std::string unique_path(const std::string& folder, const std::string& name);

}  // namespace zw::viewer
