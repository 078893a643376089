// Errors a user can cause (bad path, corrupt file, no GPU) are thrown as zw::Error
// with a sentence that says what happened and what to do; the app prints it and exits
// or carries on. Programming errors stay asserts.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace zw {

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

template <typename... Args>
[[noreturn]] void fail(const Args&... args) {
    std::ostringstream s;
    (s << ... << args);
    throw Error(s.str());
}

}  // namespace zw
