// The shaders compiled by glslc at build time (see shaders/CMakeLists.txt).
#pragma once

#include <cstdint>
#include <span>

namespace zw::shaders {

struct Shader {
    const char* name;  // file name under shaders/, e.g. "mesh.vert"
    std::span<const uint32_t> code;
};

std::span<const Shader> all();

}  // namespace zw::shaders
