// Numbers as display text: the shortest text that reads back as the same value
// (std::to_chars), for attribute values shown in the inspector.
#pragma once

#include <charconv>
#include <string>

namespace zw::core {

inline std::string number_text(double v) {
    char buf[40];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
inline std::string number_text(float v) {
    char buf[40];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

}  // namespace zw::core
