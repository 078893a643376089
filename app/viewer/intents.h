// What the user asked for: the panels and the window's input return these instead of
// writing engine state, and the frame's update step applies them (a panel's intents in
// the next frame's update, before the streamer selects and the renderer draws).
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include <glm/glm.hpp>

#include "engine/core/fetch.h"

namespace zw::viewer::intent {

struct MaxSse {  // the tiles panel's slider: the streamer's maximum screen-space error
    double pixels = 16;
};
struct LayerVisible {  // a layer's checkbox in the layer panel
    size_t layer = 0;
    bool visible = true;
};
struct LayerOpacity {  // a layer's opacity slider, 0..1
    size_t layer = 0;
    float opacity = 1.0f;
};
struct SignIn {  // the sign-in form, submitted
    core::Credentials credentials;
};
struct FlyTo {  // the impacts panel: a clicked building (world coordinates)
    glm::dvec3 eye{0.0}, target{0.0};
};
struct SaveWindowPng {};  // the flood panel's PNG button: a PNG of the window's next image
struct Click {            // a click in the window (framebuffer pixel): a live flood wall point, else a pick
    uint32_t x = 0, y = 0;
};
struct FrameScene {};  // F: the camera frames the scene again

}  // namespace zw::viewer::intent

namespace zw::viewer {

using Intent = std::variant<intent::MaxSse, intent::LayerVisible, intent::LayerOpacity, intent::SignIn,
                            intent::FlyTo, intent::SaveWindowPng, intent::Click, intent::FrameScene>;
using Intents = std::vector<Intent>;

}  // namespace zw::viewer
