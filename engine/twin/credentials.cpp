#include "engine/twin/credentials.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "engine/core/error.h"

namespace zw::twin {

core::Credentials read_credentials_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        fail("cannot read the credentials file '", path, "': ", std::strerror(errno),
             " (write one line 'user:password' into it and chmod 600 it)");
    if (!S_ISREG(st.st_mode)) fail("the credentials file '", path, "' is not a regular file");
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", unsigned(st.st_mode & 0777));
        fail("the credentials file '", path, "' can be read or changed by other users (mode ", mode,
             "); make it yours alone with: chmod 600 '", path, "'");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read the credentials file '", path, "': ", std::strerror(errno));
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
            line.pop_back();
        if (line.empty()) continue;
        const size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0)
            fail("the credentials file '", path,
                 "' must hold one line 'user:password' (found no user name "
                 "before a ':')");
        return {line.substr(0, colon), line.substr(colon + 1)};
    }
    fail("the credentials file '", path, "' is empty; write one line 'user:password' into it");
}

}  // namespace zw::twin
