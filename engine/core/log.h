// Logging: one line per message on stderr, prefixed with the level.
// Thread-safe; cheap enough for per-event use, not for per-vertex use.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace zw::core {

enum class Level { debug, info, warn, error };

// Messages below this level are dropped. Default: info.
void set_log_level(Level level);
Level log_level();

void log_line(Level level, std::string_view text);

template <typename... Args>
void log(Level level, const Args&... args) {
    if (level < log_level()) return;
    std::ostringstream s;
    (s << ... << args);
    log_line(level, s.str());
}

template <typename... Args>
void info(const Args&... args) {
    log(Level::info, args...);
}
template <typename... Args>
void warn(const Args&... args) {
    log(Level::warn, args...);
}
template <typename... Args>
void error(const Args&... args) {
    log(Level::error, args...);
}
template <typename... Args>
void debug(const Args&... args) {
    log(Level::debug, args...);
}

}  // namespace zw::core
