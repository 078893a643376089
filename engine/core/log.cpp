#include "engine/core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace zw::core {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;
}  // namespace

void set_log_level(Level level) {
    g_level = level;
}
Level log_level() {
    return g_level;
}

void log_line(Level level, std::string_view text) {
    if (level < g_level) return;
    static constexpr const char* prefix[] = {"debug", "info", "warning", "error"};
    std::lock_guard lock(g_mutex);
    std::fprintf(stderr, "zwilling %s: %.*s\n", prefix[static_cast<int>(level)],
                 static_cast<int>(text.size()), text.data());
}

}  // namespace zw::core
