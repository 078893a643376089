// The built-in glTF test scene: a small village on a textured, hilly ground. It is
// written as a real glb (and read back through the same loader as any file), and it
// exercises what the renderer must handle: indexed and non-indexed triangles, a node
// hierarchy with translation/rotation/scale, base-colour factors, a texture with a
// repeating sampler, missing normals and vertex colours.
#pragma once

#include <cstdint>
#include <vector>

namespace zw::render {

std::vector<uint8_t> make_test_scene_glb();

}  // namespace zw::render
