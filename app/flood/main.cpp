#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/flood/options.h"
#include "engine/core/error.h"
#include "engine/scenario/gpu/flood_run.h"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const zw::flood_app::ParseResult p = zw::flood_app::parse_args(args);
    if (p.help) {
        std::fputs(zw::flood_app::usage(), stdout);
        return 0;
    }
    if (!p.error.empty()) {
        std::fprintf(stderr, "zwilling-flood: %s\n%s", p.error.c_str(), zw::flood_app::usage());
        return 2;
    }
    try {
        zw::flood::run(p.options);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zwilling-flood error: %s\n", e.what());
        return 1;
    }
}
