#include "engine/scenario/traffic/sumo_tools.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>

#include "engine/core/error.h"

extern char** environ;

namespace zw::scenario::traffic {
namespace {

namespace fs = std::filesystem;

bool executable_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// SUMO_HOME for a tool at `tool` that does not have one: the installation around it that
// holds SUMO's data (SUMO_HOME/bin/<tool>, or <prefix>/bin/<tool> with <prefix>/share/sumo).
std::string implied_sumo_home(const fs::path& tool) {
    std::error_code ec;
    const fs::path real = fs::canonical(tool, ec);
    if (ec) return {};
    const fs::path prefix = real.parent_path().parent_path();
    for (const fs::path& home : {prefix, prefix / "share" / "sumo"})
        if (fs::is_directory(home / "data" / "xsd", ec)) return home.string();
    return {};
}

struct FileActions {
    posix_spawn_file_actions_t a;
    FileActions() { posix_spawn_file_actions_init(&a); }
    ~FileActions() { posix_spawn_file_actions_destroy(&a); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
};

struct SpawnAttr {
    posix_spawnattr_t a;
    SpawnAttr() { posix_spawnattr_init(&a); }
    ~SpawnAttr() { posix_spawnattr_destroy(&a); }
    SpawnAttr(const SpawnAttr&) = delete;
    SpawnAttr& operator=(const SpawnAttr&) = delete;
};

}  // namespace

fs::path find_sumo_tool(const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos)
        fail("'", name, "' is not the name of a SUMO tool (a plain name such as netconvert)");
    if (const char* path = std::getenv("PATH")) {
        std::string_view s(path);
        while (!s.empty()) {
            const size_t colon = std::min(s.find(':'), s.size());
            const std::string_view dir = s.substr(0, colon);
            s.remove_prefix(std::min(colon + 1, s.size()));
            // An empty entry would mean the current folder: not a place to run tools from.
            if (!dir.empty() && executable_file(fs::path(dir) / name)) return fs::path(dir) / name;
        }
    }
    const char* home = std::getenv("SUMO_HOME");
    if (home && *home && executable_file(fs::path(home) / "bin" / name)) return fs::path(home) / "bin" / name;
    fail("the SUMO tool '", name, "' was not found on PATH",
         home && *home ? " nor in SUMO_HOME/bin ('" + std::string(home) + "/bin')" : std::string(),
         ". Zwilling runs SUMO for traffic: install Debian's sumo package (apt install sumo; scripts/dev "
         "installs it), or set SUMO_HOME to a SUMO installation (its tools in SUMO_HOME/bin)");
}

int run_sumo_tool(const std::string& tool, const std::vector<std::string>& args, const fs::path& log) {
    const fs::path exe = find_sumo_tool(tool);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot write the log of ", tool, " to '", log.string(), "': ", std::strerror(errno));
    FileActions actions;
    posix_spawn_file_actions_addopen(&actions.a, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions.a, fd, 1);
    posix_spawn_file_actions_adddup2(&actions.a, fd, 2);
    // The tool starts with no blocked signals and the default handlers, whatever the
    // calling thread has.
    SpawnAttr attr;
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP})
        sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr.a, &none);
    posix_spawnattr_setsigdefault(&attr.a, &defaults);
    posix_spawnattr_setflags(&attr.a, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::string implied;
    if (const char* home = std::getenv("SUMO_HOME"); !home || !*home) implied = implied_sumo_home(exe);
    std::vector<std::string> env_strings;
    for (char** e = environ; e && *e; ++e)
        if (implied.empty() || std::strncmp(*e, "SUMO_HOME=", 10) != 0) env_strings.emplace_back(*e);
    if (!implied.empty()) env_strings.push_back("SUMO_HOME=" + implied);
    std::vector<char*> env;
    for (std::string& s : env_strings)
        env.push_back(s.data());
    env.push_back(nullptr);
    std::string exe_string = exe.string();
    std::vector<std::string> argv_strings = args;
    std::vector<char*> argv{exe_string.data()};
    for (std::string& a : argv_strings)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_t pid = 0;
    const int err = posix_spawn(&pid, exe.c_str(), &actions.a, &attr.a, argv.data(), env.data());
    ::close(fd);
    if (err != 0) fail("cannot start ", exe.string(), ": ", std::strerror(err));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) fail("lost the SUMO tool ", tool, " (waitpid: ", std::strerror(errno), ")");
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

std::string log_tail(const fs::path& log, size_t lines) {
    std::ifstream in(log, std::ios::binary);
    std::deque<std::string> last;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        last.push_back(line.size() > 300 ? line.substr(0, 300) + "..." : line);
        if (last.size() > lines) last.pop_front();
    }
    std::string out;
    for (const std::string& l : last)
        out += (out.empty() ? "" : "\n") + l;
    return out;
}

}  // namespace zw::scenario::traffic
