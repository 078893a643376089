// The report PNG from inside the viewer (P, or "Bericht-PNG" in the impacts panels): the
// view as it is now (camera, layers, scenarios, time) rendered at --report-size by a
// second zwilling process with --headless --report, so that the live view keeps running
// and the picture is exactly what the command line makes. The view is written as that
// process's arguments (report_arguments), which the tests run too.
#pragma once

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "app/viewer/strings.h"

namespace zw::viewer {

// A file made by a second zwilling process: the report PNG (P) or a tour's video (M).
class ReportExport {
  public:
    // What its status panel says: its title, while it runs, and when it is saved or failed.
    struct Texts {
        S title, running, saved, failed;
    };
    ReportExport()
        : ReportExport(Texts{S::report_title, S::report_running, S::report_saved, S::report_failed}) {}
    explicit ReportExport(Texts texts) : texts_(texts) {}
    ~ReportExport();
    ReportExport(const ReportExport&) = delete;
    ReportExport& operator=(const ReportExport&) = delete;

    // Starts `executable` with `arguments` (writing the PNG `path`) on a worker thread;
    // false (and a message) while one is still running.
    bool start(const std::string& executable, std::vector<std::string> arguments, const std::string& path);
    bool running() const { return job_.valid(); }
    // Once a frame: takes in a finished run.
    void poll();
    // Waits for a running one and takes it in.
    void finish() {
        if (job_.valid()) job_.wait();
        poll();
    }

    // What to show: "" when nothing was exported lately (the last result stays 20 s).
    std::string status() const;
    bool failed() const { return failed_; }
    const std::string& path() const { return path_; }
    const char* title() const { return tr(texts_.title); }

  private:
    struct Result {
        int exit_code = -1;
        std::string output;  // its last lines (stderr and stdout)
    };
    Texts texts_;
    std::future<Result> job_;
    std::string path_;
    std::string message_;
    bool failed_ = false;
    std::chrono::steady_clock::time_point finished_{};
};

// This process's executable (/proc/self/exe), for the second one.
std::string own_executable();

}  // namespace zw::viewer
