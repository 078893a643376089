// Credentials for a served twin, read from a file only its owner can read. Never from
// the command line: arguments are visible to every user of the machine (ps, /proc).
#pragma once

#include <string>

#include "engine/core/fetch.h"

namespace zw::twin {

// Reads "user:password" from the first non-empty line of `path` (the password may
// contain ':'; a trailing CR/LF is dropped). Throws zw::Error with what to do when the
// file is missing, is not a regular file, is readable or writable by group or others
// ("chmod 600 FILE"), or holds no "user:password" line.
core::Credentials read_credentials_file(const std::string& path);

}  // namespace zw::twin
