// Who sees which layer: the access policy of a twin. The boundary is the data (a twin's
// bundle holds only what its audience may see, and its server answers only what the
// caller may read); this policy decides what the viewer asks for and lists, so that a
// department never requests a layer its server would refuse. Pure code.
#pragma once

#include <string>
#include <vector>

#include "engine/twin/manifest.h"

namespace zw::twin {

struct Grant {
    const Department* department = nullptr;  // administration twin only
    std::vector<const Layer*> layers;        // in drawing order
};

// The layers `department` may see in `twin` ("" for the citizens' and council twins,
// which have no departments). Throws zw::Error with what to do when the administration
// twin is opened without a department or with an unknown one (listing the departments),
// or a department is given for a twin without departments. A department's layer that
// the twin does not hold is skipped.
Grant grant(const Manifest& twin, const std::string& department);

// Layer groups in panel order: base, planning, infrastructure, import, then any other
// group in the order the layers name them.
std::vector<std::string> group_order(const std::vector<const Layer*>& layers);

}  // namespace zw::twin
