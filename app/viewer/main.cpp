#include <chrono>
#include <cstdio>
#include <exception>

#include "app/viewer/viewer.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

int main(int argc, char** argv) {
    const auto start = std::chrono::steady_clock::now();
    using namespace zw::viewer;
    const ParseResult parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "zwilling: %s\n", parsed.error.c_str());
        return exit_usage;
    }
    if (parsed.options.help) {
        std::fputs(usage().c_str(), stdout);
        return exit_ok;
    }
    try {
        return run_viewer(parsed.options, start);
    } catch (const zw::Error& e) {
        zw::core::error(e.what());
        return exit_error;
    } catch (const std::exception& e) {
        zw::core::error("unexpected failure: ", e.what());
        return exit_error;
    }
}
