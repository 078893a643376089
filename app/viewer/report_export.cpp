#include "app/viewer/report_export.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/viewer/strings.h"
#include "engine/core/log.h"

extern char** environ;

namespace zw::viewer {
namespace {

// The last `n` lines of `text`.
std::string last_lines(const std::string& text, int n) {
    size_t at = text.size();
    for (int i = 0; i <= n && at != std::string::npos && at > 0; ++i)
        at = text.rfind('\n', at - 1);
    return at == std::string::npos ? text : text.substr(at + 1);
}

}  // namespace

std::string own_executable() {
    std::error_code ec;
    const std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("zwilling") : p.string();
}

ReportExport::~ReportExport() {
    if (job_.valid()) job_.wait();
}

bool ReportExport::start(const std::string& executable, std::vector<std::string> arguments,
                         const std::string& path) {
    if (job_.valid()) return false;
    path_ = path;
    failed_ = false;
    message_.clear();
    job_ = std::async(std::launch::async, [executable, arguments = std::move(arguments)] {
        Result r;
        // Its output goes to a temporary file: the reason when it fails.
        char log_path[] = "/tmp/zwilling-report-XXXXXX";
        const int log = mkstemp(log_path);
        std::vector<std::string> argv_s = {executable};
        argv_s.insert(argv_s.end(), arguments.begin(), arguments.end());
        std::vector<char*> argv;
        for (std::string& a : argv_s)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        if (log >= 0) {
            posix_spawn_file_actions_adddup2(&actions, log, STDOUT_FILENO);
            posix_spawn_file_actions_adddup2(&actions, log, STDERR_FILENO);
        }
        pid_t pid = 0;
        const int spawned = posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (spawned != 0) {
            r.output = "could not start " + executable;
        } else {
            int status = 0;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        if (log >= 0) {
            close(log);
            std::ifstream in(log_path, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            r.output += last_lines(text.str(), 3);
            std::remove(log_path);
        }
        return r;
    });
    return true;
}

void ReportExport::poll() {
    if (!job_.valid() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    const Result r = job_.get();
    finished_ = std::chrono::steady_clock::now();
    failed_ = r.exit_code != 0 || !std::filesystem::exists(path_);
    message_ = std::string(tr(failed_ ? texts_.failed : texts_.saved)) + "\n" + (failed_ ? r.output : path_);
    if (failed_)
        core::warn("the report PNG failed: ", r.output);
    else
        core::info("report PNG ", path_);
}

std::string ReportExport::status() const {
    if (job_.valid()) return tr(texts_.running);
    if (message_.empty() || std::chrono::steady_clock::now() - finished_ > std::chrono::seconds(20))
        return {};
    return message_;
}

}  // namespace zw::viewer
